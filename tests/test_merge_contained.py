"""One event per day, place and actor pair: a vaguely placed or vaguely attributed mention merges into the event
its document told more precisely (extraction.merge)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from extraction import coder
from extraction.incidents import PLACE_FIELDS
from extraction.merge import _contained_by_the_day
from tests.conftest import staged_text

KEY = ["doc_id", "event_date", "_place", "_family"]


def _mention(place: str, admin1: str | None, place_from: str = "sentence", precision: int = 1,
             actor1: str = "Unidentified Armed Group (C)", event_type: str = "Battles", day: int = 5) -> dict:
    return {**{f: None for f in PLACE_FIELDS}, "doc_id": "d", "event_date": dt.date(2024, 5, day),
            "_family": "violence", "country": "C", "location": place, "_place": place, "admin1": admin1,
            "geo_precision": precision, "place_from": place_from, "actor1": actor1, "event_type": event_type}


def _located(*mentions: dict) -> list[str]:
    return _contained_by_the_day(pl.DataFrame(list(mentions)), KEY)["location"].to_list()


def test_a_region_mention_takes_the_one_town_of_that_region_told_the_same_day():
    assert _located(_mention("Region 1", "Region 1", precision=3), _mention("Town C", "Region 1")) == [
        "Town C", "Town C"]
    # a guess (the dateline) in that region too
    assert _located(_mention("Capital", "Region 1", place_from="dateline", precision=2),
                    _mention("Town C", "Region 1")) == ["Town C", "Town C"]


def test_other_regions_days_types_named_actors_or_two_towns_keep_their_place():
    region = _mention("Region 1", "Region 1", precision=3)
    assert _located(region, _mention("Town D", "Region 2")) == ["Region 1", "Town D"]
    assert _located(region, _mention("Town C", "Region 1", day=6)) == ["Region 1", "Town C"]
    assert _located(region, _mention("Town C", "Region 1", event_type="Riots")) == ["Region 1", "Town C"]
    assert _located({**region, "actor1": "Group A"}, _mention("Town C", "Region 1", actor1="Group B")) == [
        "Region 1", "Town C"]
    assert _located(region, _mention("Town C", "Region 1"), _mention("Town E", "Region 1")) == [
        "Region 1", "Town C", "Town E"]
    # an unnamed side and a named one can be one event
    assert _located(region, _mention("Town C", "Region 1", actor1="Group B")) == ["Town C", "Town C"]


def test_a_state_killing_beside_an_unnamed_attacker_of_the_same_day_and_place_is_one_event():
    text = ("Unidentified gunmen attacked a bus in Kidal on Sunday, killing two passengers. "
            "Police fired at the attackers in Kidal, killing one of them.")
    doc = staged_text(text)
    assert len(coder.code_documents([doc])) == 1
