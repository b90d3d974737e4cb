"""ACLED's source, source_scale, tags and admin3 columns, filled from the documents behind each event and the
table built from ACLED's training rows; every export carries them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from schemas.tables import EVENTS
from tests.conftest import ROOT, SHARED, materialize
from tests.test_cli import events as cli
from warehouse import db
from warehouse.enrich import NO_REPORT, fill_acled_fields, scale_lookup, tables


def _events(rows: list[dict]) -> pl.DataFrame:
    """core.events rows with the given fields; the rest empty or neutral."""
    base = {"event_date": "2024-03-04", "year": 2024, "time_precision": 1, "disorder_type": "Demonstrations",
            "event_type": "Protests", "sub_event_type": "Peaceful protest", "actor1": "Protesters (X)", "inter1": 6,
            "inter2": 0, "interaction": 60, "notes": "", "fatalities": 0, "timestamp": 0, "evidence": "",
            "evidence_start": 0, "evidence_end": 0, "counts": [], "confidence": 1.0, "extractor_version": "t",
            "n_sources": 1}
    filled = [{**base, "event_id_cnty": f"XXX-{i}", "doc_ids": [f"d{i}"], **row} for i, row in enumerate(rows)]
    frame = pl.DataFrame(filled)
    return frame.with_columns(pl.col("event_date").str.to_date()).select(
        [pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in EVENTS.columns]).cast(EVENTS.schema)


def _documents(sources: dict[str, str | None]) -> pl.DataFrame:
    return pl.DataFrame({"doc_id": list(sources), "source": list(sources.values())},
                        schema={"doc_id": pl.String, "source": pl.String})


def _outlets_of_two_scales() -> tuple[tuple[str, str], tuple[str, str]]:
    """Two outlets of the built table with different single-part scales, the first earlier in ACLED's order."""
    order = tables()["scale_order"]
    table = tables()["sources"].filter(~pl.col("source_scale").str.contains("-") & ~pl.col("source").str.contains(
        r"[;(]")).sort("total", "source", descending=[True, False])
    first = table.row(0, named=True)
    other = table.filter(pl.col("source_scale") != first["source_scale"]).row(0, named=True)
    pair = sorted([(first["source"], first["source_scale"]), (other["source"], other["source_scale"])],
                  key=lambda p: order.index(p[1]))
    return pair[0], pair[1]


def test_sources_are_the_documents_outlets_joined_as_acled_joins_them():
    (a, a_scale), (b, b_scale) = _outlets_of_two_scales()
    frame = _events([{"doc_ids": ["d1", "d2", "d3"]}, {"doc_ids": ["d2"]}, {"doc_ids": ["d4"]}])
    docs = _documents({"d1": b, "d2": a, "d3": None, "d4": "An Outlet Nobody Cited"})
    out = fill_acled_fields(frame, docs)
    assert out.schema == frame.schema and out.height == 3
    assert out["source"].to_list() == ["; ".join(sorted([a, b])), a, "An Outlet Nobody Cited"]
    # several outlets: both scales, in ACLED's order; one outlet: its scale; an outlet ACLED never cited: empty
    assert out["source_scale"].to_list() == [f"{a_scale}-{b_scale}", a_scale, None]


def test_an_events_scale_takes_the_first_two_parts_in_acleds_order():
    order = tables()["scale_order"]
    table = tables()["sources"].filter(~pl.col("source_scale").str.contains("-") & ~pl.col("source").str.contains(
        r"[;(]"))
    picks = table.sort("total", descending=True).unique("source_scale", keep="first").sort("source_scale")
    assert picks.height >= 3
    three = picks.head(3)
    frame = _events([{"doc_ids": ["d0", "d1", "d2"]}])
    out = fill_acled_fields(frame, _documents(dict(zip(["d0", "d1", "d2"], three["source"], strict=True))))
    expected = sorted(three["source_scale"], key=order.index)[:2]
    assert out["source_scale"][0] == "-".join(expected)


def test_an_outlet_is_found_without_case_a_leading_the_or_its_country():
    table = tables()["sources"]
    lookup = dict(scale_lookup().rows())
    qualified = table.filter(pl.col("source").str.contains(r"^[A-Za-z ]+ \([A-Za-z ]+\)$"))
    name, scale = next((s, sc) for s, sc in qualified.select("source", "source_scale").rows()
                       if lookup.get(s.split(" (")[0].lower()) == sc)
    bare = "The " + name.split(" (")[0].upper()
    out = fill_acled_fields(_events([{}]), _documents({"d0": bare}))
    assert out["source"][0] == bare and out["source_scale"][0] == scale


