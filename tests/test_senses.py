"""Protest words that report no protest (extraction.senses): 'demonstrate' meaning 'show', a protest called for,
planned, banned or hoped for, and what the coder does with them. Sentences are the team's own."""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.classify import decide
from extraction.coder import load_nlp
from extraction.senses import blank, needs_parse, parse_text, unreal
from schemas.acled import SubEventType as S
from tests.test_coder import code


def flagged(sentence: str) -> list[str]:
    """The protest words of a sentence the parse reads as no protest."""
    text = parse_text(sentence)
    return [sentence[a:b].lower() for a, b in unreal(load_nlp()(text))]


@pytest.mark.parametrize("sentence, words", [
    # a clause after it, or a passive, or hung from 'as': 'demonstrate' means 'show'
    ("The leaked memo demonstrates that the ministry knew of the plan.", ["demonstrates"]),
    ("The donors asked the rebels to demonstrate they can keep a ceasefire.", ["demonstrate"]),
    ("The collapse of the trial, as demonstrated by the judge's ruling, angered the families.", ["demonstrated"]),
    # a crowd demonstrating, with or without a 'by' of how
    ("About 300 nurses demonstrated outside the ministry against unpaid wages.", []),
    ("Farmers demonstrated by blocking the highway with tractors.", []),
])
def test_demonstrate_meaning_show(sentence, words):
    assert flagged(sentence) == words


@pytest.mark.parametrize("sentence, words", [
    # the protest is what a verb or noun of calling, planning, banning or urging is about
    ("The teachers' union has called a protest meeting for 12 June.", ["protest"]),
    ("The governor signed an order prohibiting marches, rallies and demonstrations in the capital.",
     ["marches", "rallies", "demonstrations"]),
    ("The opposition urged its members to join the march.", ["march"]),
    ("Several unions have scheduled a general strike on 2 May.", ["strike"]),
    ("The court upheld the ban on rallies near parliament.", ["rallies"]),
    # a modal: not yet, or only possibly
    ("A rally in the square at night could turn deadly.", ["rally"]),
    # what a protest planned is for is planned too
    ("The lecturers postponed their demonstration scheduled for next week to register their protest against "
     "the cuts.", ["demonstration", "protest"]),
])
def test_a_protest_called_for_planned_or_banned(sentence, words):
    assert flagged(sentence) == words


@pytest.mark.parametrize("sentence", [
    "Protesters called for the release of the detained activist and marched to the police station.",  # subject
    "Police dispersed the protest with tear gas and batons.",  # the object of what the police did
    "Police summoned several protesters for questioning.",  # people, not a plan
    "The government banned all public gatherings on 15 March.",  # the month
    "Relatives staged a protest called 'Justice Walk' in the town centre.",  # 'called' names it
    "Officers wanted to disperse the protest before dark.",  # wanting to disperse it: the protest is held
])
def test_a_protest_that_took_place_is_not_flagged(sentence):
    assert flagged(sentence) == []


def test_upper_cased_wire_text_is_parsed_lower_cased_with_the_same_offsets():
    wire = "THE MAYOR ISSUED A DECREE PROHIBITING ANY RALLIES OR DEMONSTRATIONS IN THE CAPITAL."
    assert parse_text(wire) == wire.lower() and parse_text("Mixed Case") == "Mixed Case"
    assert flagged(wire) == ["rallies", "demonstrations"]


def test_only_sentences_with_a_protest_word_and_a_cue_are_parsed():
    assert needs_parse("The union called a strike.")
    assert not needs_parse("Students marched to the ministry.")  # no word of showing, calling or a modal
    assert not needs_parse("The union called a press conference.")  # no protest word
    assert blank("a strike was called", [(2, 8)]) == "a        was called"


def test_the_classifier_drops_a_trigger_the_parse_flagged_and_its_crowd():
    banned = "The mayor banned all demonstrations in the city."
    at = banned.index("demonstrations")
    assert decide(banned, None, None).sub_event_type is S.PEACEFUL_PROTEST
    assert decide(banned, None, None, unreal=[(at, at + 14)]).sub_event_type is S.CHANGE_TO_GROUP  # the ban
    sentence = "The union called a protest rally for Friday."
    spans = [(m, m + len(w)) for w in ("protest", "rally") if (m := sentence.index(w)) >= 0]
    assert decide(sentence, None, None).sub_event_type is S.PEACEFUL_PROTEST
    assert decide(sentence, None, None, unreal=spans) is None
    protest = {sub: 0.01 for sub in S}
    protest[S.PEACEFUL_PROTEST] = 0.9  # the model alone needs a crowd the parse did not take away
    assert decide(sentence, None, protest, unreal=spans) is None
    assert decide("Hundreds held demonstrations in the city.", None, protest).sub_event_type is S.PEACEFUL_PROTEST


def test_the_coder_codes_no_protest_called_for_or_shown():
    published = dt.date(2024, 6, 3)
    assert code("The teachers' union in Nairobi has called a protest meeting for 12 June.", published) == []
    shown = code("The court's inquiry into the killing, as demonstrated by its ruling in Nairobi on Sunday, stalled.",
                 published)
    assert "Peaceful protest" not in {e["sub_event_type"] for e in shown}
    held = code("On 2 June, about 300 nurses demonstrated outside the ministry in Nairobi against unpaid wages.",
                published)
    assert [e["sub_event_type"] for e in held] == ["Peaceful protest"]
