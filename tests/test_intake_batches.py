"""The intake reads the inbox a batch at a time (memory flat in the inbox's size): the receipts, documents and
the run row are those of one pass over everything."""

from __future__ import annotations

import json

import dagster as dg

import assets.pipeline as pipeline
from assets.resources import Inbox, Warehouse
from warehouse import db


def _inbox(root):
    inbox = root / "inbox"
    inbox.mkdir()
    lines = [{"id": f"n{i}", "text": f"Residents of district {i} met the mayor on {i + 1} May to discuss water."}
             for i in range(7)]
    lines.insert(5, dict(lines[1]))  # the same text again, in a later batch than its first copy
    (inbox / "a.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines) + "{broken\n")
    (inbox / "b.txt").write_text("A note on its own, delivered as a plain text file about a council meeting.")
    return inbox


def _intake(root, inbox):
    front = [a for a in pipeline.ASSETS if {k.path[0] for k in a.keys} <= {"raw", "staging", "warehouse"}]
    path = root / "w.duckdb"
    resources = {"inbox": Inbox(path=str(inbox)), "warehouse": Warehouse(path=str(path))}
    assert dg.materialize(front, resources=resources, instance=dg.DagsterInstance.ephemeral()).success
    with db.reader(path) as con:
        receipts = con.execute("SELECT path, line, status, doc_id FROM raw.receipts ORDER BY ALL").fetchall()
        docs = con.execute("SELECT doc_id FROM raw.documents ORDER BY ALL").fetchall()
        runs = con.execute("SELECT received, loaded, duplicate, rejected FROM meta.runs").fetchall()
    return receipts, docs, runs


def test_small_batches_give_the_one_pass_intake(tmp_path, monkeypatch):
    inbox = _inbox(tmp_path)
    (tmp_path / "one").mkdir(), (tmp_path / "small").mkdir()
    whole = _intake(tmp_path / "one", inbox)
    monkeypatch.setattr(pipeline, "INTAKE_BATCH", 3)
    batched = _intake(tmp_path / "small", inbox)
    assert batched == whole
    receipts, docs, runs = batched
    assert [s for _, _, s, _ in receipts].count("duplicate") == 1 and len(docs) == 8
    assert runs == [(10, 8, 1, 1)]