def test_crowd_size_tags_quote_the_text_or_say_no_report():
    participants = [{"kind": "participants", "value": 100, "qualifier": "exact"}]
    frame = _events([
        {"evidence": "Hundreds of nurses rallied outside the ministry.", "counts": participants},
        {"evidence": "Nurses rallied outside the ministry.",
         "counts": [{"kind": "participants", "value": 50, "qualifier": "at_least"}]},  # counted in another sentence
        {"evidence": "Nurses rallied outside the ministry.", "counts": []},
        {"event_type": "Riots", "sub_event_type": "Mob violence", "evidence": "A mob burned a shop.",
         "counts": [{"kind": "killed", "value": 1, "qualifier": "exact"}]},
        {"event_type": "Battles", "sub_event_type": "Armed clash", "evidence": "Troops clashed with rebels.",
         "counts": participants},
    ])
    tags = fill_acled_fields(frame, _documents({}))["tags"].to_list()
    assert tags == ["crowd size=hundreds", "crowd size=at least 50", NO_REPORT, NO_REPORT, None]


def test_admin3_comes_with_a_town_acled_codes_with_one():
    country, admin1, location, admin3 = tables()["admin3"].sort("total", descending=True).row(0)[:4]
    place = {"country": country, "admin1": admin1, "location": location}
    frame = _events([{**place, "geo_precision": 1}, {**place, "geo_precision": 2},
                     {"country": country, "admin1": admin1, "location": "Nowhere In Particular", "geo_precision": 1}])
    assert fill_acled_fields(frame, _documents({}))["admin3"].to_list() == [admin3, None, None]


def test_values_the_coder_set_are_kept():
    frame = _events([{"source": "Given", "tags": "given tag", "admin3": "Given"}])
    out = fill_acled_fields(frame, _documents({"d0": "Other"}))
    assert out.select("source", "tags", "admin3").row(0) == ("Given", "given tag", "Given")


@pytest.mark.skipif(not (SHARED / "data" / "acled_bangladesh_2022_2024.csv").is_file(),
                    reason="../shared/data (the training files) is not beside the project")
def test_build_script_reproduces_the_committed_table():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_acled_fields.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-1000:] + proc.stderr[-2000:]


# Two reports of one wage protest, from two outlets, written for this test.
REPORTS = [
    {"id": "r1", "source": "Prothom Alo", "published": "2024-03-05", "title": "Garment workers rally for wages",
     "text": "GAZIPUR, Bangladesh - Hundreds of garment workers demonstrated outside a factory in Gazipur on "
             "Monday, demanding three months of unpaid wages.\n\nThe workers blocked the highway for two hours "
             "before dispersing peacefully, witnesses said."},
    {"id": "r2", "source": "Dhaka Tribune", "published": "2024-03-05", "title": "Wage protest in Gazipur",
     "text": "Garment workers demonstrated in Gazipur on Monday over unpaid wages, blocking the highway for two "
             "hours.\n\nFactory owners promised to pay the arrears by the end of the month."},
]


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("enrich")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "wires.jsonl").write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    assert materialize(inbox, root / "w.duckdb").success
    return root / "w.duckdb"


def test_the_pipeline_fills_them_and_the_acled_export_carries_them(reported, tmp_path):
    with db.reader(reported) as con:
        protest = db.read(con, "SELECT * FROM core.events WHERE event_type = 'Protests'")
    assert protest.height == 1 and protest["n_sources"][0] == 2  # the two reports are one event
    lookup = dict(scale_lookup().rows())
    scales = {lookup[name.lower()] for name in ("Prothom Alo", "Dhaka Tribune")}
    row = protest.row(0, named=True)
    assert row["source"] == "Dhaka Tribune; Prothom Alo"
    assert row["source_scale"] == "-".join(sorted(scales, key=tables()["scale_order"].index)[:2])
    assert row["tags"] == "crowd size=hundreds"
    admin3 = dict(((c, a, loc), a3) for c, a, loc, a3, *_ in tables()["admin3"].rows())
    assert row["admin3"] == admin3.get((row["country"], row["admin1"], row["location"]))
    out = tmp_path / "acled.csv"
    cli("export", "--format", "acled-csv", "-o", out, "--warehouse", reported, "--event-type", "Protests")
    with out.open(newline="", encoding="utf-8") as fh:
        (exported,) = list(csv.DictReader(fh))
    assert {k: exported[k] for k in ("source", "source_scale", "tags", "admin3")} == {
        k: row[k] or "" for k in ("source", "source_scale", "tags", "admin3")}
