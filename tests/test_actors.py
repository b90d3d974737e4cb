"""Actors in ACLED's naming with inter codes, and who is actor1 / actor2 in a sentence."""

from __future__ import annotations

import re

import pytest

from extraction.actors import Actor, fill, find_actors, inter_of, lexicon, named_units, official
from extraction.sides import assign, sources
from schemas.acled import Inter as I
from schemas.acled import SubEventType as S


def names(sentence: str, country: str | None) -> list[tuple[str, str, I]]:
    found = find_actors(sentence, country)
    return [(sentence[m.start : m.end].strip(), m.actor.name, m.actor.inter) for m in found]


def actors(sub: S, sentence: str, trigger: str, country: str | None,
           year: int | None = None) -> tuple[Actor, Actor | None]:
    """actor1 and actor2 for a sentence whose event trigger is the word `trigger`, regime years dropped (they
    come from the lexicon and are tested on their own below)."""
    a1, a2 = assign(sub, sentence, sentence.index(trigger), find_actors(sentence, country), country, year)
    return bare(a1), bare(a2) if a2 else None


def bare(actor: Actor) -> Actor:
    return Actor(re.sub(r" \(\d{4}-\d{0,4}\)", "", actor.name), actor.inter)


# --- templates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template, country, name",
    [
        ("Police Forces of {c}", "Kenya", "Police Forces of Kenya"),
        ("Protesters ({c})", "Venezuela", "Protesters (Venezuela)"),
        ("Unidentified Armed Group ({c})", "Mali", "Unidentified Armed Group (Mali)"),
        ("Police Forces of {c}", None, "Police Forces"),
        ("Protesters ({c})", None, "Protesters"),
        ("Unidentified Armed Group ({c})", "", "Unidentified Armed Group"),
        ("Taliban", None, "Taliban"),
        ("Al Shabaab", "Somalia", "Al Shabaab"),
    ],
)
def test_fill(template, country, name):
    assert fill(template, country) == name


@pytest.mark.parametrize(
    "template, inter",
    [
        ("Police Forces of {c}", I.STATE_FORCES),
        ("Military Forces of {c}", I.STATE_FORCES),
        ("Al Shabaab", I.REBEL_GROUP),
        ("Unidentified Armed Group ({c})", I.POLITICAL_MILITIA),
        ("Unidentified Communal Militia ({c})", I.IDENTITY_MILITIA),
        ("Fulani Ethnic Militia (Nigeria)", I.IDENTITY_MILITIA),
        ("JNIM: Group for Support of Islam and Muslims", I.REBEL_GROUP),
        ("Rioters ({c})", I.RIOTERS),
        ("Protesters ({c})", I.PROTESTERS),
        ("Civilians ({c})", I.CIVILIANS),
        ("Wagner Group", I.EXTERNAL_OTHER),
        ("Some Unknown Movement", I.EXTERNAL_OTHER),
    ],
)
def test_inter_of(template, inter):
    assert inter_of(template) == inter


# --- finding actors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, country, expected",
    [
        ("Police arrested a journalist in Harare.", "Zimbabwe",
         [("Police", "Police Forces of Zimbabwe", I.STATE_FORCES),
          ("journalist", "Civilians (Zimbabwe)", I.CIVILIANS)]),
        ("Soldiers clashed with the ELN near the border.", "Colombia",
         [("Soldiers", "Military Forces of Colombia", I.STATE_FORCES),
          ("ELN", "ELN: National Liberation Army", I.REBEL_GROUP)]),
        ("Bandits ambushed a convoy of soldiers.", "Nigeria",
         [("Bandits", "Unidentified Armed Group (Nigeria)", I.POLITICAL_MILITIA),
          ("soldiers", "Military Forces of Nigeria", I.STATE_FORCES)]),
        ("Protesters and riot police faced each other outside parliament.", "Kenya",
         [("Protesters", "Protesters (Kenya)", I.PROTESTERS),
          ("riot police", "Police Forces of Kenya", I.STATE_FORCES)]),
        ("Unknown gunmen shot dead a pastor in Plateau.", "Nigeria",
         [("Unknown gunmen", "Unidentified Armed Group (Nigeria)", I.POLITICAL_MILITIA),
          ("pastor", "Civilians (Nigeria)", I.CIVILIANS)]),
        ("Vigilantes lynched a suspected thief.", "Uganda",
         [("Vigilantes", "Unidentified Communal Militia (Uganda)", I.IDENTITY_MILITIA)]),
        ("The Houthis fired a missile at a ship.", "Yemen",
         [("Houthis", "Military Forces of Yemen (2016-) Supreme Political Council", I.STATE_FORCES)]),
        ("The authorities released 70 detainees.", None,
         [("The authorities", "Government", I.STATE_FORCES), ("detainees", "Civilians", I.CIVILIANS)]),
        ("The weather was calm.", "Kenya", []),
    ],
)
def test_find_actors(sentence, country, expected):
    assert names(sentence, country) == expected


