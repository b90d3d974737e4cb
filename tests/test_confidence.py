"""Honest confidence: the precision codes, `confidence`, `date_from` and `place_from` say how each value was
found, and analysts can drop the guesses (`events export --no-guesses`, `events(no_guesses=True)`)."""

from __future__ import annotations

import csv
import datetime as dt

from extraction.clean import stage
from extraction.coder import code_documents
from schemas.models import OWN_TEXT, RawDocument
from tests.test_cli import events
from warehouse import db
from warehouse.query import events as query_events

NOW = dt.datetime(2024, 6, 1)


def _code(text: str, published: dt.date | None = None, modified: dt.datetime | None = None) -> list[dict]:
    raw = RawDocument(doc_id="d", path="p", media_type="txt", encoding="utf-8", text=text, published=published,
                      received_at=NOW, modified=modified)
    return code_documents([stage(raw)]).to_dicts()


def test_a_date_and_place_named_in_the_sentence_are_found_not_guessed():
    [row] = _code("Police arrested 14 traders in Kisumu, Kenya on 3 May 2024 during a protest over taxes.",
                  published=dt.date(2024, 5, 4))
    assert (row["date_from"], row["place_from"], row["time_precision"], row["geo_precision"]) == \
        ("sentence", "sentence", 1, 1)
    assert row["confidence"] >= 0.8


def test_a_dateline_place_and_publication_date_are_guesses_with_lower_precision_and_confidence():
    [row] = _code("NAIROBI, Kenya - Police arrested 14 traders during a protest over taxes, officials said.",
                  published=dt.date(2024, 5, 4))
    assert (row["date_from"], row["place_from"]) == ("publication", "dateline")
    assert row["time_precision"] >= 2 and row["geo_precision"] >= 2 and row["confidence"] <= 0.6


def test_a_date_from_the_file_time_is_month_precision_at_best_even_counted_from():
    for text in ("Police arrested 14 traders in Kisumu, Kenya during a protest over taxes.",
                 "Police arrested 14 traders in Kisumu, Kenya yesterday during a protest over taxes."):
        [row] = _code(text, modified=dt.datetime(2024, 5, 6, 9, 30))
        assert row["date_from"] == "file_time" and row["time_precision"] == 3, text
        assert row["date_from"] not in OWN_TEXT and row["confidence"] < 1.0


def test_export_and_query_drop_guesses_when_asked(demo_warehouse, tmp_path):
    with db.reader(demo_warehouse) as con:
        found = con.execute("SELECT count(*) FROM core.events WHERE date_from IN ('sentence', 'paragraph') AND "
                            "place_from IN ('sentence', 'paragraph')").fetchone()[0]
        total = con.execute("SELECT count(*) FROM core.events").fetchone()[0]
        unknown = con.execute("SELECT count(*) FROM core.events WHERE date_from IS NULL OR (place_from IS NULL "
                              "AND location IS NOT NULL)").fetchone()[0]
    assert 0 < found < total and unknown == 0
    out = tmp_path / "found.csv"
    run = events("export", "--format", "acled-csv", "-o", str(out), "--no-guesses", "--warehouse", str(demo_warehouse))
    assert run.returncode == 0, run.stderr
    with out.open() as fh:
        assert len(list(csv.DictReader(fh))) == found
    frame = query_events(demo_warehouse, no_guesses=True)
    assert frame.height == found and set(frame["date_from"]) <= set(OWN_TEXT)
