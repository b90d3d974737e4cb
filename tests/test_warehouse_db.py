"""The DuckDB warehouse on a real file: idempotent loads, all-or-nothing batches, locking, quality checks."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import pytest

from schemas.models import EventMention, RawDocument, Receipt
from schemas.tables import CODING_RUNS, EVENT_MENTIONS, RAW_DOCUMENTS, RECEIPTS, TABLES
from warehouse import checks
from warehouse.db import (
    WarehouseBusy,
    WarehouseMissing,
    append_new,
    ensure_tables,
    keys,
    read,
    reader,
    replace_all,
    writer,
)

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2024, 11, 20, 9, 30)
TEXTS = {
    "harare.txt": "Police arrested a journalist outside the courthouse in Harare on Monday.",
    "accra.txt": "Teachers in Accra went on strike on Tuesday to demand unpaid allowances.",
}


def document(path: str) -> RawDocument:
    return RawDocument(doc_id=f"d-{path}", path=path, media_type="txt", encoding="utf-8", text=TEXTS[path],
                       received_at=NOW)


def receipt(receipt_id: str, status: str, doc_id: str | None = None, reason: str | None = None) -> Receipt:
    return Receipt(receipt_id=receipt_id, path=f"{receipt_id}.txt", sha256="0" * 64, bytes=70,
                   received_at=NOW, status=status, reason=reason, doc_id=doc_id)


def good_batch():
    harare, accra = document("harare.txt"), document("accra.txt")
    receipts = [
        receipt("r1", "loaded", harare.doc_id),
        receipt("r2", "loaded", accra.doc_id),
        receipt("r3", "duplicate", harare.doc_id, "same text as an earlier document"),
        receipt("r4", "rejected", reason="binary content (not text)"),
    ]
    return [(RECEIPTS, RECEIPTS.frame(receipts)), (RAW_DOCUMENTS, RAW_DOCUMENTS.frame([harare, accra]))]


def count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "events.duckdb"


# --- creating -------------------------------------------------------------------------------------------


def test_writer_creates_the_file_schemas_and_tables(path):
    with writer(path, wait_s=1) as con:
        ensure_tables(con)  # idempotent
        schemas = {s for (s,) in con.sql("SELECT schema_name FROM information_schema.schemata").fetchall()}
        tables = {f"{s}.{t}" for s, t in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables").fetchall()}
    assert path.exists()
    assert {"raw", "staging", "core", "marts"} <= schemas
    assert {t.name for t in TABLES} <= tables


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_stored_tables_match_their_models(path, table):
    with writer(path, wait_s=1) as con:
        passed, _, details = checks.schema_valid(con, table)
    assert passed, details


# --- loading --------------------------------------------------------------------------------------------


def test_append_new_is_idempotent(path):
    with writer(path, wait_s=1) as con:
        assert append_new(con, good_batch()) == {"raw.receipts": 4, "raw.documents": 2}
        assert append_new(con, good_batch()) == {"raw.receipts": 0, "raw.documents": 0}
        assert count(con, "raw.receipts") == 4
        assert keys(con, RAW_DOCUMENTS) == {"d-harare.txt", "d-accra.txt"}


def test_append_new_adds_only_rows_with_new_keys(path):
    with writer(path, wait_s=1) as con:
        append_new(con, [(RECEIPTS, RECEIPTS.frame([receipt("r1", "rejected", reason="empty file")]))])
        changed = receipt("r1", "rejected", reason="a different reason")
        fresh = receipt("r2", "rejected", reason="unsupported file type '.pdf'")
        assert append_new(con, [(RECEIPTS, RECEIPTS.frame([changed, fresh]))]) == {"raw.receipts": 1}
        stored = dict(con.execute("SELECT receipt_id, reason FROM raw.receipts").fetchall())
    assert stored == {"r1": "empty file", "r2": "unsupported file type '.pdf'"}


def test_a_failing_load_rolls_back_the_whole_batch(path):
    with writer(path, wait_s=1) as con:
        append_new(con, [(RECEIPTS, RECEIPTS.frame([receipt("r0", "rejected", reason="empty file")]))])
        bad_documents = RAW_DOCUMENTS.frame([document("harare.txt")]).with_columns(
            pl.lit("not a date").alias("published"))
        with pytest.raises(pl.exceptions.PolarsError):
            append_new(con, [
                (RECEIPTS, RECEIPTS.frame([receipt("r1", "loaded", "d-harare.txt")])),  # inserted, undone
                (RAW_DOCUMENTS, bad_documents),
            ])
        assert keys(con, RECEIPTS) == {"r0"}
        assert count(con, "raw.documents") == 0
        # the connection is still usable and the same batch loads once fixed
        assert append_new(con, good_batch()) == {"raw.receipts": 4, "raw.documents": 2}
    with reader(path, wait_s=1) as con:
        assert keys(con, RECEIPTS) == {"r0", "r1", "r2", "r3", "r4"}


def coding_runs_with_a_repeated_key():
    return CODING_RUNS.frame([
        {"doc_id": "d1", "extractor_version": "v1", "n_mentions": 2, "coded_at": NOW},
        {"doc_id": "d1", "extractor_version": "v1", "n_mentions": 3, "coded_at": NOW},
    ])


def test_a_database_error_rolls_back_the_batch(path):
    receipts = RECEIPTS.frame([receipt("r1", "rejected", reason="empty file")])
    with writer(path, wait_s=1) as con:
        with pytest.raises(duckdb.Error):
            append_new(con, [(RECEIPTS, receipts), (CODING_RUNS, coding_runs_with_a_repeated_key())])
        assert count(con, "raw.receipts") == 0
        assert count(con, "core.coding_runs") == 0
        assert append_new(con, [(RECEIPTS, receipts)]) == {"raw.receipts": 1}


def test_a_database_error_is_reported_as_itself(path):
    with writer(path, wait_s=1) as con:
        with pytest.raises(duckdb.ConstraintException):
            append_new(con, [(CODING_RUNS, coding_runs_with_a_repeated_key())])


def test_replace_all_replaces_and_rolls_back_on_failure(path):
    first = [receipt("r1", "rejected", reason="empty file"), receipt("r2", "rejected", reason="empty file")]
    with writer(path, wait_s=1) as con:
        assert replace_all(con, RECEIPTS, RECEIPTS.frame(first)) == 2
        second = RECEIPTS.frame([receipt("r3", "rejected", reason="empty text")])
        assert replace_all(con, RECEIPTS, second) == 1
        assert keys(con, RECEIPTS) == {"r3"}
        broken = RECEIPTS.frame(first).with_columns(pl.lit("many").alias("bytes"))
        with pytest.raises(pl.exceptions.PolarsError):
            replace_all(con, RECEIPTS, broken)
        assert keys(con, RECEIPTS) == {"r3"}  # the DELETE was rolled back too


def test_read_returns_a_polars_frame(path):
    with writer(path, wait_s=1) as con:
        append_new(con, good_batch())
        frame = read(con, "SELECT receipt_id, status FROM raw.receipts WHERE status = ? ORDER BY 1",
                     ["loaded"])
    assert frame.schema == pl.Schema({"receipt_id": pl.String(), "status": pl.String()})
    assert frame.rows() == [("r1", "loaded"), ("r2", "loaded")]


# --- readers and locking --------------------------------------------------------------------------------


def test_reader_on_a_missing_file_raises_and_creates_nothing(path):
    with pytest.raises(WarehouseMissing, match="does not exist"):
        with reader(path, wait_s=1):
            pass
    assert not path.exists()
    assert not path.parent.exists()


def test_reader_is_read_only(path):
    with writer(path, wait_s=1) as con:
        append_new(con, good_batch())
    with reader(path, wait_s=1) as con:
        assert count(con, "raw.documents") == 2
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM raw.documents")
    with reader(path, wait_s=1) as con:
        assert count(con, "raw.documents") == 2


HOLD_WRITER = """
import sys
from warehouse.db import reader, writer
with (reader if sys.argv[2] == "read" else writer)(sys.argv[1], wait_s=5):
    print("locked", flush=True)
    sys.stdin.readline()