def test_mentions_are_sorted_and_do_not_overlap():
    sentence = "Riot police arrested students and traders after the Taliban protest."
    mentions = find_actors(sentence, "Afghanistan")
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start


@pytest.mark.parametrize(
    "sentence, country, group",
    [
        ("Al Shabaab fighters attacked a police station in Mogadishu.", "Somalia", "Al Shabaab"),
        ("Boko Haram militants killed five villagers in Borno.", "Nigeria",
         "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
    ],
)
def test_named_group_with_a_generic_noun_is_one_actor(sentence, country, group):
    found = {name for _, name, _ in names(sentence, country)}
    assert group in found
    assert f"Unidentified Armed Group ({country})" not in found


@pytest.mark.parametrize(
    "sentence, spans",
    [
        ("Traders began a boycott of the market.", ["Traders"]),
        ("The ministry issued a statement.", ["The ministry"]),
        ("A copper trader was shot dead near Kolwezi.", ["trader"]),
        ("Fishermen found a body near the jetty.", ["Fishermen", "body"]),
    ],
)
def test_actor_words_match_whole_words_only(sentence, spans):
    assert [span for span, _, _ in names(sentence, "Kenya")] == spans


# --- assigning actor1 / actor2 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sub, sentence, trigger, country, actor1, actor2",
    [
        (S.ATTACK, "Soldiers killed three civilians in Gao.", "killed", "Mali",
         ("Military Forces of Mali", I.STATE_FORCES), ("Civilians (Mali)", I.CIVILIANS)),
        (S.ATTACK, "Three civilians were killed by soldiers in Gao.", "killed", "Mali",
         ("Military Forces of Mali", I.STATE_FORCES), ("Civilians (Mali)", I.CIVILIANS)),
        (S.ATTACK, "Three civilians were killed in Gao.", "killed", "Mali",
         ("Unidentified Armed Group (Mali)", I.POLITICAL_MILITIA), ("Civilians (Mali)", I.CIVILIANS)),
        (S.ABDUCTION, "Gunmen abducted three travellers on the highway.", "abducted", "Nigeria",
         ("Unidentified Armed Group (Nigeria)", I.POLITICAL_MILITIA), ("Civilians (Nigeria)", I.CIVILIANS)),
        (S.ABDUCTION, "Two farmers were abducted by gunmen near Kaduna.", "abducted", "Nigeria",
         ("Unidentified Armed Group (Nigeria)", I.POLITICAL_MILITIA), ("Civilians (Nigeria)", I.CIVILIANS)),
        (S.ARRESTS, "Police arrested two opposition supporters in Kampala.", "arrested", "Uganda",
         ("Police Forces of Uganda", I.STATE_FORCES), ("Civilians (Uganda)", I.CIVILIANS)),
        (S.ARMED_CLASH, "Soldiers clashed with ELN rebels near the border.", "clashed", "Colombia",
         ("Military Forces of Colombia", I.STATE_FORCES), ("ELN: National Liberation Army", I.REBEL_GROUP)),
        (S.ARMED_CLASH, "Heavy fighting was reported near the border.", "fighting", "Colombia",
         ("Military Forces of Colombia", I.STATE_FORCES),
         ("Unidentified Armed Group (Colombia)", I.POLITICAL_MILITIA)),
        (S.AGREEMENT, "The government released 70 detainees on Friday.", "released", "Venezuela",
         ("Government of Venezuela", I.STATE_FORCES), None),
        (S.AIR_DRONE_STRIKE, "An airstrike hit a market.", "airstrike", "Sudan",
         ("Military Forces of Sudan", I.STATE_FORCES), None),
        (S.ATTACK, "Gunmen shot dead a pastor.", "shot dead", None,
         ("Unidentified Armed Group", I.POLITICAL_MILITIA), ("Civilians", I.CIVILIANS)),
    ],
)
def test_assign(sub, sentence, trigger, country, actor1, actor2):
    a1, a2 = actors(sub, sentence, trigger, country)
    assert (a1.name, a1.inter) == actor1
    assert ((a2.name, a2.inter) if a2 else None) == actor2


