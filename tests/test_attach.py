"""Which event a day dates, read from the parse (extraction.attach), and what the coder does with it.
Sentences are the team's own."""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.attach import NEUTRAL, OTHER, OWN, TOLD, Parse, attachment, parse_text
from extraction.coder import event_dates, load_nlp
from extraction.dates import find_dates
from tests.test_coder import code

REF = dt.date(1991, 3, 9)  # a Saturday


def classes(sentence: str, word: str, ref: dt.date = REF) -> dict[str, int]:
    """Each day the sentence names -> its attachment to the event word `word`."""
    parse = Parse.of(load_nlp()(parse_text(sentence)))
    at = sentence.index(word)
    return {sentence[d.start : d.end]: attachment(parse, d.start, d.end, at) for d in find_dates(sentence, ref)}


@pytest.mark.parametrize("sentence, word, expected", [
    # a day on the clause of telling dates the telling; the day inside the told clause dates the event
    ("Police said on Friday that gunmen killed three farmers on Thursday.", "killed",
     {"on Friday": TOLD, "on Thursday": OWN}),
    # the same in wire capitals, behind a dateline
    ("LIMA, 9 MAR 91 (EFE) -- [TEXT] POLICE REPORTED TODAY THAT ARMED MEN KIDNAPPED TWO ENGINEERS LAST NIGHT.",
     "KIDNAPPED", {"TODAY": TOLD, "LAST NIGHT": OWN}),
    # a relative clause with a verb of its own dates that verb, not the event
    ("The judge, who took office on Friday, was shot dead in the capital.", "shot", {"on Friday": OTHER}),
    # a participle's clause on the event noun's phrase dates the event
    ("The massacre of four farmers carried out near the river on 2 March shocked the province.", "massacre",
     {"2 March": OWN}),
    # the event told in a clause that hangs off the day
    ("Unions have struck since 4 March, when police killed six workers.", "killed", {"4 March": OWN}),
    # one clause: the day is the event's
    ("On 6 March rebels ambushed an army convoy near the border.", "ambushed", {"6 March": OWN}),
])
def test_a_day_attaches_to_the_clause_it_modifies(sentence, word, expected):
    assert classes(sentence, word) == expected


def test_an_event_noun_the_clause_acts_on_is_not_dated_by_that_clause():
    got = classes("The rebels today claimed responsibility for the attack on the mayor.", "attack")
    assert got == {"today": NEUTRAL}


def test_parse_text_keeps_offsets_blanks_datelines_and_brackets_and_lowers_capitals():
    text = "QUITO, 2 MAR 91 (AFP) -- [TEXT] THE ELN [NATIONAL LIBERATION ARMY] BURNED A BUS."
    read = parse_text(text)
    assert len(read) == len(text)
    assert read.split() == ["the", "eln", "burned", "a", "bus."]
    assert parse_text("Rebels burned a bus [in Quito].") == "Rebels burned a bus" + " " * 11 + "."


def test_the_coder_drops_a_day_the_parse_gives_a_clause_of_its_own_and_ranks_a_telling_last():
    text = "The judge, who took office on 1 March, was shot dead in the capital."
    parse = Parse.of(load_nlp()(parse_text(text)))
    assert event_dates(text, find_dates(text, REF), text.index("shot"), REF, parse) == []
    text = "Police said on 8 March that gunmen killed three farmers on 7 March."
    parse = Parse.of(load_nlp()(parse_text(text)))
    # the day of the telling is kept, after the event's own (what is told happened by then)
    assert [d.date for d in event_dates(text, find_dates(text, REF), text.index("killed"), REF, parse)] == [
        dt.date(1991, 3, 7), dt.date(1991, 3, 8)]


def test_a_day_of_telling_yields_to_the_day_its_paragraph_gives_the_event():
    text = ("Union leaders reported today that three students were charged with the killing of two farmers. "
            "The killings took place in the port on 2 March.")
    events = code(text, REF)
    assert events and {e["event_date"] for e in events} == {dt.date(1991, 3, 2)}


def test_a_sentence_that_says_when_it_happened_dates_the_incident_told_elsewhere():
    text = ("Gunmen kidnapped two engineers from their camp in the hills above the village.\n\n"
            "Their employer confirmed the names of the two men and asked for their release.\n\n"
            "It happened on 4 March, a local official said.")
    events = code(text, REF)
    assert events and {e["event_date"] for e in events} == {dt.date(1991, 3, 4)}


def test_a_day_that_the_event_clause_hangs_off_dates_it_whatever_preposition_leads_it():
    text = "Unions have struck since 4 March, when police killed six workers at the gate."
    parse = Parse.of(load_nlp()(parse_text(text)))
    assert [d.date for d in event_dates(text, find_dates(text, REF), text.index("killed"), REF, parse)] == [
        dt.date(1991, 3, 4)]
    text = "Unions have struck since 4 March, and police killed six workers at the gate."
    assert event_dates(text, find_dates(text, REF), text.index("killed"), REF) == []  # unparsed: "since" bars it
    text = "Clashes erupted after 3 March in the town."
    parse = Parse.of(load_nlp()(parse_text(text)))
    assert event_dates(text, find_dates(text, REF), text.index("Clashes"), REF, parse) == []
