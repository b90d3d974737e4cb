"""The `events` command run as a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import DEMO, ROOT


def events(*args, env=None, check=True):
    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stderr[-2000:])
    return proc


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("cli") / "w.duckdb"
    return warehouse, events("run", "--inbox", DEMO, "--warehouse", warehouse)


def test_run_prints_the_summary(ran):
    warehouse, proc = ran
    out = proc.stdout
    assert "documents received: 14" in out and "rejected: 0" in out
    assert "Strategic developments" in out and str(warehouse) in out
    assert "events sql" in out


def test_sql_formats_and_read_only(ran):
    warehouse, _ = ran
    rows = json.loads(events("sql", "SELECT country, count(*) n FROM core.events GROUP BY 1 ORDER BY 1",
                             "--warehouse", warehouse, "--format", "json").stdout)
    assert {"Kenya", "Venezuela", "Peru"} <= {r["country"] for r in rows}
    csv = events("sql", "SELECT event_id_cnty, counts FROM core.events", "--warehouse", warehouse,
                 "--format", "csv").stdout
    assert csv.splitlines()[0] == "event_id_cnty,counts"
    denied = events("sql", "DELETE FROM core.events", "--warehouse", warehouse, check=False)
    assert denied.returncode != 0 and "read-only" in denied.stderr.lower()
    assert "Traceback" not in denied.stderr


def test_sql_errors_are_one_line(tmp_path):
    missing = events("sql", "SELECT 1", "--warehouse", tmp_path / "nope.duckdb", check=False)
    assert missing.returncode != 0 and "does not exist" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_run_with_a_missing_inbox_fails_clearly(tmp_path):
    proc = events("run", "--inbox", tmp_path / "none", "--warehouse", tmp_path / "w.duckdb", check=False)
    assert proc.returncode != 0 and "not a directory" in proc.stderr


def test_extract_contract(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "published": "2024-05-10", "text": "On 9 May 2024, police in Nairobi fired tear "
                    "gas at hundreds of students protesting fee increases and arrested 23 of them."}),
        "not json at all",
        json.dumps({"id": "b", "text": "The council will meet next week to discuss the budget."}),
        json.dumps({"id": "c", "text": 42}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    proc = events("extract", src, "-o", out)
    assert "2:" in proc.stderr and "4:" in proc.stderr  # bad lines reported, not fatal
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["doc_id"] for r in rows] == ["a"]
    event = rows[0]
    assert event["sub_event_type"] == "Protest with intervention"
    assert event["event_date"] == "2024-05-09" and event["time_precision"] == 1
    assert event["country"] == "Kenya" and event["location"] == "Nairobi"
    assert {"kind": "arrested", "value": 23, "qualifier": "exact"} in event["counts"]
    assert event["evidence"].startswith("On 9 May 2024") and len(event["evidence_span"]) == 2
    assert 0 < event["confidence"] <= 1 and event["extractor_version"]


def test_sql_without_a_statement_fails_in_one_line(ran):
    warehouse, _ = ran
    for query in ("", "   ", "-- only a comment", "/* nothing */"):
        proc = events("sql", query, "--warehouse", warehouse, check=False)
        assert proc.returncode == 1 and "no SQL statement" in proc.stderr, query
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_sql_prints_every_statements_result(ran):
    warehouse, _ = ran
    out = events("sql", "SELECT 'first' AS a; -- a comment\nSELECT 'second' AS b;", "--warehouse", warehouse,
                 "--format", "csv").stdout
    assert out == "a\nfirst\n\nb\nsecond\n"
    both = json.loads(events("sql", "SELECT 1 AS a; SELECT 2 AS b", "--warehouse", warehouse, "--format",
                             "json").stdout)
    assert both == [[{"a": 1}], [{"b": 2}]]


def test_show_tables_lists_every_schemas_tables(ran):
    warehouse, _ = ran
    names = events("sql", "SHOW TABLES;", "--warehouse", warehouse, "--format", "csv").stdout.splitlines()
    assert names[0] == "name" and {"raw.documents", "core.events", "marts.acled_export", "meta.runs"} <= set(names)


def test_sums_are_plain_numbers(ran):
    warehouse, _ = ran
    rows = json.loads(events("sql", "SELECT country, sum(fatalities) AS deaths, sum(fatalities) / 2 AS half, "
                                    "sum(1.5) AS x FROM core.events GROUP BY 1", "--warehouse", warehouse,
                             "--format", "json").stdout)
    assert rows and all(isinstance(r["deaths"], int) and isinstance(r["x"], float) for r in rows)
    table = events("sql", "SELECT sum(fatalities) AS deaths FROM core.events", "--warehouse", warehouse).stdout
    assert "decimal" not in table and "i64" in table


def test_a_run_with_nothing_new_prints_the_same_summary_without_a_run(ran):
    warehouse, first = ran
    again = events("run", "--inbox", DEMO, "--warehouse", warehouse)
    assert "nothing new since the last run" in again.stdout and "nothing new" not in first.stdout
    summary = [line for line in first.stdout.splitlines() if not line.startswith("coding")]
    assert again.stdout.splitlines()[1:] == summary
    forced = events("run", "--inbox", DEMO, "--warehouse", warehouse, "--recode")
    assert "nothing new" not in forced.stdout