@pytest.mark.parametrize(
    "sub, sentence, trigger, actor1, actor2",
    [
        (S.PEACEFUL_PROTEST, "Students held a peaceful protest in Nairobi.", "protest",
         ("Protesters (Kenya)", I.PROTESTERS), None),
        (S.PEACEFUL_PROTEST, "Protesters blocked the road and police watched the protest.", "protest",
         ("Protesters (Kenya)", I.PROTESTERS), None),
        (S.PROTEST_WITH_INTERVENTION, "Police fired tear gas at a protest by students in Nairobi.", "protest",
         ("Protesters (Kenya)", I.PROTESTERS), ("Police Forces of Kenya", I.STATE_FORCES)),
        # ACLED codes the protesters as actor1 even when force is used against them.
        (S.EXCESSIVE_FORCE, "Security forces shot dead two protesters during a demonstration.", "shot dead",
         ("Protesters (Kenya)", I.PROTESTERS), ("Military Forces of Kenya", I.STATE_FORCES)),
        (S.EXCESSIVE_FORCE, "Live ammunition was used to disperse a protest in Kisumu.", "protest",
         ("Protesters (Kenya)", I.PROTESTERS), ("Police Forces of Kenya", I.STATE_FORCES)),
        (S.VIOLENT_DEMONSTRATION, "Protesters threw stones at police during a protest.", "threw stones",
         ("Rioters (Kenya)", I.RIOTERS), ("Police Forces of Kenya", I.STATE_FORCES)),
        (S.VIOLENT_DEMONSTRATION, "A crowd torched a bus during a protest in Kisumu.", "torched",
         ("Rioters (Kenya)", I.RIOTERS), None),
    ],
)
def test_assign_demonstrations(sub, sentence, trigger, actor1, actor2):
    a1, a2 = actors(sub, sentence, trigger, "Kenya")
    assert (a1.name, a1.inter) == actor1
    assert ((a2.name, a2.inter) if a2 else None) == actor2


@pytest.mark.parametrize(
    "sub, sentence, trigger, country, group",
    [
        (S.ARMED_CLASH, "Al Shabaab fighters attacked a police station in Mogadishu.", "attacked", "Somalia",
         "Al Shabaab"),
        (S.ATTACK, "Taliban gunmen killed two men in Kunduz.", "killed", "Afghanistan", "Taliban"),
    ],
)
def test_named_group_is_actor1(sub, sentence, trigger, country, group):
    a1, _ = actors(sub, sentence, trigger, country)
    assert (a1.name, a1.inter) == (group, I.REBEL_GROUP)


def test_victim_named_by_a_word_starting_with_cop_is_a_civilian():
    sentence = "A copper trader was shot dead near Kolwezi."
    _, a2 = actors(S.ATTACK, sentence, "shot dead", "Democratic Republic of Congo")
    assert (a2.name, a2.inter) == ("Civilians (Democratic Republic of Congo)", I.CIVILIANS)


# --- ACLED's full names from the lexicon -----------------------------------------------------------------


def test_lexicon_is_names_and_counts():
    lex = lexicon()
    assert {"state", "templates", "groups"} <= set(lex)
    for group in lex["groups"]:
        assert set(group) == {"name", "inter", "n", "aliases", "countries"}
        assert 1 <= group["inter"] <= 8
        assert all(len(alias) <= 60 for alias in group["aliases"])


