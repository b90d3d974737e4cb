"""The document's country voted with the detector's word on which sentences report its events: a place named
after "in"/"near"/"at" in a likely event sentence weighs more than the filing place or the places of talk."""

from __future__ import annotations

import pytest

from extraction.clean import dateline
from extraction.places import rank
from extraction.places.document import document_place


@pytest.fixture
def hand(monkeypatch):
    """The hand-tuned weights of the country vote (the learned ones weigh a story filed abroad differently:
    see test_places_rank.py and the tests at the end of this file)."""
    monkeypatch.setattr(rank, "RANKING", "hand")


def _spans(text: str, *sentences: tuple[str, float]) -> list[tuple[int, int, float]]:
    """(start, end, probability) spans of the given sentences of `text`."""
    out = []
    for sentence, p in sentences:
        start = text.index(sentence)
        out.append((start, start + len(sentence), p))
    return out


# Filed in one capital, a reaction there, the event told in one sentence in another country.
_REACTION = "THE HONDURAN FOREIGN MINISTER TODAY CONDEMNED THE CRIME IN A STATEMENT TO REPORTERS."
_EVENT = "A SALVADORAN JUDGE WAS SHOT DEAD YESTERDAY IN SAN SALVADOR."
_TEXT = f"TEGUCIGALPA, 4 MAY 89 (ACAN) -- {_REACTION} {_EVENT}"


def test_without_the_detector_the_filing_place_and_the_talk_decide(hand):
    country, _, _ = document_place(_TEXT, dateline([_TEXT]))
    assert country.name == "Honduras"


def test_the_place_of_a_likely_event_sentence_beats_the_dateline():
    reports = _spans(_TEXT, (_REACTION, 0.1), (_EVENT, 0.9))
    country, place, _ = document_place(_TEXT, dateline([_TEXT]), reports)
    assert country.name == "El Salvador"
    assert place.country.name == "El Salvador"  # the dateline town is not in the event's country


def test_an_unlikely_event_sentence_weighs_no_more_than_before(hand):
    reports = _spans(_TEXT, (_REACTION, 0.1), (_EVENT, 0.0))
    country, _, _ = document_place(_TEXT, dateline([_TEXT]), reports)
    assert country.name == "Honduras"


def test_the_dateline_inside_a_likely_sentence_gets_no_extra_weight(hand):
    # The first sentence holds the dateline prefix: its town is the filing place, counted once as such.
    reports = _spans(_TEXT, (_TEXT[: _TEXT.index(_EVENT)], 0.9))
    country, _, _ = document_place(_TEXT, dateline([_TEXT]), reports)
    assert country.name == "Honduras"


def test_a_country_named_in_a_likely_event_sentence_is_background():
    event = "A JUDGE WAS SHOT DEAD YESTERDAY, THE WORST CRIME SINCE THE WAR IN EL SALVADOR."
    text = f"TEGUCIGALPA, 4 MAY 89 (ACAN) -- {_REACTION} {event}"
    reports = _spans(text, (_REACTION, 0.1), (event, 0.9))
    country, _, _ = document_place(text, dateline([text]), reports)
    assert country.name == "Honduras"


def test_a_bare_name_in_a_likely_event_sentence_is_not_taken_as_its_place():
    # "SAN SALVADOR" as a name, not after "in"/"near"/"at": a party, as often as a place.
    event = "A SALVADORAN JUDGE WAS SHOT DEAD BY GUARDS OF THE SAN SALVADOR MAYOR YESTERDAY."
    text = f"TEGUCIGALPA, 4 MAY 89 (ACAN) -- {_REACTION} {event}"
    reports = _spans(text, (_REACTION, 0.1), (event, 0.9))
    country, _, _ = document_place(text, dateline([text]), reports)
    assert country.name == "Honduras"


def test_a_site_named_for_a_town_is_not_taken_as_the_event_place(hand):
    event = "A SALVADORAN JUDGE WAS SHOT DEAD YESTERDAY AT THE SAN SALVADOR AIRPORT."
    text = f"TEGUCIGALPA, 4 MAY 89 (ACAN) -- {_REACTION} {event}"
    reports = _spans(text, (_REACTION, 0.1), (event, 0.9))
    country, _, _ = document_place(text, dateline([text]), reports)
    assert country.name == "Honduras"


# Filed in the capital about an attack in a provincial town of the same country.
_LEAD = "OFFICIALS TODAY GAVE DETAILS OF THE ATTACK TO REPORTERS."
_ATTACK = "REBELS BURNED THREE BUSES LAST NIGHT IN SANTA ANA, SALVADORAN POLICE SAID."
_HOME = f"SAN SALVADOR, 4 MAY 89 (DOMESTIC SERVICE) -- {_LEAD} {_ATTACK}"


def test_the_town_of_a_likely_event_sentence_is_the_place_before_the_dateline_town():
    _, place, place_from = document_place(_HOME, dateline([_HOME]), _spans(_HOME, (_LEAD, 0.1), (_ATTACK, 0.9)))
    assert (place.name, place.country.name, place_from) == ("Santa Ana", "El Salvador", "document")


def test_without_a_likely_event_sentence_the_dateline_town_stays_the_place():
    for reports in ([], _spans(_HOME, (_LEAD, 0.1), (_ATTACK, 0.3))):
        _, place, place_from = document_place(_HOME, dateline([_HOME]), reports)
        assert (place.name, place_from) == ("San Salvador", "dateline")


def test_a_destination_in_a_likely_event_sentence_is_not_its_place():
    attack = "REBELS BURNED THREE BUSES LAST NIGHT ON THE ROAD TO SANTA ANA, SALVADORAN POLICE SAID."
    text = f"SAN SALVADOR, 4 MAY 89 (DOMESTIC SERVICE) -- {_LEAD} {attack}"
    _, place, _ = document_place(text, dateline([text]), _spans(text, (_LEAD, 0.1), (attack, 0.9)))
    assert place.name == "San Salvador"


def test_learned_a_story_filed_abroad_goes_where_its_people_and_places_are():
    # Filed in Tegucigalpa, a Salvadoran judge shot in San Salvador: the learned weights follow the text abroad
    # even when the detector has nothing to say, and still keep the filing place for talk about a name.
    assert rank.RANKING == "learned"
    country, _, _ = document_place(_TEXT, dateline([_TEXT]))
    assert country.name == "El Salvador"
    talk = "THE HONDURAN FOREIGN MINISTER TODAY MET THE SAN SALVADOR MAYOR IN A HOTEL TO DISCUSS TRADE."
    text = f"TEGUCIGALPA, 4 MAY 89 (ACAN) -- {talk}"
    country, _, _ = document_place(text, dateline([text]))
    assert country.name == "Honduras"
