"""Who killed whom from the parse (extraction.roles): each way of naming the killer, the victim, and what the
coder does with them. Sentences are the team's own."""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.actors import Actor
from extraction.coder import load_nlp
from extraction.roles import Roles, assign_killing, killings, name_roles, named_dead, tells_death
from schemas.acled import Inter as I
from schemas.acled import SubEventType as S
from tests.test_coder import code

COUNTRY = "Kenya"


def read(sentence: str, country: str = COUNTRY) -> Roles:
    return name_roles(killings(load_nlp()(sentence)), sentence, country)


def kinds(roles: Roles) -> tuple[I | None, I | None]:
    return (roles.killer.inter if roles.killer else None, roles.victim.inter if roles.victim else None)


@pytest.mark.parametrize("sentence, killer, victim", [
    # a passive with its "by" phrase: the victim comes first, the killer after
    ("Three traders were shot dead by police near the market.", I.STATE_FORCES, I.CIVILIANS),
    ("A farmer was killed by the mob on Sunday.", I.RIOTERS, I.CIVILIANS),
    # an active verb: its subject kills, its object is killed, whoever they are
    ("Gunmen killed two soldiers at a checkpoint.", I.POLITICAL_MILITIA, I.STATE_FORCES),
    ("Soldiers killed four gunmen in the forest.", I.STATE_FORCES, I.POLITICAL_MILITIA),
    # "who" takes its antecedent
    ("The bandits who killed three herders fled on motorbikes.", I.POLITICAL_MILITIA, I.CIVILIANS),
])
def test_agent_and_victim_by_grammatical_role(sentence, killer, victim):
    assert kinds(read(sentence)) == (killer, victim)


@pytest.mark.parametrize("sentence", [
    "one man was killed in police firing at the bus stand.",  # lower-cased text, a cause phrase
    "ONE MAN DIED IN POLICE FIRING AT THE BUS STAND.",  # capitals change nothing
    "two youths died due to firing by the police.",
    "the deaths were caused by police bullets, the family said.",
])
def test_a_force_named_in_the_cause_of_death_is_the_killer(sentence):
    assert read(sentence).killer.inter == I.STATE_FORCES


@pytest.mark.parametrize("sentence", [
    "the police opened fire on the crowd, killing four.",  # a participle takes its clause's subject
    "four people were killed when police opened fire on the crowd.",  # a clause of firing beside the death
    "police fired at the stone-throwers and two people died.",
])
def test_a_clause_of_firing_names_the_killer(sentence):
    assert read(sentence).killer.inter == I.STATE_FORCES


def test_a_headline_passive_subject_is_the_victim():
    roles = read("Two policemen killed in ambush near the border.")
    assert roles.killer is None and roles.victim.inter == I.STATE_FORCES


@pytest.mark.parametrize("sentence", [
    "Police said two bodies were found near the river.",
    "The police suspect that three people were dead before the fire.",
])
def test_a_state_force_that_reports_deaths_is_not_the_killer(sentence):
    roles = read(sentence)
    assert roles.killer is None and roles.unsaid


def test_a_manner_of_killing_takes_no_cause_from_firing_beside_it():
    roles = read("a man was stabbed to death and the police fired in the air to disperse the crowd.")
    assert roles.killer is None


def test_a_killing_named_by_a_noun():
    assert kinds(read("The killing of two farmers by soldiers angered the village.")) == (I.STATE_FORCES, I.CIVILIANS)


def test_deaths_worth_parsing():
    assert tells_death("three were shot dead") and tells_death("the toll of the deaths rose")
    assert not tells_death("police arrested five men after the protest")


POLICE = Actor("Police Forces of Kenya", I.STATE_FORCES)
RIOTERS = Actor("Rioters (Kenya)", I.RIOTERS)
GUNMEN = Actor("Unidentified Armed Group (Kenya)", I.POLITICAL_MILITIA)


def decide(sub: S, actor1: Actor, actor2: Actor | None, sentence: str) -> tuple[str, str | None, bool]:
    a1, a2, named = assign_killing(sub, actor1, actor2, killings(load_nlp()(sentence)), sentence, COUNTRY, 2021)
    return a1.name.split(" (")[0], a2.name.split(" (")[0] if a2 else None, named


def test_the_killer_becomes_actor1_and_the_crowd_it_fired_on_actor2():
    a1, a2, named = decide(S.MOB_VIOLENCE, RIOTERS, None, "police fired at the rioting mob, killing two.")
    assert (a1, a2, named) == ("Police Forces of Kenya", "Rioters", True)


def test_an_unattributed_killing_does_not_keep_the_police_as_actor1():
    a1, a2, named = decide(S.ATTACK, POLICE, None, "Police said two men were found dead in a ditch.")
    assert (a1, a2, named) == ("Unidentified Armed Group", "Civilians", False)


def test_a_clash_keeps_its_sides_whichever_killed():
    a1, a2, _ = decide(S.ARMED_CLASH, POLICE, GUNMEN, "the gunmen killed two officers during the exchange.")
    assert (a1, a2) == ("Police Forces of Kenya", "Unidentified Armed Group")


def test_sentence_without_a_death_is_left_alone():
    assert decide(S.ATTACK, POLICE, None, "Police beat three hawkers in the market.") == (
        "Police Forces of Kenya", None, False)


def test_coder_codes_a_police_killing_during_a_riot_as_its_own_event():
    text = ("Nakuru: A mob torched five shops in the old market on Tuesday. Police fired at the rioters in the old "
            "market, killing two people.")
    events = code(text, published=dt.date(2021, 3, 3))
    killings_by_state = [e for e in events if e["inter1"] == I.STATE_FORCES and e["fatalities"] == 2]
    assert len(killings_by_state) == 1
    assert killings_by_state[0]["actor1"].startswith("Police Forces of Kenya")
    assert any(e["inter1"] == I.RIOTERS for e in events)  # the mob's arson stays the mob's event


@pytest.mark.parametrize("sentence, dead", [
    ("The mayor was shot dead outside his office.", 1),  # one victim, no number
    ("Unknown men murdered the judge and his driver on the highway.", 2),  # coordinated victims
    ("Three guards were killed at the gate.", 0),  # a number: the count grammar's business
    ("The villagers were massacred, the radio said.", 0),  # a group: how many is not said
])
def test_victims_told_one_by_one_are_counted(sentence, dead):
    assert named_dead(killings(load_nlp()(sentence)), sentence) == dead


@pytest.mark.parametrize("sentence", [
    "The rebels threatened to kill the mayor.",  # an infinitive: a threat, not a death
    "Nobody was killed, and the mayor was not killed either.",
    "The senate debated the death penalty again.",
])
def test_deaths_that_did_not_happen_are_not_killings(sentence):
    assert named_dead(killings(load_nlp()(sentence)), sentence) == 0
    assert read(sentence).killer is None


def test_coder_counts_a_lone_victim_as_one_death():
    events = code("Gunmen shot dead the mayor of Eldoret outside his home on Monday.", published=dt.date(2021, 3, 3))
    assert [e["fatalities"] for e in events] == [1]