@pytest.mark.parametrize(
    "name, year, sentence, full",
    [
        ("Military Forces of Russia", 2022, "", "Military Forces of Russia (2000-)"),
        ("Military Forces of Russia", 2022, "Russian warplanes struck a depot.",
         "Military Forces of Russia (2000-) Air Force"),
        ("Police Forces of Kyrgyzstan", 2019, "", "Police Forces of Kyrgyzstan (2017-2020)"),
        ("Police Forces of Kyrgyzstan", 2022, "", "Police Forces of Kyrgyzstan (2021-)"),
        ("Police Forces of United States", 2020, "", "Police Forces of the United States (2017-)"),
        ("Military Forces of Philippines", 2020, "", "Military Forces of the Philippines"),  # not in the data: no years
        ("Police Forces of Atlantis", 2020, "", "Police Forces of Atlantis"),
        ("Protesters (Kenya)", 2020, "", "Protesters (Kenya)"),
    ],
)
def test_official_state_names(name, year, sentence, full):
    assert official(Actor(name, I.STATE_FORCES), year, sentence).name == full


@pytest.mark.parametrize(
    "sub, sentence, trigger, country, year, expected",
    [
        # The unit's own name at the mention: that unit, under the kind ACLED files it, with its years when the
        # event's year is in its span and without years when it is not (never another regime's years).
        (S.ARMED_CLASH, "Gendarmerie forces exchanged fire with a rebel unit near the pass.", "exchanged fire",
         "Turkey", 2020, "Military Forces of Turkey (2016-) Gendarmerie"),
        (S.ARMED_CLASH, "Suspected smugglers shot at National Guard officers on the road.", "shot",
         "Mexico", 2020, "Police Forces of Mexico (2018-) National Guard"),
        (S.ARMED_CLASH, "A dealer exchanged fire with civil police forces in the market.", "exchanged fire",
         "Brazil", 2020, "Police Forces of Brazil Civil Police"),
        # A unit named for the other side is not this actor's ("the GNA camp" is the target).
        (S.AIR_DRONE_STRIKE, "The LNA air force struck a GNA camp south of the city.", "struck", "Libya", 2020,
         "Military Forces of Libya"),
    ],
)
def test_a_unit_named_at_the_force(sub, sentence, trigger, country, year, expected):
    a1, _ = assign(sub, sentence, sentence.index(trigger), find_actors(sentence, country), country, year)
    assert a1.name == expected


@pytest.mark.parametrize(
    "sub, sentence, trigger, country, expected",
    [
        # A crowd a demonym names is named by its nationality, wherever it protests.
        (S.PEACEFUL_PROTEST, "Some 200 Bolivian workers protested outside the consulate in the port.", "protested",
         "Chile", "Protesters (Bolivia)"),
        (S.PEACEFUL_PROTEST, "Syrians from the camp demonstrated against the cuts in aid.", "demonstrated",
         "Jordan", "Protesters (Syria)"),
        (S.PEACEFUL_PROTEST, "Residents protested against the water cuts.", "protested", "Chile", "Protesters (Chile)"),
        # A country's name is not its people; a mob's victims after the trigger do not name the mob.
        (S.PEACEFUL_PROTEST, "Workers protested in the Philippines capital.", "protested", "Philippines",
         "Protesters (Philippines)"),
        (S.MOB_VIOLENCE, "A mob beat two Chinese workers at the mine.", "beat", "Zambia", "Rioters (Zambia)"),
    ],
)
def test_a_crowd_named_by_its_nationality(sub, sentence, trigger, country, expected):
    a1, _ = assign(sub, sentence, sentence.index(trigger), find_actors(sentence, country), country, 2020)
    assert a1.name == expected


def test_a_rubric_names_no_actor_and_its_event_word_leaves_the_body_subject_first():
    sentence = "Troop movements: On 3 June, Kenyan forces and Somali troops drove a convoy to the border post."
    assert [n for _, n, _ in names(sentence, "Somalia")] == ["Military Forces of Kenya", "Military Forces of Somalia"]
    a1, _ = assign(S.CHANGE_TO_GROUP, sentence, sentence.index("movements"), find_actors(sentence, "Somalia"),
                   "Somalia")
    assert a1.name == "Military Forces of Kenya"


