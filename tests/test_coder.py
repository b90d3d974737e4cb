"""The coder end to end on text: seed facts (when ../shared is present), the demo corpus, general rules."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extraction.clean import stage
from extraction.coder import code_documents
from extraction.ingest import decode, doc_id_for, receive, walk_inbox
from schemas.models import RawDocument
from tests.conftest import DEMO, ROOT, SHARED


def code(text: str, published: dt.date | None = None, title: str | None = None) -> list[dict]:
    raw = RawDocument(doc_id=doc_id_for(text), path="t", media_type="txt", encoding="utf-8", title=title,
                      published=published, text=text, received_at=dt.datetime(2025, 1, 1))
    return code_documents([stage(raw)]).to_dicts()


def _kinds(event: dict) -> dict[str, int]:
    return {c["kind"]: c["value"] for c in event["counts"]}


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[dict]]:
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip("../shared/seeds is not beside the project (evaluation data, not shipped)")
    return {p.name[:3]: code(decode(p.read_bytes())[0]) for p in sorted(folder.glob("*.txt"))}


def test_seed_002_release_of_at_least_70(seeds):
    releases = [e for e in seeds["002"] if e["sub_event_type"] == "Agreement"]
    assert len(releases) == 1
    event = releases[0]
    assert event["country"] == "Venezuela" and event["event_date"].strftime("%Y-%m") == "2024-11"
    assert _kinds(event)["released"] == 70


def test_seed_002_over_2400_detained(seeds):
    assert any(c["kind"] in ("arrested", "detained") and c["value"] == 2400
               for e in seeds["002"] for c in e["counts"])


def test_seed_000_release_in_caracas_may_2018_once(seeds):
    releases = [e for e in seeds["000"] if e["sub_event_type"] == "Agreement"]
    assert len(releases) == 1  # the paragraphs repeated word for word give one event
    event = releases[0]
    assert event["country"] == "Venezuela" and event["event_date"].strftime("%Y-%m") == "2018-05"
    assert event["location"] == "Caracas"
    assert _kinds(event)["released"] == 100


def test_seed_000_crackdown_arrests_2018(seeds):
    arrests = [e for e in seeds["000"] if e["sub_event_type"] == "Arrests"]
    assert arrests and all(e["country"] == "Venezuela" and e["year"] == 2018 for e in arrests)


def test_every_seed_event_carries_its_document_and_sentence(seeds):
    for events in seeds.values():
        for e in events:
            assert e["doc_id"] and e["evidence"] and e["evidence_end"] > e["evidence_start"]


def _demo_documents() -> list[tuple[dict, RawDocument]]:
    """Each expected demo report with the document the ingest step makes of it."""
    expectations = json.loads((ROOT / "tests" / "demo_expectations.json").read_text())
    items = {(i.path, i.line): i for i in walk_inbox(DEMO)}
    return [(exp, receive([items[(exp["file"], exp["line"])]])[1][0]) for exp in expectations]


@pytest.mark.parametrize("exp,doc", _demo_documents(), ids=lambda v: v["file"] if isinstance(v, dict) else "")
def test_demo_report_events_are_found(exp, doc):
    events = code_documents([stage(doc)]).to_dicts()
    if not exp["is_event"]:
        assert events == []
        return
    for want in exp["events"]:
        found = [e for e in events if e["location"] == want["location"]
                 and e["sub_event_type"] == want["sub_event_type"]]
        assert found, f"wanted {want['sub_event_type']} in {want['location']}, got " \
                      f"{[(e['location'], e['sub_event_type']) for e in events]}"
        event = found[0]
        assert event["country"] == want["country"]
        assert event["event_date"].isoformat().startswith(want["event_date"][:7])


@pytest.mark.parametrize("text,sub", [
    ("On 3 June 2024, gunmen shot dead two farmers in Zamfara state, Nigeria.", "Attack"),
    ("Troops clashed with Al Shabaab fighters near Baidoa, Somalia on Monday; five militants were killed.",
     "Armed clash"),
    ("A roadside bomb struck a police patrol in Quetta, Pakistan on Friday, killing three officers.",
     "Remote explosive/landmine/IED"),
    ("Hundreds of nurses marched peacefully in Accra, Ghana on Tuesday to demand unpaid wages.",
     "Peaceful protest"),
    ("Authorities in Minsk, Belarus freed 18 political prisoners on Wednesday under a pardon.", "Agreement"),
])
def test_general_rules_on_unseen_text(text, sub):
    events = code(text, dt.date(2024, 6, 8))
    assert [e["sub_event_type"] for e in events] == [sub]


def test_calls_and_opinion_yield_no_event():
    assert code("Rights groups called for the release of all detainees and urged police not to use force.",
                dt.date(2024, 6, 8)) == []
    assert code("OPINION: Why the police must stop arresting students\n\nGovernments should never jail "
                "protesters for speaking out.", dt.date(2024, 6, 8)) == []


def test_lower_cased_and_mojibake_text_is_coded():
    text = "on 2 may 2024, police in nairobi arrested 12 protesters outside parliament. caf\u00c3\u00a9 owners watched."
    events = code(decode(text.encode("utf-8"))[0], dt.date(2024, 5, 3))
    assert events and events[0]["location"] == "Nairobi" and events[0]["event_date"] == dt.date(2024, 5, 2)


def test_casualties_told_after_the_event_belong_to_it():
    events = code("On 3 June 2024, students clashed with police in Dhaka, Bangladesh during a demonstration against "
                  "job quotas. Police fired tear gas at the crowd. Two students were killed.\n\n"
                  "Officials said the university would stay closed.", dt.date(2024, 6, 4))
    assert len(events) == 1
    assert events[0]["fatalities"] == 2 and events[0]["event_type"] in ("Riots", "Battles")


def test_figures_in_a_following_sentence_count_for_the_event():
    events = code("On 2 May 2024, gunmen attacked the village of Kadoma in Zamfara, Nigeria. "
                  "Residents counted 9 dead after the raid.", dt.date(2024, 5, 4))
    assert [e["fatalities"] for e in events] == [9]


def test_a_death_told_with_a_march_is_its_cause_not_its_toll():
    """ACLED codes no fatalities for a peaceful protest, an arrest or a release."""
    events = code("Bus drivers marched peacefully through Lima, Peru on Monday, four days after a colleague was shot "
                  "dead in Trujillo. Two more drivers were killed in the attack, unions said.", dt.date(2024, 10, 8))
    protest = [e for e in events if e["sub_event_type"] == "Peaceful protest"]
    assert protest and protest[0]["fatalities"] == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Movement of forces: On 3 May 2021, army troops moved into Kidal town.", "Change to group/activity"),
        ("Displacement: On 3 May 2021, about 2,000 residents of Kidal fled their homes.", "Other"),
        ("Weapons seizure: On 3 May 2021, police seized 12 rifles in Kidal.", "Disrupted weapons use"),
        ("Land seizure: On 3 May 2021, settlers took over a farm near Hebron.", "Looting/property destruction"),
    ],
)
def test_acled_category_labels_code_the_note(text: str, expected: str) -> None:
    """ACLED's own label opening a note names the event, even with no event word the rules know."""
    rows = code(text, dt.date(2021, 5, 4))
    assert [r["sub_event_type"] for r in rows][:1] == [expected]


