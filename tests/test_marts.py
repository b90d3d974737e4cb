"""Each mart in warehouse/sql, built by its asset on the demo corpus, checked against core.events computed
independently in Polars."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from warehouse import db


@pytest.fixture(scope="module")
def tables(demo_warehouse):
    """core.events, every mart, and the staged texts, read once."""
    with db.reader(demo_warehouse) as con:
        out = {name: db.read(con, f"SELECT * FROM marts.{name}") for name in db.mart_sql()}
        out["events"] = db.read(con, "SELECT * FROM core.events")
        out["staged"] = db.read(con, "SELECT doc_id, text FROM staging.documents")
    assert out["events"].height > 0
    return out


def test_every_sql_file_is_a_materialized_mart_with_a_description(tables):
    for name in db.mart_sql():
        assert name in tables
        assert len(db.mart_description(name)) > 20


def test_events_by_country_month(tables):
    mart, events = tables["events_by_country_month"], tables["events"]
    expected = events.group_by("country", month=pl.col("event_date").dt.truncate("1mo")).agg(
        events=pl.len(), fatalities=pl.col("fatalities").sum())
    got = mart.group_by("country", "month").agg(pl.col("events").sum(), pl.col("fatalities").sum())
    assert got.sort("country", "month").to_dicts() == expected.sort("country", "month").to_dicts()


def test_events_by_subtype_week(tables):
    mart, events = tables["events_by_subtype_week"], tables["events"]
    assert (mart["week"].dt.weekday() == 1).all()  # weeks start on Monday
    expected = events.group_by("sub_event_type", week=pl.col("event_date").dt.truncate("1w")).len("events")
    assert (mart.select("sub_event_type", "week", "events").sort("week", "sub_event_type").to_dicts()
            == expected.select("sub_event_type", "week", "events").sort("week", "sub_event_type").to_dicts())


def test_actor_activity(tables):
    mart, events = tables["actor_activity"], tables["events"]
    roles = pl.concat([events.select(actor="actor1"), events.select(actor="actor2").drop_nulls()])
    expected = dict(roles.group_by("actor").len().rows())
    assert dict(mart.select("actor", "events").rows()) == expected
    assert (mart["as_actor1"] + mart["as_actor2"] == mart["events"]).all()
    assert mart["events"].is_sorted(descending=True)


def test_casualty_totals(tables):
    mart, events = tables["casualty_totals"], tables["events"]
    assert mart["fatalities"].sum() == events["fatalities"].sum()
    assert mart["events"].sum() == events.height
    counts = events.select("counts").explode("counts").drop_nulls().unnest("counts")
    for kind in ("arrested", "released", "participants", "injured"):
        assert mart[kind].sum() == counts.filter(pl.col("kind") == kind)["value"].sum(), kind


def test_event_sources_trace_every_event_to_its_sentences(tables):
    mart, events, staged = tables["event_sources"], tables["events"], tables["staged"]
    per_event = dict(mart.group_by("event_id_cnty").len().rows())
    assert per_event == dict(events.select("event_id_cnty", "n_sources").rows())
    texts = dict(staged.rows())
    for row in mart.iter_rows(named=True):
        assert texts[row["doc_id"]][row["evidence_start"] : row["evidence_end"]] == row["evidence"]
        assert row["path"]


def test_recent_events(tables):
    mart, events = tables["recent_events"], tables["events"]
    latest = events["event_date"].max()
    expected = events.filter(pl.col("event_date") > latest - dt.timedelta(days=30))
    assert sorted(mart["event_id_cnty"]) == sorted(expected["event_id_cnty"])
    assert mart["event_date"].is_sorted(descending=True)