def test_an_earlier_sentence_names_the_unit_that_acts_after_it():
    earlier = "The Military Police raided a hillside district at dawn."
    then = "A shoot-out broke out and a suspect was wounded."
    told = named_units(find_actors(earlier, "Brazil"), earlier, 2020)
    a1, _ = assign(S.ARMED_CLASH, then, then.index("shoot-out"), find_actors(then, "Brazil"), "Brazil", 2020, told)
    assert a1.name == "Military Forces of Brazil Military Police"
    plain = "Soldiers raided a hillside district at dawn."
    assert named_units(find_actors(plain, "Brazil"), plain, 2020) == find_actors(plain, "Brazil")


@pytest.mark.parametrize(
    "sub, sentence, trigger, country, expected",
    [
        # Sides joined as one subject keep the order written; the nearest subject otherwise.
        (S.ARMED_CLASH, "The rebels and the army fought a short gun battle near the mine.", "fought", "Philippines",
         "Unidentified Armed Group (Philippines)"),
        (S.ARRESTS, "A joint team of police and soldiers arrested four suspects.", "arrested", "India",
         "Police Forces of India (2014-)"),
        # The forces after a verb of attack are its object, not part of the trigger's noun phrase.
        (S.ARMED_CLASH, "Rebel fighters attacked government forces at the bridge.", "attacked", "Mali",
         "Unidentified Armed Group (Mali)"),
    ],
)
def test_who_acts_among_the_subjects(sub, sentence, trigger, country, expected):
    a1, _ = assign(sub, sentence, sentence.index(trigger), find_actors(sentence, country), country)
    assert a1.name == expected


def test_assign_writes_the_regime_of_the_event_year():
    sentence = "Police arrested two traders in Osh."
    a1, a2 = assign(S.ARRESTS, sentence, sentence.index("arrested"), find_actors(sentence, "Kyrgyzstan"),
                    "Kyrgyzstan", 2019)
    assert a1.name == "Police Forces of Kyrgyzstan (2017-2020)"
    assert a2.name == "Civilians (Kyrgyzstan)"


@pytest.mark.parametrize(
    "sentence, country, expected",
    [
        # A demonym before a force names the force's country; a protester found in a sentence is of the event's
        # country (the crowd of a demonstration is named by `assign`, from the demonym that qualifies it).
        ("Russian forces shelled the outskirts of the town.", "Ukraine", "Military Forces of Russia"),
        ("Colombian riot police fired tear gas across the bridge.", "Ecuador", "Police Forces of Colombia"),
        ("Afghan National Security Forces repelled the raid.", "Afghanistan", "Military Forces of Afghanistan"),
        ("Kenyan protesters marched to the embassy.", "Uganda", "Protesters (Uganda)"),
        # Named groups from the lexicon, by acronym (case-sensitive) or by name.
        ("JNIM militants ambushed a convoy.", "Mali", "JNIM: Group for Support of Islam and Muslims"),
        ("Fighters of the Kachin Independence Army seized a post.", "Myanmar",
         "KIO/KIA: Kachin Independence Organization/Kachin Independence Army"),
        ("Houthi fighters fired on the camp.", "Yemen", "Military Forces of Yemen (2016-) Supreme Political Council"),
        # Traffickers and criminal groups are gangs, as ACLED names them.
        ("Drug traffickers fired on a patrol near the port.", "Brazil", "Unidentified Gang (Brazil)"),
        ("Two criminal groups fought over the route.", "Mexico", "Unidentified Gang (Mexico)"),
        # A party, group or force the text says is unknown is an unidentified armed group, not the army.
        ("Mortar fire by an unknown party hit the market.", "Libya", "Unidentified Armed Group (Libya)"),
        ("An unidentified military group flew drones over the airbase.", "Syria", "Unidentified Armed Group (Syria)"),
        # "pro-X": X's side; "anti-X" is not X.
        ("Pro-Houthi forces shelled the hills.", "Yemen", "Military Forces of Yemen (2016-) Supreme Political Council"),
        ("Anti-Houthi gunmen ambushed a patrol.", "Yemen", "Unidentified Armed Group (Yemen)"),
        ("Saudi-led coalition warplanes bombed a bridge.", "Yemen", "Operation Restoring Hope"),
        ("Fulani herdsmen attacked farmers in the village.", "Nigeria", "Fulani Ethnic Militia (Nigeria)"),
        ("A mob lynched a suspected thief.", "Kenya", "Rioters (Kenya)"),
        ("Security guards at the mine shot a trespasser.", "Ghana", "Private Security Forces (Ghana)"),
    ],
)
def test_find_actors_first_actor(sentence, country, expected):
    assert find_actors(sentence, country)[0].actor.name == expected


