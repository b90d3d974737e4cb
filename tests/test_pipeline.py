"""Assets materialized with dg.materialize into a temporary DuckDB file: tables, checks, idempotency."""

from __future__ import annotations

import json
import shutil

import duckdb

from schemas.acled import ACLED_COLUMNS
from tests.conftest import DEMO, materialize
from warehouse import db


def _rows(path, sql):
    with db.reader(path) as con:
        return con.execute(sql).fetchall()


def test_every_asset_and_check_succeeds(demo_inbox, tmp_path):
    result = materialize(demo_inbox, tmp_path / "w.duckdb")
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) >= 12
    failed = [e.check_name for e in evaluations if not e.passed]
    assert failed == []


def test_every_received_item_is_accounted_for(demo_warehouse):
    jsonl_lines = sum(1 for line in (DEMO / "mixed_wire_briefs.jsonl").read_text().splitlines() if line.strip())
    files = [p for p in DEMO.iterdir() if p.is_file()]
    expected = len(files) - 1 + jsonl_lines
    (receipts,) = _rows(demo_warehouse, "SELECT count(*) FROM raw.receipts")[0:1]
    assert receipts[0] == expected
    statuses = dict(_rows(demo_warehouse, "SELECT status, count(*) FROM raw.receipts GROUP BY ALL"))
    assert statuses.get("loaded") == expected


def test_tables_follow_the_data_flow(demo_warehouse):
    counts = dict(_rows(demo_warehouse, """
        SELECT 'raw', count(*) FROM raw.documents UNION ALL SELECT 'staging', count(*) FROM staging.documents
        UNION ALL SELECT 'mentions', count(*) FROM core.event_mentions UNION ALL SELECT 'events', count(*)
        FROM core.events"""))
    assert counts["raw"] == counts["staging"] == 14
    assert counts["events"] >= 12
    assert counts["mentions"] >= counts["events"]
    # every event is traceable to a document and its sentence
    orphans = _rows(demo_warehouse, """
        SELECT count(*) FROM core.event_mentions m JOIN staging.documents s USING (doc_id)
        WHERE substr(s.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) <> m.evidence""")
    assert orphans[0][0] == 0


def test_acled_export_has_acleds_columns_in_order(demo_warehouse):
    with db.reader(demo_warehouse) as con:
        cols = [d[0] for d in con.execute("SELECT * FROM marts.acled_export LIMIT 0").description]
    assert cols == list(ACLED_COLUMNS)
    assert _rows(demo_warehouse, "SELECT count(*) FROM marts.events_by_country_month")[0][0] > 0


def test_new_file_is_picked_up_and_duplicate_recorded(demo_inbox, tmp_path):
    path = tmp_path / "w.duckdb"
    materialize(demo_inbox, path)
    before = _rows(path, "SELECT count(*) FROM raw.documents")[0][0]
    shutil.copy(demo_inbox / "somalia_kismayo_roadside_bomb.txt", demo_inbox / "copy of the bomb story.txt")
    (demo_inbox / "new.jsonl").write_text(json.dumps({
        "id": "x1", "published": "2025-06-02", "text": "Police in Kisumu, Kenya arrested 14 students on Sunday "
        "after a march against fee increases turned into a stand-off outside the county offices."}) + "\n"
        + "{broken json\n")
    assert materialize(demo_inbox, path).success
    status = dict(_rows(path, "SELECT status, count(*) FROM raw.receipts WHERE path IN "
                              "('copy of the bomb story.txt', 'new.jsonl') GROUP BY ALL"))
    assert status == {"duplicate": 1, "loaded": 1, "rejected": 1}
    assert _rows(path, "SELECT count(*) FROM raw.documents")[0][0] == before + 1
    kisumu = _rows(path, "SELECT sub_event_type, country FROM core.events WHERE location = 'Kisumu'")
    assert kisumu and kisumu[0][1] == "Kenya"


def test_hostile_items_are_rejected_with_reasons(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "big.txt").write_text("Police arrested 3 men in Kano. " * 200)
    (inbox / "utf16.txt").write_bytes("Soldiers clashed with rebels near Goma on 3 May 2024.".encode("utf-16"))
    outside = tmp_path / "secret.txt"
    outside.write_text("Protesters marched in Lima on 2 May 2024.")
    (inbox / "link.txt").symlink_to(outside)
    path = tmp_path / "w.duckdb"
    assert materialize(inbox, path, max_file_bytes=4000).success
    reasons = dict(_rows(path, "SELECT path, coalesce(reason, status) FROM raw.receipts"))
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["image.txt"]
    assert "unsupported" in reasons["notes.pdf"]
    assert "too large" in reasons["big.txt"]
    assert "symbolic link" in reasons["link.txt"]
    assert reasons["utf16.txt"] == "loaded"
    texts = " ".join(r[0] for r in _rows(path, "SELECT text FROM raw.documents"))
    assert "Lima" not in texts  # never read through the link


def test_reader_can_query_while_no_run_holds_the_file(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core.events").fetchall()[0][0] > 0
    finally:
        con.close()


def test_every_materialization_shows_row_counts_and_a_preview(demo_inbox, tmp_path):
    result = materialize(demo_inbox, tmp_path / "w.duckdb")
    days = set()
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        metadata = materialization.metadata
        if materialization.partition is not None:  # a day the run coded documents of: how many
            assert materialization.asset_key.path == ["core", "event_mentions"] and metadata["documents"].value > 0
            days.add(materialization.partition)
            continue
        assert "rows" in metadata and ("preview" in metadata or "summary" in metadata), materialization.asset_key
    with db.reader(tmp_path / "w.duckdb") as con:
        published = {d.isoformat() for (d,) in con.execute(
            "SELECT DISTINCT coalesce(s.published, CAST(r.received_at AS DATE)) FROM staging.documents s "
            "JOIN raw.documents r USING (doc_id)").fetchall()}
    assert days == published