def test_a_label_like_phrase_mid_sentence_is_not_a_label() -> None:
    assert code("Officials said other matters were discussed: budgets and roads.", dt.date(2021, 5, 4)) == []


@pytest.mark.parametrize(
    "sentence",
    ["Unidentified men blew up a bank branch.", "A short altercation broke out between two villages.",
     "Rebels took 12 civilians hostage.", "About 40 fighters surrendered to the army.",
     "Gunmen fired 12.7mm and 14.5mm machine guns, and sniper rifles, at houses.", "Troops captured two rebels.",
     "Armed men used explosives to rob a bank."],
)
def test_words_that_may_report_an_event_code_one_when_the_model_is_sure(sentence: str) -> None:
    """With no rule trigger, a sentence is coded when the model is confident and an event word is there."""
    from extraction.classify import decide
    from schemas.acled import SubEventType

    sure = {sub: 0.01 for sub in SubEventType}
    sure[SubEventType.ATTACK] = 0.9
    assert decide(sentence, None, sure) is not None
    assert decide("The committee will meet again next week.", None, sure) is None
    assert decide("The group frequently plants explosives along roads in the region.", None, sure) is None


def test_a_model_sure_of_two_types_codes_the_likelier_but_a_split_guess_does_not() -> None:
    """"Fired on positions" may be a clash or shelling: the model is sure it is one of them, not which."""
    from extraction.classify import decide
    from schemas.acled import SubEventType

    sentence = "Soldiers fired with unspecified weapons on rebel positions near the river."
    pair = {sub: 0.01 for sub in SubEventType}
    pair[SubEventType.ARMED_CLASH], pair[SubEventType.SHELLING] = 0.42, 0.40
    assert decide(sentence, None, pair).sub_event_type is SubEventType.ARMED_CLASH
    split = {sub: 0.01 for sub in SubEventType}
    split[SubEventType.ARMED_CLASH], split[SubEventType.SHELLING], split[SubEventType.ATTACK] = 0.4, 0.2, 0.2
    assert decide(sentence, None, split) is None