@pytest.mark.parametrize(
    "sentence, country",
    [
        ("The npp office was closed.", "Ghana"),  # a short acronym in lower case is a word, not a party
        ("The CPC met in Beijing.", "China"),  # a group learned from one country's events counts only there
        ("Police said the kia was stolen.", "Myanmar"),
    ],
)
def test_named_groups_need_their_own_name_and_country(sentence, country):
    assert all(m.actor.inter in (I.STATE_FORCES, I.CIVILIANS) for m in find_actors(sentence, country))


def test_lower_cased_text_still_finds_long_acronyms_and_names():
    found = {m.actor.name for m in find_actors("jnim militants attacked the al shabaab camp.", "Mali")}
    assert {"JNIM: Group for Support of Islam and Muslims", "Al Shabaab"} <= found


@pytest.mark.parametrize(
    "sub, sentence, trigger, actor1, actor2",
    [
        (S.MOB_VIOLENCE, "A mob beat a man accused of theft.", "beat",
         ("Rioters (Kenya)", I.RIOTERS), ("Civilians (Kenya)", I.CIVILIANS)),
        (S.ATTACK, "A mob lynched two men accused of witchcraft.", "lynched",
         ("Rioters (Kenya)", I.RIOTERS), ("Civilians (Kenya)", I.CIVILIANS)),
        (S.ARMED_CLASH, "Al Shabaab militants clashed with Kenyan troops near the border.", "clashed",
         ("Al Shabaab", I.REBEL_GROUP), ("Military Forces of Kenya", I.STATE_FORCES)),
        (S.ATTACK, "Al Shabaab militants killed two teachers.", "killed",
         ("Al Shabaab", I.REBEL_GROUP), ("Civilians (Kenya)", I.CIVILIANS)),
        (S.REMOTE_EXPLOSIVE, "A roadside bomb exploded near a police truck.", "bomb",
         ("Unidentified Armed Group (Kenya)", I.POLITICAL_MILITIA), ("Police Forces of Kenya", I.STATE_FORCES)),
        (S.VIOLENT_DEMONSTRATION, "Students threw stones at riot police.", "threw stones",
         ("Rioters (Kenya)", I.RIOTERS), ("Police Forces of Kenya", I.STATE_FORCES)),
    ],
)
def test_assign_violence(sub, sentence, trigger, actor1, actor2):
    a1, a2 = actors(sub, sentence, trigger, "Kenya")
    assert (a1.name, a1.inter) == actor1
    assert ((a2.name, a2.inter) if a2 else None) == actor2


def test_agent_of_an_earlier_sentence_fills_a_follow_up():
    first = "Al Shabaab militants stormed a village near the border."
    second = "Four farmers were killed and two were wounded."
    a1, a2 = assign(S.ATTACK, second, second.index("killed"), find_actors(second, "Kenya"), "Kenya", 2020,
                    find_actors(first, "Kenya"))
    assert (a1.name, a2.name) == ("Al Shabaab", "Civilians (Kenya)")


def test_generic_noun_mentions_carry_no_spaces():
    for m in find_actors("On Monday fighters and unknown gunmen raided the camp.", "Mali"):
        assert m.actor.name == "Unidentified Armed Group (Mali)"
    spans = [("On Monday fighters and unknown gunmen raided the camp."[m.start : m.end]) for m in
             find_actors("On Monday fighters and unknown gunmen raided the camp.", "Mali")]
    assert spans == ["fighters", "unknown gunmen"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Teachers and nurses marched to parliament.", "Teachers (Kenya); Health Workers (Kenya)"),
        ("Factory workers went on strike over wages.", "Labour Group (Kenya)"),
        ("Residents blocked the road.", None),
    ],
)
def test_associated_actors(sentence, expected):
    from extraction.actors import associated

    assert associated(sentence, "Kenya") == expected


