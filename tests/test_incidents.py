"""One incident told in several sentences is one event: linking rows before the merge, and the coder end to end."""

from __future__ import annotations

import datetime as dt

from extraction import coder
from extraction.classify import decide
from extraction.incidents import link_incidents
from schemas.acled import SubEventType
from schemas.models import StagedDocument
from tests.conftest import staged_text

S = SubEventType


def _row(evidence: str, sub: str = "Attack", event_type: str = "Violence against civilians", day: int = 5,
         location: str | None = "Town A", admin1: str | None = "Region 1", precision: int = 1,
         own_date: bool = False, own_place: bool = False, actor1: str | None = None) -> dict:
    return {"evidence": evidence, "sub_event_type": sub, "event_type": event_type,
            "event_date": dt.date(2024, 5, day), "year": 2024, "time_precision": 1, "iso": 1, "region": "R",
            "country": "C", "admin1": admin1, "admin2": None, "location": location, "latitude": 0.0,
            "longitude": 0.0, "geo_precision": precision, "_own_date": own_date, "_own_place": own_place,
            "actor1": actor1, "date_from": "sentence" if own_date else "publication",
            "place_from": "sentence" if own_place else "dateline", "_fatal": None, "_named_date": False}


def test_a_sentence_with_nothing_new_continues_the_incident():
    rows = link_incidents([_row("Gunmen attacked a bus on 5 May.", own_date=True, own_place=True),
                           _row("Two passengers were wounded.", day=9, location="Town B", admin1="Region 2")])
    assert rows[1]["event_date"] == rows[0]["event_date"] and rows[1]["location"] == "Town A"


def test_another_date_another_place_or_another_incident_stays_apart():
    first = _row("Gunmen attacked a bus on 5 May.", own_date=True, own_place=True)
    dated = _row("They had attacked a school on 2 May.", day=2, own_date=True)
    placed = _row("Gunmen also shot a trader.", location="Town B", admin1="Region 2", own_place=True)
    announced = _row("In a separate attack, a farmer was killed.", location="Town B", admin1="Region 2")
    for other in (dated, placed, announced):
        linked = link_incidents([dict(first), dict(other)])[1]
        assert (linked["event_date"], linked["location"]) == (other["event_date"], other["location"])


def test_a_definite_mention_of_the_incident_links_across_a_place_name():
    rows = link_incidents([_row("A bomb exploded at the market.", sub="Remote explosive/landmine/IED",
                                event_type="Explosions/Remote violence", own_place=True),
                           _row("The blast was heard on Station Road.", sub="Remote explosive/landmine/IED",
                                event_type="Explosions/Remote violence", location="Station", admin1="Region 3",
                                own_place=True)])
    assert rows[1]["location"] == "Town A"


def test_a_town_inside_the_region_told_before_continues_it():
    rows = link_incidents([_row("Clashes broke out in Region 1.", sub="Armed clash", event_type="Battles",
                                location="Region 1", precision=3, own_place=True),
                           _row("Three soldiers died near Town C.", location="Town C", own_place=True)])
    assert rows[1]["location"] == "Region 1"


def test_another_actor_is_another_event():
    rows = link_incidents([_row("A mob attacked a shop.", actor1="Rioters (India)", own_place=True),
                           _row("Police fired on the crowd, killing two.", actor1="Police Forces of India",
                                location="Town B", admin1="Region 2")])
    assert rows[1]["location"] == "Town B"


def test_different_kinds_of_event_are_not_linked():
    rows = link_incidents([_row("Gunmen attacked a bus."),
                           _row("Police arrested five suspects.", sub="Arrests", event_type="Strategic developments",
                                location="Town B", admin1="Region 2")])
    assert rows[1]["location"] == "Town B"


def test_an_incident_told_in_three_sentences_is_one_event():
    text = ("Armed men attacked a police post in Kidal on Sunday, killing two officers. "
            "The attackers fired rockets at the building before fleeing. "
            "A third officer died of his wounds in hospital.")
    events = coder.code_documents([staged_text(text)])
    assert len(events) == 1


def test_an_explosive_named_as_the_means_makes_it_an_explosion():
    for text in ("Unknown men planted a bomb under the mayor's car.", "Rebels blew up a bus on the highway.",
                 "Two explosives were hurled at the judge's house."):
        trig = decide(text, None, None)
        assert trig is not None and trig.sub_event_type is S.REMOTE_EXPLOSIVE, text
    petrol = decide("A petrol bomb was hurled at the house.", None, None)
    assert petrol is None or petrol.sub_event_type is not S.REMOTE_EXPLOSIVE