def test_burning_tyres_or_cutting_roads_to_demand_something_is_a_demonstration() -> None:
    """Without the word "protest", a model sure of a demonstration needs what a crowd does to code one."""
    from extraction.classify import decide
    from schemas.acled import SubEventType

    riot = {sub: 0.01 for sub in SubEventType}
    riot[SubEventType.VIOLENT_DEMONSTRATION] = 0.9
    coded = decide("Residents cut off the streets and burnt tires to demand that power be restored.", None, riot)
    assert coded is not None and coded.sub_event_type is SubEventType.VIOLENT_DEMONSTRATION
    assert decide("Residents burnt leaves in their gardens.", None, riot) is None


def test_the_model_reads_the_eventless_sentences_after_a_candidate() -> None:
    from extraction.coder import _model_text
    from extraction.segment import split_document

    sentences = split_document(["Gunmen fired at a bus. Casualties unknown. Police arrested two men. Calm returned.",
                                "A second paragraph."])
    flags = [True, False, True, False, False]
    assert _model_text(sentences, flags, 0) == "Gunmen fired at a bus. Casualties unknown."
    assert _model_text(sentences, flags, 2) == "Police arrested two men. Calm returned."


_WARNING_SHOTS = ("On 3 March 2021, border guards fired warning shots in the air near Isfana (Leilek, Batken) "
                  "as herders crossed the line.")


def test_a_documents_dated_placed_report_is_coded_when_the_model_is_unsure_of_its_type() -> None:
    """A document that codes nothing still reports what its lead sentence says an armed actor did there."""
    events = code(_WARNING_SHOTS, dt.date(2021, 3, 4))
    assert len(events) == 1
    assert events[0]["country"] == "Kyrgyzstan" and events[0]["event_date"] == dt.date(2021, 3, 3)


@pytest.mark.parametrize(
    ("text", "published"),
    [(_WARNING_SHOTS, dt.date(2023, 6, 1)),  # background: long before the document was written
     ("On 3 March 2021, border guards fired warning shots in the air as herders crossed the line.",
      dt.date(2021, 3, 4)),  # no place
     ("On 2 March 2021, a storm hit Dhaka, flooding several districts.", dt.date(2021, 3, 4)),  # no actor
     ("On 2 March 2021, schools in Kampala reopened after the lockdown.", dt.date(2021, 3, 4)),
     ("On 3 March 2021, border guards would fire warning shots in the air near Isfana (Leilek, Batken) if "
      "herders crossed the line.", dt.date(2021, 3, 4))],  # hypothetical
)
def test_an_unsure_sentence_is_not_a_lead_without_a_recent_date_a_place_an_actor_and_a_fact(text, published) -> None:
    assert code(text, published) == []


