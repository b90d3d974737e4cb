"""`events export` as a user runs it: ACLED's CSV, Parquet and JSONL, filters with bound parameters."""

from __future__ import annotations

import csv
import json

import polars as pl

from schemas.acled import ACLED_COLUMNS
from tests.test_cli import events
from warehouse import db


def _count(warehouse, sql, params=()):
    with db.reader(warehouse) as con:
        return con.execute(sql, list(params)).fetchall()[0][0]


def test_acled_csv_has_acleds_columns_and_every_event(demo_warehouse, tmp_path):
    out = tmp_path / "acled.csv"
    events("export", "--format", "acled-csv", "-o", out, "--warehouse", demo_warehouse)
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == list(ACLED_COLUMNS)
    assert len(rows) == _count(demo_warehouse, "SELECT count(*) FROM core.events")
    assert all(r["event_id_cnty"] and r["event_date"][:4] == r["year"] for r in rows)


def test_filter_values_are_parameters(demo_warehouse, tmp_path):
    out = tmp_path / "filtered.csv"
    with db.reader(demo_warehouse) as con:
        (country,) = con.execute("SELECT country FROM core.events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                                 ).fetchall()[0]
    events("export", "--format", "acled-csv", "-o", out, "--warehouse", demo_warehouse,
           "--where", "country = ? AND fatalities >= ?", "--param", country, "--param", "0")
    frame = pl.read_csv(out, infer_schema_length=0)
    assert frame.height == _count(demo_warehouse, "SELECT count(*) FROM core.events WHERE country = ?", [country])
    assert set(frame["country"]) == {country}
    hostile = "x'; DROP TABLE core.events; --"
    events("export", "--format", "jsonl", "-o", out, "--warehouse", demo_warehouse,
           "--where", "country = ?", "--param", hostile)
    assert out.read_text() == ""
    assert _count(demo_warehouse, "SELECT count(*) FROM core.events") > 0


def test_parquet_and_jsonl_carry_every_column(demo_warehouse, tmp_path):
    parquet, jsonl = tmp_path / "e.parquet", tmp_path / "e.jsonl"
    events("export", "--format", "parquet", "-o", parquet, "--warehouse", demo_warehouse)
    events("export", "--format", "jsonl", "-o", jsonl, "--warehouse", demo_warehouse)
    with db.reader(demo_warehouse) as con:
        stored = db.read(con, "SELECT * FROM core.events ORDER BY event_date, event_id_cnty")
    assert pl.read_parquet(parquet).equals(stored)
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert [r["event_id_cnty"] for r in lines] == stored["event_id_cnty"].to_list()
    assert set(lines[0]) == set(stored.columns)


def test_errors_are_one_line_and_leave_no_file(demo_warehouse, tmp_path):
    out = tmp_path / "never.csv"
    for args in (["--where", "no_such_column = ?", "--param", "1"], ["--where", "country = ?"]):
        proc = events("export", "--format", "acled-csv", "-o", out, "--warehouse", demo_warehouse, *args,
                      check=False)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    missing = events("export", "--format", "parquet", "-o", out, "--warehouse", tmp_path / "none.duckdb",
                     check=False)
    assert missing.returncode == 1 and "run `events run` first" in missing.stderr


def test_a_missing_folder_is_refused_not_created(demo_warehouse, tmp_path):
    out = tmp_path / "no" / "such" / "folder" / "events.csv"
    proc = events("export", "--format", "acled-csv", "-o", out, "--warehouse", demo_warehouse, check=False)
    assert proc.returncode == 1 and "does not exist" in proc.stderr and proc.stderr.count("\n") == 1
    assert not (tmp_path / "no").exists()