def test_an_abduction_in_the_main_clause_is_named_outright():
    from extraction import subevent
    m = subevent.model()
    text = "Gunmen kidnapped a businessman as he left his office."
    probs = {S(label): float(p) for label, p in zip(m.labels, m.predict_proba([text])[0], strict=True)}
    probs = {k: (0.9 if k is S.ATTACK else 0.1 / (len(probs) - 1)) for k in probs}  # a model sure it is an attack
    assert decide(text, None, probs).sub_event_type is S.ABDUCTION


def test_an_arrest_a_protest_is_about_is_its_cause_not_an_intervention_at_it():
    def coded(text: str) -> list[tuple[str, str]]:
        doc = StagedDocument(doc_id="d", title=None, published=dt.date(2024, 5, 6), text=text, language="en",
                             n_paragraphs=1, removed_lines=0, paragraph_languages=["en"])
        return sorted((r["sub_event_type"], r["evidence"][:20]) for r in coder.code_documents([doc]).to_dicts())

    about = ("On 5 May 2024, teachers held a protest in Multan against the arrest of their union leader and "
             "demanded his release. He was arrested last week on charges of corruption.")
    subs = [s for s, _ in coded(about)]
    assert "Peaceful protest" in subs and "Protest with intervention" not in subs
    at_it = ("On 5 May 2024, teachers held a protest in Multan against the arrest of their union leader. Police "
             "arrested 12 of the protesters.")
    assert [s for s, _ in coded(at_it)] == ["Protest with intervention"]


def _dated(evidence: str, day: int, named: bool = True, fatal: int | None = None, **kw) -> dict:
    return {**_row(evidence, own_date=True, **kw), "event_date": dt.date(2024, 5, day), "_named_date": named,
            "_fatal": fatal}


REPORT = dt.date(2024, 5, 20)


def test_an_incident_retold_under_the_day_it_happened_is_one_incident_of_that_day():
    rows = link_incidents([_dated("Police said today that a bomb went off at the bank.", 20, named=False,
                                  sub="Remote explosive/landmine/IED", event_type="Explosions/Remote violence"),
                           _dated("The explosion happened late on 16 May.", 16, sub="Remote explosive/landmine/IED",
                                  event_type="Explosions/Remote violence")], REPORT)
    assert [r["event_date"].day for r in rows] == [16, 16]


def test_the_same_dead_counted_again_is_the_same_incident():
    rows = link_incidents([_dated("Gunmen killed five villagers on 12 May.", 12, fatal=5),
                           _dated("Five villagers were shot dead last week, relatives said.", 10, named=False,
                                  fatal=5)], REPORT)
    assert [r["event_date"].day for r in rows] == [12, 12]
    single = link_incidents([_dated("A trader was killed on 12 May.", 12, fatal=1),
                             _dated("A teacher was shot dead on 10 May.", 10, fatal=1)], REPORT)
    assert [r["event_date"].day for r in single] == [12, 10]


def test_a_mention_dated_only_by_the_report_joins_the_incident_it_names():
    rows = link_incidents([_dated("Six priests were murdered at their house on 1 March.", 1, fatal=6),
                           _dated("The prosecutor investigating the murder of the priests spoke today.", 20,
                                  named=False)], dt.date(2024, 5, 20))
    assert rows[0]["event_date"] == rows[1]["event_date"] == dt.date(2024, 5, 1)


def test_a_named_incident_months_apart_is_history_not_a_retelling():
    rows = link_incidents([_dated("A judge was shot dead on 19 May.", 19, fatal=1),
                           {**_dated("He was investigating the massacre of villagers in 2023.", 1, fatal=9),
                            "event_date": dt.date(2023, 6, 1)}], REPORT)
    assert rows[1]["event_date"] == dt.date(2023, 6, 1)


def test_a_mention_of_the_incident_joins_it_whoever_the_coder_guessed_did_it():
    rows = link_incidents([_row("Gunmen killed the mayor in Town A.", actor1="Unidentified Armed Group (C)",
                                own_place=True),
                           _row("The murder of the mayor shocked the country.", actor1="Military Forces of C",
                                location="Town B", admin1="Region 2", own_place=True)])
    assert rows[1]["location"] == "Town A"
    guessed_country = link_incidents([_row("Gunmen killed the mayor.", actor1="Unidentified Armed Group (C)"),
                                      _row("Two guards were also shot.", actor1="Unidentified Armed Group (D)",
                                           location="Town B", admin1="Region 2")])
    assert guessed_country[1]["location"] == "Town A"


def test_a_definite_mention_that_counts_more_dead_is_another_incident():
    first = {**_row("Gunmen killed a judge in Town A.", own_place=True), "_fatal": 1}
    history = {**_row("He was investigating the massacre of 43 villagers in Town B.", location="Town B",
                      admin1="Region 2", own_place=True), "_fatal": 43}
    assert link_incidents([first, history])[1]["location"] == "Town B"