def test_a_lead_is_only_sought_in_a_document_that_coded_nothing() -> None:
    text = ("On 12 March 2021, gunmen fired at a police post in Kulundu (Leilek, Batken). "
            + _WARNING_SHOTS.replace("3 March", "13 March"))
    events = code(text, dt.date(2021, 3, 14))
    assert [e["event_date"] for e in events] == [dt.date(2021, 3, 12)]


def test_a_place_in_brackets_outweighs_a_capital_named_in_passing() -> None:
    """ACLED writes where an event happened in brackets: "(Jaffna district)" beats Amman in a temple's name."""
    events = code("On 2 May 2021, police assaulted a family at a house in Kudavil - Mallikkadil Amman Koviladi area of "
                  "Vadamarachchi East divisional secretariat (Jaffna district).", dt.date(2021, 5, 3))
    assert [e["country"] for e in events] == ["Sri Lanka"]


def test_a_neighbouring_country_is_not_where_the_story_is() -> None:
    events = code("On 3 May 2021, about 40 residents of Zhetisay town protested near their flooded homes after water "
                  "released in neighbouring Uzbekistan swept through their fields.", dt.date(2021, 5, 4))
    assert [e["country"] for e in events] == ["Kazakhstan"]
    events = code("On 3 May 2021, militants fired rockets at an Algerian army post in Bordj Badji Mokhtar near the "
                  "border with Mali.", dt.date(2021, 5, 4))
    assert [e["country"] for e in events] == ["Algeria"]


def test_yemens_coalition_and_southern_council_name_the_country() -> None:
    """Groups that act in one country are a hint when no place is named: the Saudi-led coalition bombs Yemen, and
    the Southern Transitional Council is Yemeni."""
    for text in ("On 4 May 2021, clashes erupted between STC fighters and government troops near the airport, "
                 "killing two.", "On 4 May 2021, Saudi-led coalition airstrikes hit a farm near the border."):
        assert [e["country"] for e in code(text, dt.date(2021, 5, 5))] == ["Yemen"]


def test_a_protest_named_as_the_purpose_of_another_act_is_no_demonstration():
    day = dt.date(2021, 5, 4)
    for text in ("Forty judges resigned on 3 May to protest the murder of a colleague in the capital.",
                 "Forty judges quit their posts on 3 May in protest at the killing of a colleague in the capital."):
        assert all(e["event_type"] != "Protests" for e in code(text, day)), text
    for text in ("On 3 May, about 200 farmers gathered outside the town hall to protest against the new water tax.",
                 "On 3 May, families continued their sit-in protest in front of the party office in the city."):
        assert [e["sub_event_type"] for e in code(text, day)] == ["Peaceful protest"], text


def test_spacy_loads_only_for_a_batch_with_a_sentence_to_parse(monkeypatch):
    """A batch whose coded sentences have one kind of event word and tell of no deaths needs no parse: spaCy
    is not loaded for it; a sentence that tells of deaths is parsed."""
    import extraction.coder as coder

    loads = []
    real = coder.load_nlp
    monkeypatch.setattr(coder, "load_nlp", lambda: loads.append(1) or real())
    events = code("Hundreds of protesters marched through Nairobi, Kenya on Monday against new taxes.",
                  dt.date(2024, 6, 25))
    assert events and events[0]["event_type"] == "Protests" and loads == []
    code("Gunmen killed five villagers in Maiduguri, Nigeria on Sunday.", dt.date(2024, 6, 25))
    assert loads == [1]


