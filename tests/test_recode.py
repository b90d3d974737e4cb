"""A new coder re-codes old rows: the version is derived from what decides the output, a warehouse coded by
another version is staged and coded again on the next run (each document's rows swapped in one transaction),
`--recode` forces it, and `events status` tells what is where."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from extraction import version
from extraction.coder import EXTRACTOR_VERSION
from schemas.tables import CODING_RUNS, EVENT_MENTIONS
from tests.conftest import DEMO, ROOT, materialize
from tests.test_reliability import snapshot
from warehouse import coding, db
from warehouse.migrations import SCHEMA_VERSION
from warehouse.snapshot import publish, work_path

EVENTS = [sys.executable, "-m", "orchestration.cli"]
OLD = "coder-000000000000+subevent-0"


def events(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EVENTS, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


# --- the version ----------------------------------------------------------------------------------------------


def test_the_version_covers_sources_data_models_and_vocabularies_but_not_evaluation():
    names = {p.relative_to(version.ROOT).as_posix() for p in version.inputs()}
    assert {"extraction/coder.py", "extraction/classify.py", "extraction/clean.py", "extraction/data/actors.json",
            "extraction/models/subevent.npz", "schemas/acled.py"} <= names
    assert "extraction/evaluate.py" not in names
    assert EXTRACTOR_VERSION == version.extractor_version()
    assert EXTRACTOR_VERSION.startswith(f"coder-{version.digest()[:12]}")


def test_the_version_changes_with_any_input_and_only_with_its_content(tmp_path):
    files = [tmp_path / "extraction" / "rules.py", tmp_path / "extraction" / "data" / "table.json"]
    for path, text in zip(files, ("KILLED = 'killed'\n", '{"a": 1}\n'), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    before = version.digest(files, tmp_path)
    assert version.digest(files, tmp_path) == before  # deterministic
    files[0].write_bytes(b"KILLED = 'killed'\r\n")  # a Windows checkout of the same file
    assert version.digest(files, tmp_path) == before
    files[1].write_text('{"a": 2}\n')  # a data file built anew
    assert version.digest(files, tmp_path) != before
    files[1].write_text('{"a": 1}\n')
    assert version.digest(files, tmp_path) == before
    files[0].write_text("KILLED = 'slain'\n")  # a rule changed
    assert version.digest(files, tmp_path) != before


# --- re-coding --------------------------------------------------------------------------------------------------


@pytest.fixture
def ran(tmp_path: Path) -> tuple[Path, Path]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("kenya_nairobi_protest_teargas_live_fire.txt", "somalia_kismayo_roadside_bomb.txt",
                 "mixed_wire_briefs.jsonl"):
        shutil.copy(DEMO / name, inbox / name)
    path = tmp_path / "warehouse.duckdb"
    assert materialize(inbox, path).success
    return inbox, path


def _as_if_coded_by_an_older_version(path: Path) -> None:
    """Stamp every staged row, coding log and mention with another version, and mark the mentions' evidence, as a
    warehouse coded by older rules would hold them."""
    with db.writer(work_path(path)) as con, db.transaction(con):
        con.execute("UPDATE staging.documents SET extractor_version = ?", [OLD])
        con.execute("UPDATE core.coding_runs SET extractor_version = ?", [OLD])
        con.execute("UPDATE core.event_mentions SET extractor_version = ?, evidence = 'stale: ' || evidence", [OLD])


def test_a_warehouse_coded_by_another_version_is_recoded_by_the_next_run(ran, tmp_path):
    inbox, path = ran
    fresh = snapshot(path)
    _as_if_coded_by_an_older_version(path)
    run = events("run", "--inbox", str(inbox), "--warehouse", str(path))
    assert run.returncode == 0, run.stderr
    assert snapshot(path) == fresh  # every row as a fresh run of this version gives, none of the old ones
    with db.reader(path) as con:
        assert con.execute("SELECT DISTINCT extractor_version FROM core.coding_runs").fetchall() == \
            [(EXTRACTOR_VERSION,)]
        assert con.execute("SELECT count(*) FROM core.event_mentions WHERE evidence LIKE 'stale: %'"
                           ).fetchall() == [(0,)]


def test_recode_codes_everything_again_and_gives_the_same_rows(ran):
    inbox, path = ran
    before = snapshot(path)
    with db.reader(path) as con:
        coded_at = con.execute("SELECT max(coded_at) FROM core.coding_runs").fetchall()[0][0]
    run = events("run", "--inbox", str(inbox), "--warehouse", str(path), "--recode")
    assert run.returncode == 0, run.stderr
    assert snapshot(path) == before
    with db.reader(path) as con:
        assert con.execute("SELECT min(coded_at) FROM core.coding_runs").fetchall()[0][0] > coded_at


def test_a_failed_swap_leaves_a_documents_old_rows_in_place(ran):
    _, path = ran
    with db.writer(work_path(path)) as con:
        before = db.read(con, "SELECT * FROM core.event_mentions ORDER BY mention_id")
        log = db.read(con, "SELECT * FROM core.coding_runs").with_columns(extractor_version=pl.lit("coder-new"))
        broken = before.with_columns(mention_id=pl.lit(None, dtype=pl.String))  # a NULL primary key: refused
        with pytest.raises(duckdb.ConstraintException):
            coding.swap_coded(con, broken, log.select(CODING_RUNS.columns))
        assert db.read(con, "SELECT * FROM core.event_mentions ORDER BY mention_id").equals(before)
        assert db.read(con, "SELECT DISTINCT extractor_version FROM core.coding_runs")["extractor_version"
                                                                                        ].to_list() == \
            [EXTRACTOR_VERSION]
        assert set(before.columns) == set(EVENT_MENTIONS.columns)


# --- events status --------------------------------------------------------------------------------------------


def test_status_tells_path_versions_documents_per_version_pending_and_the_last_run(ran):
    inbox, path = ran
    _as_if_coded_by_an_older_version(path)
    with db.writer(work_path(path)) as con:  # publish the tampered state, as an older release would have left it
        publish(con, work_path(path), path)
    status = events("status", "--warehouse", str(path))
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith(f"warehouse: {path.resolve()} (") and "published" in lines[0]
    assert lines[1] == f"work file: {work_path(path.resolve())} (idle)"
    assert f"schema version: {SCHEMA_VERSION} (this code: {SCHEMA_VERSION})" in lines
    assert f"extractor version of this code: {EXTRACTOR_VERSION}" in lines
    with db.reader(path) as con:
        n = con.execute("SELECT count(*) FROM raw.documents").fetchall()[0][0]
        receipts = dict(con.execute("SELECT status, count(*) FROM raw.receipts GROUP BY ALL").fetchall())
    assert f"documents: {n}" in lines and f"  {OLD}: {n}" in lines
    assert f"pending (not coded by this code's version): {n}" in lines
    assert lines[-1].startswith("last run: ") and (
        f"received {sum(receipts.values())} (loaded {n}, duplicate {receipts.get('duplicate', 0)}, "
        f"rejected {receipts.get('rejected', 0)})") in lines[-1]

    assert events("run", "--inbox", str(inbox), "--warehouse", str(path)).returncode == 0
    lines = events("status", "--warehouse", str(path)).stdout.splitlines()
    assert f"  {EXTRACTOR_VERSION}: {n}  (this code's)" in lines
    assert "pending (not coded by this code's version): 0" in lines
    assert "received 0 (loaded 0, duplicate 0, rejected 0)" in lines[-1]
    assert dt.datetime.now(dt.UTC).strftime("%Y-%m-%d") in lines[-1]