def test_a_mention_placed_in_its_own_words_places_an_incident_the_lead_placed_by_its_dateline():
    lead = {**_row("Officials abroad condemned the bombing.", sub="Remote explosive/landmine/IED",
                   event_type="Explosions/Remote violence", location="Capital X", admin1="Region 9"),
            "place_from": "dateline"}
    told = _row("The explosion destroyed a bank in Town B.", sub="Remote explosive/landmine/IED",
                event_type="Explosions/Remote violence", location="Town B", admin1="Region 2", own_place=True)
    rows = link_incidents([lead, told])
    assert rows[0]["location"] == rows[1]["location"] == "Town B"


def test_an_incident_told_only_under_the_report_day_takes_the_day_a_retelling_names_long_before():
    told = {**_dated("The minister said today that the murder of the priests will be solved.", 20, named=False),
            "_told": True, "_fatal": 6}
    retold = {**_dated("The murder took place on 2 March at their residence.", 2), "event_date": dt.date(2024, 3, 2)}
    rows = link_incidents([told, retold], REPORT)
    assert rows[0]["event_date"] == rows[1]["event_date"] == dt.date(2024, 3, 2)


def test_two_days_named_outright_are_two_incidents():
    rows = link_incidents([_dated("The 12 May bombing of the bank killed two guards.", 12, fatal=2,
                                  sub="Remote explosive/landmine/IED", event_type="Explosions/Remote violence"),
                           _dated("Rebels said the attack avenged the 11 May raid on their camp.", 11)], REPORT)
    assert [r["event_date"].day for r in rows] == [12, 11]


def test_a_mention_placed_only_by_a_guess_takes_the_place_its_document_gave_that_day():
    import polars as pl

    from extraction.incidents import PLACE_FIELDS
    from extraction.merge import _placed_by_the_day

    def mention(place: str, country: str, place_from: str, day: int = 5) -> dict:
        return {**{f: None for f in PLACE_FIELDS}, "doc_id": "d", "event_date": dt.date(2024, 5, day),
                "_family": "violence", "country": country, "location": place, "_place": place,
                "place_from": place_from, "admin1": f"{place} Region"}

    key = ["doc_id", "event_date", "_place", "_family"]
    frame = pl.DataFrame([mention("Town A", "C", "sentence"), mention("Dateline City", "C", "dateline"),
                          mention("Dateline City", "C", "dateline", day=6), mention("Capital", "D", "document")])
    out = _placed_by_the_day(frame, key)
    assert out["location"].to_list() == ["Town A", "Town A", "Dateline City", "Capital"]
    assert out["admin1"].to_list()[1] == "Town A Region"
    two = pl.DataFrame([mention("Town A", "C", "sentence"), mention("Town B", "C", "sentence"),
                        mention("Dateline City", "C", "dateline")])
    assert _placed_by_the_day(two, key)["location"].to_list() == ["Town A", "Town B", "Dateline City"]


def test_an_undated_mention_takes_the_day_of_an_event_dated_to_the_day_before_a_month():
    from extraction.incidents import adopt_main_event

    month = {**_dated("The offensive announced in April goes on.", 1), "_dated": True, "time_precision": 3,
             "event_date": dt.date(2024, 4, 1)}
    day = {**_dated("Rebels attacked a post on 10 May.", 10), "_dated": True, "time_precision": 1}
    undated = {**_row("A guard was wounded."), "_dated": False, "_placed": True}
    rows = adopt_main_event([month, day, undated])
    assert rows[2]["event_date"] == dt.date(2024, 5, 10)


def test_an_undated_mention_takes_the_day_an_event_happened_before_the_day_one_was_told():
    from extraction.incidents import adopt_main_event

    told = {**_dated("The army said today that rebels attacked.", 20), "_dated": True, "_told": True}
    named = {**_dated("Rebels attacked a post on 18 May.", 18), "_dated": True}
    undated = {**_row("A guard was wounded."), "_dated": False, "_placed": True}
    assert adopt_main_event([told, named, undated])[2]["event_date"] == dt.date(2024, 5, 18)


def test_a_day_named_for_the_incident_anywhere_keeps_another_named_day_apart():
    bomb = dict(sub="Remote explosive/landmine/IED", event_type="Explosions/Remote violence")
    rows = link_incidents([_dated("They blamed soldiers for the 12 May bombing of the bank.", 12, fatal=2, **bomb),
                           {**_row("The blast destroyed the bank.", **bomb), "event_date": dt.date(2024, 5, 12)},
                           _dated("Rebels said the attack avenged the 11 May raid on their camp.", 11)], REPORT)
    assert [r["event_date"].day for r in rows] == [12, 12, 11]