def test_state_forces_abroad_are_external_forces():
    sentence = "Russian forces shelled the outskirts of the town."
    a1, _ = actors(S.SHELLING, sentence, "shelled", "Ukraine", 2022)
    assert (a1.name, a1.inter) == ("Military Forces of Russia", I.EXTERNAL_OTHER)
    a1, _ = actors(S.SHELLING, "Ukrainian forces shelled the outskirts of the town.", "shelled", "Ukraine", 2022)
    assert (a1.name, a1.inter) == ("Military Forces of Ukraine", I.STATE_FORCES)


@pytest.mark.parametrize(
    "sub, sentence, trigger, actor1",
    [
        (S.ARRESTS, "The authorities arrested three journalists in Nairobi.", "arrested", "Police Forces of Kenya"),
        (S.ATTACK, "The government said soldiers killed two herders.", "killed", "Military Forces of Kenya"),
        (S.AGREEMENT, "The government released 40 detainees.", "released", "Government of Kenya"),
    ],
)
def test_government_acts_only_in_political_events(sub, sentence, trigger, actor1):
    assert actors(sub, sentence, trigger, "Kenya")[0].name == actor1


def test_sub_unit_comes_from_the_actors_own_words():
    sentence = "Ukrainian forces shot down Russian warplanes over Kharkiv."
    a1, a2 = assign(S.DISRUPTED_WEAPONS, sentence, sentence.index("shot"), find_actors(sentence, "Ukraine"),
                    "Ukraine", 2022)
    assert a1.name == "Military Forces of Ukraine (2019-)"  # the warplanes are Russian
    assert a2.name == "Military Forces of Russia (2000-) Air Force"


def _build_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_actor_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_actor_lexicon", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "name, inter",
    [
        ("Police Forces of Ghana (2017-)", 1),
        ("Military Forces of Russia (2000-) Air Force", 1),
        ("KIO/KIA: Kachin Independence Organization/Kachin Independence Army", 2),
        ("NPP: New Patriotic Party", 3),
        ("Unidentified Armed Group (Mali)", 3),
        ("Konkomba Ethnic Militia (Ghana)", 4),
        ("Rioters (Ghana)", 5),
        ("Protesters (Ghana)", 6),
        ("Civilians (Ghana)", 7),
        ("Private Security Forces (Ghana)", 8),
        ("UNP: United National Party", 3),
    ],
)
def test_build_script_infers_inter_from_the_name(name, inter):
    assert _build_script().inter_of_name(name) == inter


@pytest.mark.parametrize(
    "name, aliases",
    [
        ("KIO/KIA: Kachin Independence Organization/Kachin Independence Army",
         ["KIA", "KIO", "Kachin Independence Army", "Kachin Independence Organization"]),
        ("Hamas Movement", ["Hamas", "Hamas Movement"]),
        ("Islamic State (Sahel)", []),  # a qualified name: its bare head names other branches too
        ("AL: Bangladesh Awami League", ["Bangladesh Awami League"]),  # "AL" is too short to match alone
    ],
)
def test_build_script_derives_aliases(name, aliases):
    assert _build_script().aliases_of(name) == aliases


def test_the_force_named_with_the_weapon_is_the_agent():
    """"Russian attack drones struck ...": the force sits inside the trigger's own noun phrase."""
    a1, _ = actors(S.AIR_DRONE_STRIKE, "Russian attack drones struck a market in Sumy on Monday, killing two "
                   "people, the regional governor said.", "attack drones", "Ukraine")
    assert a1.name == "Military Forces of Russia"
    a1, _ = actors(S.AIR_DRONE_STRIKE, "Israeli fighter jets bombed a house in Rafah on Sunday.", "fighter jets",
                   "Palestine")
    assert a1.name == "Military Forces of Israel"


def test_communities_that_fight_each_other_are_named_after_the_community():
    from extraction.actors import find_actors

    def names(text: str) -> list[str]:
        return [m.actor.name for m in find_actors(text, "Ghana")]

    assert names("Youths of the Nkwanta and Odomi neighbourhoods clashed over a market stall.") == [
        "Nkwanta Communal Militia (Ghana)", "Odomi Communal Militia (Ghana)"]
    assert "Fulani Ethnic Militia (Ghana)" in names("The people of Fulani and Nkwanta fought each other.")
    # A community attacked is its civilians; a nation's community, or members of a body, are no militia.
    assert not any("Militia" in n for n in names("Gunmen attacked the Nkwanta community at night."))
    assert not any("Militia" in n for n in names("Members of Parliament clashed with the minister."))
    assert not any("Militia" in n for n in names("The Nigerian community clashed with police."))


