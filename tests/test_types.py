"""Event types on wire-story sentences: hostage-taking, explosives as the means, statements, side developments."""

from __future__ import annotations

import datetime as dt

import pytest

from extraction import subevent
from extraction.classify import decide, triggers
from extraction.incidents import fold_side_developments
from schemas.acled import CountKind, SubEventType

S = SubEventType


def model_sure_of(sub: S, p: float = 0.9) -> dict[S, float]:
    """Model probabilities that put `p` on one type and spread the rest evenly."""
    labels = [S(label) for label in subevent.model().labels]
    return {k: (p if k is sub else (1 - p) / (len(labels) - 1)) for k in labels}


def kind(sentence: str, probs: dict | None = None) -> S | None:
    trig = decide(sentence, None, probs)
    return trig.sub_event_type if trig else None


@pytest.mark.parametrize("sentence", [
    "The commandos seized twelve passengers as hostages at the terminal.",
    "REBELS ARE HOLDING SEVERAL NURSES HOSTAGE IN THE CLINIC.",
    "The militia took four engineers hostage on Tuesday.",
    "Two farmers were taken from their homes by soldiers and their whereabouts remain unknown.",
])
def test_hostage_taking_and_disappearance_are_abductions(sentence):
    assert kind(sentence) is S.ABDUCTION
    assert kind(sentence, model_sure_of(S.ATTACK)) is S.ABDUCTION


@pytest.mark.parametrize("sentence", [
    "The judge was killed by a bomb hidden in his car.",
    "THE OFFICES WERE DESTROYED WITH DYNAMITE LAST NIGHT.",
    "The party condemned the dynamite attack that killed six workers.",
])
def test_an_explosive_named_as_the_means_is_a_remote_explosion(sentence):
    assert kind(sentence, model_sure_of(S.ATTACK, 0.6)) is S.REMOTE_EXPLOSIVE


def test_small_arms_keep_an_exchange_a_clash():
    sentence = "Troops clashed with rebels who used rifles and explosives near the bridge."
    assert kind(sentence, model_sure_of(S.ARMED_CLASH, 0.6)) is S.ARMED_CLASH


@pytest.mark.parametrize("sentence", [
    "The army released a communique on the fighting.",
    "In a statement released on Friday, the group denied the charges.",
    "THE TEXT OF THE LETTER, RELEASED BY THE MINISTRY, WAS READ ON THE RADIO.",
])
def test_a_released_statement_is_not_an_agreement(sentence):
    assert S.AGREEMENT not in {t.sub_event_type for t in triggers(sentence)}


def test_a_released_person_still_is():
    assert S.AGREEMENT in {t.sub_event_type for t in triggers("The rebels released three hostages on Monday.")}


@pytest.mark.parametrize("sentence", [
    "The prosecutor issued an arrest warrant for the mayor.",
    "The judge ordered his arrest on Monday.",
    "The guerrillas bombed the pipeline to protest the oil contract.",
    "The march will begin at noon at the obelisk.",
    "Five leaders were arrested a few years ago during a raid.",
])
def test_process_purpose_plans_and_history_are_not_events(sentence):
    assert kind(sentence, model_sure_of(S.PEACEFUL_PROTEST, 0.3)) not in {S.ARRESTS, S.PEACEFUL_PROTEST}


def test_other_never_replaces_the_violence_reported():
    assert kind("Gunmen shot dead a shopkeeper in the market.", model_sure_of(S.OTHER, 0.95)) is S.ATTACK


def test_a_model_only_strategic_type_needs_a_sure_model_beside_violence():
    sentence = "Gunmen shot dead a shopkeeper in the market."
    assert kind(sentence, model_sure_of(S.CHANGE_TO_GROUP, 0.7)) is S.ATTACK


def _row(sub: str, event_type: str, day: int = 5, location: str = "Town", counts=(), sharp=False, p=0.5) -> dict:
    return {"sub_event_type": sub, "event_type": event_type, "event_date": dt.date(1990, 3, day),
            "location": location, "counts": list(counts), "_sharp": sharp, "_p": p}


def test_a_side_development_on_the_day_of_an_armed_event_joins_it():
    bomb = _row("Remote explosive/landmine/IED", "Explosions/Remote violence")
    damage = _row("Looting/property destruction", "Strategic developments")
    arrest = _row("Arrests", "Strategic developments")
    rows = fold_side_developments([bomb, damage, arrest])
    assert rows == [bomb]
    assert [c["kind"] for c in bomb["counts"]] == [CountKind.ARRESTED]  # someone was arrested, at least one


def test_a_release_on_the_day_of_an_armed_event_joins_it_with_its_count():
    raid = _row("Attack", "Violence against civilians")
    freed = _row("Agreement", "Strategic developments", sharp=True,
                 counts=[{"kind": CountKind.RELEASED, "value": 3, "qualifier": "exact"}])
    assert fold_side_developments([raid, freed]) == [raid] and raid["counts"][0]["value"] == 3


def test_a_side_development_stands_when_sure_named_or_on_another_day():
    bomb = _row("Remote explosive/landmine/IED", "Explosions/Remote violence")
    sure = _row("Change to group/activity", "Strategic developments", p=0.85)
    named = _row("Looting/property destruction", "Strategic developments", sharp=True)  # an ACLED label
    later = _row("Arrests", "Strategic developments", day=9)
    assert len(fold_side_developments([bomb, sure, named, later])) == 4


def test_an_abduction_merged_into_a_graver_act_leaves_an_abducted_count():
    from extraction import coder
    from tests.conftest import staged_text

    text = ("Gunmen kidnapped a trader in Kidal on Sunday. "
            "The gunmen later shot the trader dead near the market in Kidal.")
    doc = staged_text(text)
    events = coder.code_documents([doc])
    kinds = {c["kind"] for counts in events["counts"].to_list() for c in counts}
    subs = set(events["sub_event_type"].to_list())
    assert "abducted" in kinds and subs <= {"Abduction/forced disappearance", "Attack"}