def test_a_day_of_the_rows_own_words_dates_an_incident_that_only_borrowed_its_day():
    borrowed = {**_row("Two people were killed in an attack on the command post."), "date_from": "document",
                "event_date": dt.date(2024, 5, 3)}
    own = _dated("During today's attack on the post, soldiers were wounded.", 20, named=False)
    rows = link_incidents([borrowed, own], REPORT)
    assert [r["event_date"].day for r in rows] == [20, 20]
    told = {**_dated("Police said on 18 May that a bomb exploded at the bank.", 18), "_told": True}
    assert [r["event_date"].day for r in link_incidents([told, dict(own)], REPORT)] == [20, 20]


def test_an_undated_mention_that_has_a_day_takes_no_month():
    from extraction.incidents import adopt_main_event

    month = {**_dated("It was the 41st attack in the city this month.", 1), "_dated": True, "time_precision": 3,
             "event_date": dt.date(2024, 5, 1)}
    day = {**_row("The explosion damaged a school."), "_dated": False, "_placed": True,
           "event_date": dt.date(2024, 5, 19)}
    assert adopt_main_event([month, day])[1]["event_date"] == dt.date(2024, 5, 19)
    week = {**_row("A guard was wounded."), "_dated": False, "_placed": True, "time_precision": 2}
    assert adopt_main_event([{**month, "time_precision": 2}, week])[1]["event_date"] == dt.date(2024, 5, 1)


def test_a_toll_summed_over_a_period_is_background_beside_an_incident():
    from extraction.incidents import drop_tallies, tally

    assert tally("Since August, five students have been murdered.")
    assert tally("Since the offensive began on 11 November, 2,000 people have died.")
    assert not tally("At least nine people have died in the clashes of the past few hours.")
    assert not tally("The murder took place on 24 March 1980; many have been killed since.")
    shot = {**_dated("Gunmen shot the mayor dead on 12 May.", 12, fatal=1)}
    toll = {**_row("Three judges have been murdered so far this year."), "_fatal": 3}
    assert drop_tallies([shot, toll]) == [shot]
    assert drop_tallies([toll]) == [toll]  # alone, it stands
    wounded = {**_dated("Gunmen wounded the mayor on 12 May.", 12)}
    assert drop_tallies([wounded, toll]) == [wounded, toll]  # the only word of deaths stays
    assert not tally("So far, police have arrested five suspects.")  # an investigation, not a toll


def test_a_month_or_week_of_the_rows_own_that_holds_the_incidents_day_continues_it():
    bomb = dict(sub="Remote explosive/landmine/IED", event_type="Explosions/Remote violence")
    lead = _dated("A bomb destroyed a school on 19 May.", 19, **bomb)
    month = {**_dated("It was the 41st attack in the city this month.", 1, named=False, **bomb), "time_precision": 3}
    rows = link_incidents([lead, month], REPORT)
    assert [r["event_date"].day for r in rows] == [19, 19]
    other = {**month, "event_date": dt.date(2024, 4, 1)}  # "in April": another incident
    assert link_incidents([dict(lead), other], REPORT)[1]["event_date"] == dt.date(2024, 4, 1)


def test_a_lead_dated_only_by_its_telling_takes_the_day_a_later_sentence_gives_its_incident():
    lead = {**_row("Sources reported today that a nun was shot."), "event_date": REPORT, "_told": True}
    dated = _dated("She was wounded on 17 May.", 17)
    rows = link_incidents([dict(lead), dict(dated)], REPORT)
    assert rows[0]["event_date"] == rows[1]["event_date"] == dt.date(2024, 5, 17)
    # not another kind of event, not weeks before, not more dead than the lead told
    for other in (_dated("Rebels clashed with troops on 17 May.", 17, sub="Armed clash", event_type="Battles"),
                  _dated("She was wounded on 2 May.", 2), _dated("Five were shot on 17 May.", 17, fatal=5)):
        rows = link_incidents([dict(lead), dict(other)], REPORT)
        assert rows[0]["event_date"] == REPORT, other["evidence"]


def test_the_same_kind_of_event_a_day_later_in_words_relative_to_the_report_continues_it():
    shot = _dated("A man was shot last night by unidentified men.", 7, named=False, own_place=True)
    died = _dated("He died early this morning.", 8, named=False)
    assert [r["event_date"].day for r in link_incidents([dict(shot), dict(died)], REPORT)] == [7, 7]
    # a day named outright, another kind of event, or another device is another incident
    for other in (_dated("He was shot again on 8 May.", 8), _dated("Rebels clashed with troops this morning.", 8,
                                                                    named=False, sub="Armed clash",
                                                                    event_type="Battles"),
                  _dated("Another explosive charge was placed this morning.", 8, named=False)):
        assert link_incidents([dict(shot), dict(other)], REPORT)[1]["event_date"].day == 8, other["evidence"]
