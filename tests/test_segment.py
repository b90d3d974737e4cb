"""Sentence segmentation with character offsets into the cleaned document."""

from __future__ import annotations

import pytest

from extraction.segment import split_document, split_sentences


def texts(paragraph: str) -> list[str]:
    return [s.text for s in split_sentences(paragraph)]


@pytest.mark.parametrize(
    "paragraph, sentences",
    [
        ("Police fired tear gas. Protesters fled the square.",
         ["Police fired tear gas.", "Protesters fled the square."]),
        ("Did they leave? Yes! They did.", ["Did they leave?", "Yes!", "They did."]),
        ('He said: "We will return." The crowd dispersed.',
         ['He said: "We will return."', "The crowd dispersed."]),
        ("Rebels seized the town of Goma. 300 people fled.",
         ["Rebels seized the town of Goma.", "300 people fled."]),
        ("Prices rose 3.5 percent. Traders protested.", ["Prices rose 3.5 percent.", "Traders protested."]),
        ("Police fired tear gas", ["Police fired tear gas"]),
        ("", []),
        ("   ", []),
    ],
)
def test_sentence_boundaries(paragraph, sentences):
    assert texts(paragraph) == sentences


@pytest.mark.parametrize(
    "paragraph, first",
    [
        ("Gen. Ochieng said Mr. Kamau was arrested on Monday. He was later released.",
         "Gen. Ochieng said Mr. Kamau was arrested on Monday."),
        ("Clashes erupted in St. Louis on Sunday. Two died.", "Clashes erupted in St. Louis on Sunday."),
        ("The U.N. said 12 people died. Aid was blocked.", "The U.N. said 12 people died."),
        ("Police arrested J. Mwangi on Monday. He was charged.", "Police arrested J. Mwangi on Monday."),
        ("Lt. Col. Otieno led the patrol. It was ambushed.", "Lt. Col. Otieno led the patrol."),
        ("The curfew starts at 9 p.m. every night. Shops close.", "The curfew starts at 9 p.m. every night."),
        ("Police said the crowd was large, e.g. in the market. Nobody was hurt.",
         "Police said the crowd was large, e.g. in the market."),
    ],
)
def test_abbreviations_do_not_end_a_sentence(paragraph, first):
    assert texts(paragraph)[0] == first
    assert len(texts(paragraph)) == 2


def test_lower_cased_text_is_still_split():
    paragraph = "the u.s. embassy was closed. protesters gathered outside. police watched."
    assert texts(paragraph) == [
        "the u.s. embassy was closed.",
        "protesters gathered outside.",
        "police watched.",
    ]


def test_lower_case_after_a_full_stop_in_mixed_text_does_not_split():
    assert texts("Police seized 3 kg. of explosives in the raid. Nobody was hurt.") == [
        "Police seized 3 kg. of explosives in the raid.",
        "Nobody was hurt.",
    ]


def test_offsets_point_into_the_paragraph():
    paragraph = "   Soldiers clashed with rebels. Two died.  "
    sentences = split_sentences(paragraph)
    assert [(s.start, s.end) for s in sentences] == [(3, 32), (33, 42)]
    for s in sentences:
        assert paragraph[s.start : s.end] == s.text


def test_offset_and_paragraph_index_are_applied():
    (sentence,) = split_sentences("Troops withdrew.", offset=100, paragraph_index=4)
    assert (sentence.start, sentence.end, sentence.paragraph) == (100, 116, 4)


def test_split_document_offsets_index_the_joined_text():
    paragraphs = [
        "Police fired tear gas at traders. Two people were hurt.",
        "NAIROBI, Kenya (AP) — The traders had blocked the road.",
        "Hospitals said the injured were stable.",
    ]
    document = "\n\n".join(paragraphs)
    sentences = split_document(paragraphs)
    assert [s.paragraph for s in sentences] == [0, 0, 1, 2]
    assert [s.text for s in sentences] == [
        "Police fired tear gas at traders.",
        "Two people were hurt.",
        "NAIROBI, Kenya (AP) — The traders had blocked the road.",
        "Hospitals said the injured were stable.",
    ]
    for s in sentences:
        assert document[s.start : s.end] == s.text


def test_split_document_of_nothing():
    assert split_document([]) == []