def test_in_text_written_in_capitals_an_acronym_that_is_an_english_word_is_the_word():
    from extraction.actors import _named, group_countries

    shouted = "THE COMMANDER SAID THE TRUCE IS OVER AND THE ARMY IS READY TO ANSWER."
    assert group_countries(shouted) == []
    assert _named(shouted, None) == []
    cased = "Fighters loyal to IS ambushed a convoy on the road to the town."
    assert group_countries(cased) != []  # the same acronym in mixed case is the group
    assert [cased[m.start:m.end] for m in _named(cased, None)] == ["IS"]


@pytest.mark.parametrize("sub, sentence, trigger, actor1, actor2", [
    # the force only tells of the attack: the unattributed attackers act, the civilians are hit
    (S.ATTACK, "Police said three farmers were shot near the river crossing.", "shot",
     "Unidentified Armed Group (Kenya)", "Civilians (Kenya)"),
    (S.ATTACK, "Three farmers were shot near the river crossing, a police spokesman told reporters.", "shot",
     "Unidentified Armed Group (Kenya)", "Civilians (Kenya)"),
    (S.ATTACK, "According to the police, three farmers were shot near the river crossing.", "shot",
     "Unidentified Armed Group (Kenya)", "Civilians (Kenya)"),
    (S.ATTACK, "Police reported an attack on three farmers near the river crossing.", "attack",
     "Unidentified Armed Group (Kenya)", "Civilians (Kenya)"),
    # a named agent stays the agent whoever tells of it
    (S.ATTACK, "The army reported that al-Shabaab fighters shot three farmers.", "shot",
     "Al Shabaab", "Civilians (Kenya)"),
    # the force that tells of its own deed is still its agent
    (S.ATTACK, "Police said they shot three robbers near the river crossing.", "shot",
     "Police Forces of Kenya", None),
    (S.ATTACK, "Al-Shabaab claimed to have shot three soldiers near the river crossing.", "shot",
     "Al Shabaab", None),
    (S.ATTACK, "Police shot three robbers near the river crossing, officials said.", "shot",
     "Police Forces of Kenya", None),
])
def test_a_force_that_only_tells_of_the_event_is_not_its_side(sub, sentence, trigger, actor1, actor2):
    a1, a2 = actors(sub, sentence, trigger, "Kenya")
    assert a1.name == actor1
    if actor2 is not None:
        assert a2 is not None and a2.name == actor2


@pytest.mark.parametrize("text, told", [
    ("Police said a market stall was set on fire overnight.", True),
    ("The fire started overnight, according to the police.", True),
    ("Police said they arrested four men overnight.", False),  # their own deed
    ("Police arrested four men overnight.", False),
])
def test_earlier_text_names_as_source_only_who_tells_of_others_deeds(text, told):
    found = find_actors(text, "Kenya")
    assert found
    assert bool(sources(text, found)) is told


def test_in_capitals_a_country_code_that_is_an_english_word_names_no_force():
    """Wire copy in capitals: 'IN', 'TO', 'AT' before a force and the 'TH' of '5TH' are words, not the codes
    of India, Tonga, Austria or Thailand; the force is the event country's. A demonym still names its own."""
    for sentence in ("GUNMEN FIRED AT THE ARMY PATROL ON THE ROAD.",
                     "A SOLDIER WAS TAKEN TO THE MILITARY HOSPITAL AFTER THE AMBUSH.",
                     "THE 5TH BRIGADE TROOPS REPELLED THE REBEL INCURSION.",
                     "SHOTS WERE FIRED IN FRONT OF THE POLICE STATION."):
        names = {m.actor.name for m in find_actors(sentence, "Peru")}
        assert names and all(name.endswith(("of Peru", "(Peru)")) for name in names), (sentence, names)
    assert {m.actor.name for m in find_actors("CHILEAN TROOPS CROSSED THE BORDER.", "Peru")} == {
        "Military Forces of Chile"}
