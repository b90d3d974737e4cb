"""`events run` with nothing new returns before Dagster starts, and runs whenever anything could change."""

from __future__ import annotations

import shutil

import pytest

from extraction.ingest import Limits
from tests.conftest import DEMO, materialize
from warehouse import db, uptodate

NOTHING_NEW = "nothing new since the last run"


@pytest.fixture
def ran(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    shutil.copytree(DEMO, inbox)
    assert materialize(inbox, warehouse).success
    return inbox, warehouse


def _nothing_new(inbox, warehouse, limits: Limits | None = None):
    return uptodate.nothing_new(inbox, warehouse, "", limits or Limits())


def test_a_published_run_with_an_unchanged_inbox_is_up_to_date(ran):
    inbox, warehouse = ran
    assert _nothing_new(inbox, warehouse)
    assert not _nothing_new(inbox, warehouse, Limits(max_doc_chars=10))  # other limits: received otherwise


def test_a_new_or_changed_inbox_file_runs(ran):
    inbox, warehouse = ran
    (inbox / "late.txt").write_text("Police arrested nine protesters in Kisumu on Friday.\n")
    assert not _nothing_new(inbox, warehouse)
    (inbox / "late.txt").unlink()
    assert _nothing_new(inbox, warehouse)
    victim = sorted(inbox.iterdir())[0]
    victim.write_bytes(victim.read_bytes() + b"\nOne more paragraph.\n")
    assert not _nothing_new(inbox, warehouse)


def test_pending_work_or_an_unpublished_run_runs(ran):
    inbox, warehouse = ran
    work = warehouse.with_name("w.work.duckdb")
    with db.writer(work) as con:  # a coding step that did not finish: a document is pending again
        con.execute("DELETE FROM core.coding_runs WHERE doc_id = (SELECT min(doc_id) FROM core.coding_runs)")
    assert not _nothing_new(inbox, warehouse)
    with db.writer(work) as con:
        con.execute("DELETE FROM staging.documents")
    assert not _nothing_new(inbox, warehouse)


def test_an_unpublished_run_or_stale_events_run(ran):
    inbox, warehouse = ran
    work = warehouse.with_name("w.work.duckdb")
    with db.writer(work) as con:
        con.execute("DELETE FROM core.events WHERE event_id_cnty = (SELECT min(event_id_cnty) FROM core.events)")
    assert not _nothing_new(inbox, warehouse)
    assert materialize(inbox, warehouse).success and _nothing_new(inbox, warehouse)
    with db.writer(work) as con:  # the last run failed before it published
        con.execute("UPDATE meta.runs SET published_at = NULL")
    assert not _nothing_new(inbox, warehouse)


def test_a_busy_or_missing_work_file_runs(ran, tmp_path):
    inbox, warehouse = ran
    with db.writer(warehouse.with_name("w.work.duckdb")):  # a run holds it
        assert not _nothing_new(inbox, warehouse)
    assert not _nothing_new(inbox, tmp_path / "other.duckdb")
