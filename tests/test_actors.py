"""Actors in ACLED's naming with inter codes, and who is actor1 / actor2 in a sentence."""

from __future__ import annotations

import pytest

from extraction.actors import Actor, assign, fill, find_actors, inter_of
from schemas.acled import Inter as I
from schemas.acled import SubEventType as S


def names(sentence: str, country: str | None) -> list[tuple[str, str, I]]:
    found = find_actors(sentence, country)
    return [(sentence[m.start : m.end].strip(), m.actor.name, m.actor.inter) for m in found]


def actors(sub: S, sentence: str, trigger: str, country: str | None) -> tuple[Actor, Actor | None]:
    """actor1 and actor2 for a sentence whose event trigger is the word `trigger`."""
    return assign(sub, sentence, sentence.index(trigger), find_actors(sentence, country), country)


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
        ("Unidentified Militia ({c})", I.IDENTITY_MILITIA),
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
         [("Vigilantes", "Unidentified Militia (Uganda)", I.IDENTITY_MILITIA)]),
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
        ("Fishermen found a body near the jetty.", ["body"]),
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
        (S.EXCESSIVE_FORCE, "Security forces shot dead two protesters during a demonstration.", "shot dead",
         ("Military Forces of Kenya", I.STATE_FORCES), ("Protesters (Kenya)", I.PROTESTERS)),
        (S.EXCESSIVE_FORCE, "Live ammunition was used to disperse a protest in Kisumu.", "protest",
         ("Police Forces of Kenya", I.STATE_FORCES), ("Protesters (Kenya)", I.PROTESTERS)),
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
