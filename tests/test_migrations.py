"""An old warehouse file meets new code: it records its schema version, an older one is migrated in one
transaction (ordered steps in warehouse/migrations.py), and a newer or foreign file is refused in one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from schemas.tables import TABLES
from tests.conftest import DEMO, ROOT, materialize
from tests.test_reliability import snapshot
from warehouse import checks, db, migrations
from warehouse.snapshot import work_path

EVENTS = [sys.executable, "-m", "orchestration.cli"]
SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")  # the DDL that schema 1 (before versions) created
SCHEMA_V2 = Path(__file__).with_name("schema_v2.sql")  # schema 2: no raw.documents.modified


def events(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EVENTS, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("kenya_nairobi_protest_teargas_live_fire.txt", "venezuela_maracaibo_detainees_released.txt"):
        shutil.copy(DEMO / name, folder / name)
    return folder


def build_v1(path: Path, source: Path | None = None) -> None:
    """A warehouse as schema 1 wrote it: its DDL, and (from `source`) every row its columns can hold, coded by
    the hand-written version of that time."""
    build_old(path, SCHEMA_V1, source)
    if source is not None:
        with duckdb.connect(str(path)) as con:
            for table in ("core.coding_runs", "core.event_mentions", "core.events"):
                con.execute(f"UPDATE {table} SET extractor_version = 'rules-0.3+subevent-1'")


def build_old(path: Path, ddl: Path, source: Path | None = None) -> None:
    """A warehouse as an older schema wrote it: its frozen DDL, and (from `source`) every row its columns hold."""
    con = duckdb.connect(str(path))
    con.execute(ddl.read_text())
    if source is not None:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        for (schema, table) in con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                                           "WHERE table_catalog = current_database()").fetchall():
            cols = ", ".join(f'"{c}"' for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
                "AND table_schema = ? AND table_name = ? ORDER BY ordinal_position", [schema, table]).fetchall())
            if schema != "meta":
                con.execute(f"INSERT INTO {schema}.{table} ({cols}) SELECT {cols} FROM src.{schema}.{table}")
    con.close()


def test_a_schema_1_warehouse_is_migrated_and_brought_up_to_date_by_the_next_run(inbox, tmp_path):
    fresh = tmp_path / "fresh.duckdb"
    assert materialize(inbox, fresh).success
    old = tmp_path / "old.duckdb"  # what the previous release left: the one file readers also opened
    build_v1(old, work_path(fresh))
    with duckdb.connect(str(old), read_only=True) as con:
        assert migrations.stored_version(con) == 1
    run = events("run", "--inbox", str(inbox), "--warehouse", str(old))
    assert run.returncode == 0, run.stderr
    unknown = frozenset({"raw.documents.modified"})  # schema 1 did not record the files' times
    assert snapshot(old, drop=unknown) == snapshot(fresh, drop=unknown)  # re-staged and re-coded, as fresh
    with db.reader(old) as con:
        assert migrations.stored_version(con) == migrations.SCHEMA_VERSION
        for table in TABLES:
            passed, _, details = checks.schema_valid(con, table)
            assert passed, (table.name, details)


def test_a_schema_2_warehouse_gains_file_times_and_keeps_its_rows(inbox, tmp_path):
    fresh = tmp_path / "fresh.duckdb"
    assert materialize(inbox, fresh).success
    old = tmp_path / "old.duckdb"
    build_old(old, SCHEMA_V2, work_path(fresh))
    before = snapshot(old)
    (inbox / "later.txt").write_text("NAIROBI, Kenya - Police arrested 14 traders at a protest in Nairobi.\n")
    run = events("run", "--inbox", str(inbox), "--warehouse", str(old))
    assert run.returncode == 0, run.stderr
    with db.reader(old) as con:
        assert migrations.stored_version(con) == migrations.SCHEMA_VERSION
        rows = dict(con.execute("SELECT path, modified IS NOT NULL FROM raw.documents").fetchall())
        staged = con.execute("SELECT s.published_from FROM staging.documents s JOIN raw.documents r USING (doc_id) "
                             "WHERE r.path = 'later.txt'").fetchall()
    assert rows.pop("later.txt") and not any(rows.values())  # old rows: unknown; the new file: its time
    assert staged == [("file_mtime",)]
    later = frozenset(f"core.{t}.{c}" for t in ("events", "event_mentions") for c in ("date_from", "place_from"))
    after = snapshot(old, drop=later | {"raw.documents.modified"})
    for table in ("raw.documents", "core.event_mentions", "core.events"):
        assert set(before[table]) < set(after[table]), table  # the old rows kept (not re-coded), the new added


def test_each_step_brings_its_version_to_the_next_in_one_transaction(tmp_path):
    path = tmp_path / "old.duckdb"
    build_v1(path)
    steps = migrations.pending_steps(1)
    assert [v for v, _, _ in steps] == list(range(1, migrations.SCHEMA_VERSION))
    assert all(description and statements for _, description, statements in steps)
    with db.writer(path) as con:
        assert migrations.stored_version(con) == migrations.SCHEMA_VERSION
        assert con.execute("SELECT value FROM meta.info WHERE key = 'app'").fetchall() == [(migrations.APP,)]


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    build_v1(path)
    before = path.read_bytes()
    last = max(migrations.STEPS)
    description, statements = migrations.STEPS[last]
    monkeypatch.setitem(migrations.STEPS, last, (description, [*statements, "ALTER TABLE raw.nope ADD x INT"]))
    with pytest.raises(duckdb.CatalogException):
        with db.writer(path):
            pass
    with duckdb.connect(str(path), read_only=True) as con:
        assert migrations.stored_version(con) == 1
        columns = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                             "table_schema = 'staging' AND table_name = 'documents'").fetchall()}
        assert "extractor_version" not in columns
    assert len(path.read_bytes()) == len(before)


def _newer(path: Path) -> None:
    with db.writer(path) as con:
        con.execute("UPDATE meta.info SET value = '99' WHERE key = 'schema_version'")


def _foreign(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE invoices (id INT, total DECIMAL(10, 2))")


def _not_duckdb(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(4096))


@pytest.mark.parametrize("make,message", [
    (_newer, "{path} has warehouse schema 99, newer than this code's {version}: upgrade events to open it"),
    (_foreign, "{path} is a DuckDB file but not an events warehouse (it holds main.invoices)"),
    (_not_duckdb, "{path} is not a DuckDB database file"),
], ids=["newer", "foreign", "not-duckdb"])
def test_a_newer_foreign_or_non_duckdb_file_is_refused_in_one_line(inbox, tmp_path, make, message):
    path = tmp_path / "warehouse.duckdb"
    make(path)
    before = path.read_bytes()
    expected = message.format(path=path.resolve(), version=migrations.SCHEMA_VERSION)
    run = events("run", "--inbox", str(inbox), "--warehouse", str(path))
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr.splitlines() == [f"events: error: run failed: {expected}"], run.stderr
    status = events("status", "--warehouse", str(path))
    assert status.returncode == 1 and len(status.stderr.splitlines()) == 1, status.stderr
    assert path.read_bytes() == before and not work_path(path).exists()  # untouched, nothing copied