def test_a_reaction_dated_by_its_telling_takes_the_day_the_document_gives_its_incident():
    """A lead that names its incident as known ("the assassination of ...") and gives only the day it was told
    takes the incident's day told further on; a lead that tells fresh news under the day it was told keeps it."""
    day = dt.date(2024, 3, 14)
    text = ("NAKURU, 14 MAR 24 (XNA) -- The farmers' union today demanded that the police find those behind the "
            "assassination of its chairman Peter Otieno and of his driver.\n\n"
            "At a press briefing, union officials condemned the crime perpetrated on 12 March near Nakuru by masked "
            "men.\n\nOtieno and his driver were kidnapped on the road to Naivasha. Their bodies were dumped in a "
            "forest later.")
    for version in (text, text.upper()):
        events = code(version, day)
        assert events and {e["event_date"] for e in events} == {dt.date(2024, 3, 12)}, version
    fresh = ("NAKURU, 14 MAR 24 (XNA) -- Police reported today that gunmen had attacked a bus near Nakuru, killing "
             "two.\n\nEarlier, on 10 March, police said, bandits burned three houses in a village near Molo.")
    assert [e["event_date"] for e in code(fresh, day)] == [day]


def test_a_day_whose_when_clause_tells_the_event_dates_it_after_since():
    text = ("GUATEMALA CITY, 20 OCT 24 (XNA) -- The former reporters indicated that this is one more attack on the "
            "freedom of the press since 3 August, when Mario Lopez, a columnist who wrote for the weekly, was "
            "murdered.")
    for version in (text, text.upper()):
        assert [e["event_date"] for e in code(version, dt.date(2024, 10, 20))] == [dt.date(2024, 8, 3)], version


def test_a_day_the_text_gives_an_incident_beats_the_publication_day_its_lead_fell_back_on():
    text = ("VIENNA, 20 APR 24 (XNA) -- The foreign minister condemned the killing of Josef Bauer, an Austrian aid "
            "worker in Peru, as a cowardly terrorist attack.\n\n"
            "The embassy in Lima has been told to press the Peruvian police to speed up the inquiry into the murder. "
            "On Tuesday [16 April] a radio station in Lima reported that rebels had shot him at his farm.")
    for version in (text, text.upper()):
        assert [e["event_date"] for e in code(version, dt.date(2024, 4, 20))] == [dt.date(2024, 4, 16)], version


def test_an_event_told_as_what_came_before_the_sentence_acts_takes_their_earliest_day():
    """An event after "following" (or named as what an act protests) that no day attaches to happened no later
    than the acts the sentence dates, nor than the day they began."""
    text = ("NAIROBI, 23 AUG 2024 (XNA) -- Teachers in the county today called off the boycott they started on "
            "17 August following the killing of a headmaster by bandits.")
    for version in (text, text.upper()):
        assert [e["event_date"] for e in code(version, dt.date(2024, 8, 23))] == [dt.date(2024, 8, 17)], version
    text = ("KISUMU (XNA) -- Nurses at the district hospital have been on strike since yesterday to "
            "protest the abduction of a colleague, Jane Achieng, by gunmen.")
    for version in (text, text.upper()):
        assert [e["event_date"] for e in code(version, dt.date(2024, 9, 12))] == [dt.date(2024, 9, 11)], version


def test_an_event_told_in_passing_takes_the_day_its_victim_went_missing():
    """A lead that tells its event in passing ("X, abducted by rebels, lives ...") under the day it was told only
    takes the day the document says the victim went missing."""
    text = ("GULU (XNA) -- Dutch agronomist Pieter Vos, abducted by rebels of the Lord's Resistance Army, lives in "
            "Uganda with his family, the police reported today.\n\n"
            "Vos, 52, who went missing near the town of Kitgum on the night of 10 March, runs a seed company.")
    for version in (text, text.upper()):
        assert [e["event_date"] for e in code(version, dt.date(2024, 3, 12))] == [dt.date(2024, 3, 10)], version