"""


@contextmanager
def holding(path: Path, mode: str = "write") -> Iterator[int]:
    """Another process holding the warehouse (read-only or for writing) until the block ends; yields its PID."""
    if mode == "read":
        with writer(path, wait_s=1):
            pass
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(path), mode], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
        yield holder.pid
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0


def test_reader_gives_up_with_warehouse_busy_naming_the_writer_that_holds_it(path):
    with holding(path) as pid:
        with pytest.raises(WarehouseBusy) as busy:
            with reader(path, wait_s=1):
                pass
    assert re.fullmatch(rf"warehouse {re.escape(str(path))} is locked by PID {pid} \(python\S* -c import sys from "
                        r"warehouse\.db import .*\.\.\.\), which has it open for writing; gave up reading after 1s",
                        str(busy.value)), busy.value


def test_writer_gives_up_with_warehouse_busy_naming_a_reader_that_holds_it(path):
    with holding(path, "read") as pid:
        with pytest.raises(WarehouseBusy, match=rf"locked by PID {pid} \(python -c .*\), which has it open "
                                                r"read-only; gave up writing after 1s$"):
            with writer(path, wait_s=1):
                pass


def test_reader_works_once_the_other_writer_is_gone(path):
    holder = subprocess.run([sys.executable, "-c", HOLD_WRITER, str(path), "write"], cwd=ROOT, input="\n", text=True,
                            capture_output=True, timeout=60)
    assert holder.returncode == 0, holder.stderr
    with reader(path, wait_s=1) as con:
        assert count(con, "raw.receipts") == 0


# --- quality checks -------------------------------------------------------------------------------------


def test_receipts_explained_passes_on_good_data(path):
    with writer(path, wait_s=1) as con:
        append_new(con, good_batch())
        passed, _, details = checks.receipts_explained(con)
    assert passed
    assert details == {"unexplained": 0, "loaded": 2, "duplicate": 1, "rejected": 1}


@pytest.mark.parametrize(
    "row",
    [
        ("r9", "lost.txt", None, "0" * 64, 1, NOW, "loaded", None, "d-missing"),  # document not stored
        ("r9", "lost.txt", None, "0" * 64, 1, NOW, "duplicate", "same text", None),  # duplicate of nothing
        ("r9", "lost.txt", None, "0" * 64, 1, NOW, "rejected", None, None),  # rejected without a reason
        ("r9", "lost.txt", None, "0" * 64, 1, NOW, "rejected", "   ", None),  # blank reason
        ("r9", "lost.txt", None, "0" * 64, 1, NOW, "pending", None, None),  # unknown status
    ],
    ids=["loaded-missing-doc", "duplicate-no-doc", "rejected-no-reason", "rejected-blank", "bad-status"],
)
def test_receipts_explained_fails_on_bad_rows(path, row):
    with writer(path, wait_s=1) as con:
        append_new(con, good_batch())
        con.execute("INSERT INTO raw.receipts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        passed, _, details = checks.receipts_explained(con)
    assert not passed
    assert details["unexplained"] == 1


@pytest.mark.parametrize("table", [RECEIPTS, RAW_DOCUMENTS, CODING_RUNS], ids=lambda t: t.name)
def test_ids_unique_passes_on_loaded_tables(path, table):
    runs = CODING_RUNS.frame([  # same document, two extractor versions: distinct composite keys
        {"doc_id": "d-harare.txt", "extractor_version": "v1", "n_mentions": 1, "coded_at": NOW},
        {"doc_id": "d-harare.txt", "extractor_version": "v2", "n_mentions": 2, "coded_at": NOW},
    ])
    with writer(path, wait_s=1) as con:
        append_new(con, [*good_batch(), (CODING_RUNS, runs)])
        assert count(con, table.name) >= 2
        passed, _, details = checks.ids_unique(con, table)
    assert passed
    assert details == {"duplicates": 0, "nulls": 0}


@pytest.mark.parametrize(
    "ids, duplicates, nulls",
    [
        (["r1", "r2", "r1"], 1, 0),
        (["r1", None, "r2"], 0, 1),
        (["r1", "r1", None, None], 2, 2),  # the NULLs also form a duplicate group
    ],
)
def test_ids_unique_fails_on_duplicate_or_null_keys(tmp_path, ids, duplicates, nulls):
    # A table built by hand without its primary key (as a CREATE TABLE AS would) so bad keys can get in.
    with duckdb.connect(str(tmp_path / "handmade.duckdb")) as con:
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.receipts (receipt_id VARCHAR, path VARCHAR)")
        con.executemany("INSERT INTO raw.receipts VALUES (?, 'a.txt')", [[i] for i in ids])
        passed, _, details = checks.ids_unique(con, RECEIPTS)
    assert not passed
    assert details == {"duplicates": duplicates, "nulls": nulls}


def mention(mention_id: str, **changes) -> EventMention:
    """An arrest in Harare as the coder would store it; `changes` make it wrong on purpose."""
    fields = dict(
        mention_id=mention_id, event_date=dt.date(2024, 11, 18), year=2024, time_precision=1,
        disorder_type="Strategic developments", event_type="Strategic developments", sub_event_type="Arrests",
        actor1="Police Forces of Zimbabwe", inter1=1, actor2="Civilians (Zimbabwe)", inter2=7, interaction=17,
        country="Zimbabwe", location="Harare", notes="On 18 November 2024, police arrested a journalist.",
        timestamp=1_732_000_000, doc_id="d-harare.txt", evidence=TEXTS["harare.txt"], evidence_start=0,
        evidence_end=len(TEXTS["harare.txt"]), confidence=0.7, extractor_version="test-1",
    )
    return EventMention(**(fields | changes))


@pytest.mark.parametrize(
    "changes, check, detail",
    [
        ({"event_type": "Battles"}, checks.vocabularies_valid, "invalid_rows"),  # wrong parent type
        ({"inter1": 0}, checks.vocabularies_valid, "invalid_rows"),  # actor1 must have an inter code
        ({"year": 2023}, checks.dates_plausible, "implausible"),  # year disagrees with the date
        ({"event_date": dt.date(2090, 1, 1), "year": 2090}, checks.dates_plausible, "implausible"),
    ],
)
def test_event_checks_pass_on_good_rows_and_fail_on_bad_ones(path, changes, check, detail):
    with writer(path, wait_s=1) as con:
        append_new(con, [(EVENT_MENTIONS, EVENT_MENTIONS.frame([mention("m1")]))])
        passed, _, details = check(con, EVENT_MENTIONS)
        assert passed and details[detail] == 0
        append_new(con, [(EVENT_MENTIONS, EVENT_MENTIONS.frame([mention("m2", **changes)]))])
        passed, _, details = check(con, EVENT_MENTIONS)
    assert not passed
    assert details[detail] == 1


def test_the_writer_bounds_duckdb_memory_whatever_the_machine(path):
    # DuckDB's default (80% of RAM) let its buffer pool keep every block a run read: RSS grew with the warehouse
    with writer(path) as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    value, unit = limit.split()
    assert unit == "MiB" and float(value) <= 512, limit
