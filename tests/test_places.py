"""The coder's place resolution: document country, sentence places and the place an event gets."""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.clean import stage
from extraction.coder import document_context, places_in
from extraction.coder import event_place as resolve_place
from extraction.segment import split_document
from schemas.models import RawDocument


def staged(text: str):
    raw = RawDocument(
        doc_id="d", path="t", line=0, media_type="jsonl", encoding="utf-8", title=None,
        published=dt.date(2021, 6, 2), source=None, text=text, received_at=dt.datetime(2021, 6, 2),
    )
    return stage(raw)


def event_place(text: str):
    """The place an event in the document's first sentence gets."""
    doc = staged(text)
    ctx = document_context(doc)
    sentence = split_document(doc.text.split("\n\n"))[0]
    place, *_ = resolve_place(places_in(sentence.text, ctx), ctx, [])
    return ctx, place


def test_country_from_the_district_and_region_in_parentheses() -> None:
    ctx, place = event_place("On 1 June 2021, farmers marched in Nowherekrom town (Akwapem North, Eastern) over land.")
    assert ctx.country.name == "Ghana"
    assert (place.name, place.admin1, place.geo_precision) == ("Nowherekrom", "Eastern", 2)


def test_the_event_place_beats_the_foreign_country_named_in_the_sentence() -> None:
    ctx, place = event_place("On 1 June 2021, Russian forces shelled Mariupol, Donetsk. Previously, Russia denied it.")
    assert ctx.country.name == "Ukraine"
    assert (place.name, place.admin1) == ("Mariupol", "Donetsk")


def test_dateline_sets_country_and_place() -> None:
    ctx, place = event_place("KHARKIV, Ukraine — Missiles struck a block of flats on Tuesday, killing three people.")
    assert ctx.country.name == "Ukraine"
    assert (place.name, place.admin1) == ("Kharkiv", "Kharkiv")


@pytest.mark.parametrize(
    ("text", "capital", "admin1"),
    [
        ("Police in the capital fired tear gas at Kenyan protesters on Tuesday.", "Nairobi", "Nairobi"),
        ("Hundreds of Nigerian students marched in the capital on Friday.", "Abuja", "Federal Capital Territory"),
    ],
)
def test_the_capital_of_the_document_country(text: str, capital: str, admin1: str) -> None:
    _, place = event_place(text)
    assert (place.name, place.admin1, place.geo_precision) == (capital, admin1, 1)


def test_country_level_event_is_coded_at_the_capital_as_a_region() -> None:
    _, place = event_place("Teachers across Sri Lanka went on strike on Monday over unpaid allowances.")
    assert (place.country.name, place.name, place.geo_precision) == ("Sri Lanka", "Colombo", 3)


def test_places_travelled_to_are_not_the_event_place_but_places_left_are() -> None:
    _, place = event_place("Soldiers forced residents to leave Hostomel, Kyiv, for Belarus on 8 March 2022.")
    assert (place.name, place.admin1) == ("Hostomel", "Kyiv")
    _, place = event_place("Protesters in Kisumu blocked a bus bound for the city of Nairobi on Monday.")
    assert place.name == "Kisumu"


def test_armed_group_hints_the_country_when_no_place_is_known() -> None:
    ctx, _ = event_place("On 3 May 2021, Houthi forces shelled government positions near Qurnaxx village.")
    assert ctx.country.name == "Yemen"
    ctx, _ = event_place("On 3 May 2021, the OSCE SMM recorded 12 explosions near Zzyzxivka.")
    assert ctx.country.name == "Ukraine"


@pytest.mark.parametrize(
    "text, country",
    [
        ("On 3 May 2021, a Burkinabe army patrol was ambushed near Qurnaxx.", "Burkina Faso"),  # any demonym
        ("On 3 May 2021, NPP supporters attacked a rival's office near Qurnaxx.", "Ghana"),  # actor lexicon group
        ("On 3 May 2021, Turkish warplanes struck PKK positions in Zakho, killing 2.", "Iraq"),  # a force abroad
    ],
)
def test_country_hints_from_people_and_groups(text: str, country: str) -> None:
    ctx, _ = event_place(text)
    assert ctx.country.name == country


@pytest.mark.parametrize(
    "text",
    [
        "On 5 January 2020, protesters in Jiyeh (Chouf) denounced the rising US dollar exchange rate.",
        "On 5 January 2020, students of the American University protested in Jiyeh (Chouf) over fees in US dollars.",
    ],
)
def test_a_country_named_for_its_money_or_embassy_is_not_the_place(text: str) -> None:
    ctx, place = event_place(text)
    assert ctx.country is None or ctx.country.cc != "US"
    assert place is None or place.country.cc != "US"


@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        ("On 1 June 2021, protesters blocked the road between Tripoli and Beirut.", "Lebanon", "North"),
        ("On 1 June 2021, gunmen clashed in Tripoli, then fled towards Misrata.", "Libya", "West"),
        ("On 1 June 2021, a crowd marched in Dhaka and Hazaribagh over wages.", "Bangladesh", "Dhaka"),
    ],
)
def test_a_name_takes_the_reading_in_the_country_of_the_other_towns_named(text: str, country: str,
                                                                           admin1: str) -> None:
    """Tripoli next to Beirut is Tripoli, Lebanon; a small namesake does not pull a capital abroad."""
    ctx, place = event_place(text)
    assert (ctx.country.name, place.name, place.admin1) == (country, "Tripoli" if "Tripoli" in text else "Dhaka",
                                                             admin1)
