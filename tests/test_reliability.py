"""Issue 4, reliability: every item accounted for, idempotent and crash-safe runs, safe concurrent reading.

The hostile inbox is generated here; crashes are real SIGKILLs of `events run` processes at named points
(inside or between transactions); readers run `events sql` (here and in a thread) while another process
holds a half-written batch.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import assets.pipeline as pipeline
from extraction.ingest import Limits, receive, walk_inbox
from orchestration import cli
from schemas.tables import RECEIPTS
from tests.conftest import ROOT, materialize
from tests.test_ingest import _png
from tests.test_warehouse_db import receipt
from warehouse import db
from warehouse.snapshot import work_path

VOLATILE = {"received_at", "coded_at", "timestamp"}  # wall-clock columns: differ between two fresh runs


def snapshot(path: Path, volatile: bool = False, drop: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Every table of the warehouse (raw, staging, core, marts) as sorted rows, wall-clock columns dropped
    unless `volatile`, and the `drop` columns ("schema.table.column") dropped."""
    with db.reader(path) as con:
        columns: dict[str, list[str]] = {}
        for schema, table, column in con.execute(
                "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema "
                "IN ('raw', 'staging', 'core', 'marts') ORDER BY table_schema, table_name, ordinal_position"
        ).fetchall():
            if (volatile or column not in VOLATILE) and f"{schema}.{table}.{column}" not in drop:
                columns.setdefault(f"{schema}.{table}", []).append(f'"{column}"')
        return {name: sorted(map(repr, con.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall()))
                for name, cols in columns.items()}


# --- a hostile inbox: one receipt per item, each rejection with its specific reason -------------------------

SQL_NAME = "x'); DROP TABLE raw.documents; --.txt"
SQL_TEXT = "Robert'); DROP TABLE raw.documents; -- Police arrested 3 men in Kano, Nigeria on 2 May 2024.\n"
SECRET = "Confidential text that lives outside the inbox, Lima 2 May 2024."
LIMITS = {"max_file_bytes": 10_000_000, "max_doc_chars": 250_000}
HUGE = 20 * 2**20 + 1  # a 20 MiB file, over max_file_bytes
ABSURD = ("On February 30, 2024, police in Nairobi, Kenya arrested 1000000000000000000000 people at a protest. "
          "In the year 20245 soldiers killed -5 civilians in Mogadishu, Somalia. Gunmen killed minus three "
          "villagers near Kano, Nigeria on 45 March 2024, and 10^21 people fled.\n")
PAGE = ("<html><head><title>Kano march</title><style>p {color: red}</style><script>var x = 'soldiers killed 9';"
        "</script></head><body><p>Traders in Kano, Nigeria marched to the governor's office on 3 May 2024.</p>"
        "<script>track('police arrested 40')</script></body></html>")
EMPTY_TEXT = "empty text"
BINARY = "binary content (not text)"
SYMLINK = "symbolic link (not followed)"
NOT_JSON_OBJECT = "missing or non-string 'text'"


def hostile_inbox(root: Path) -> tuple[Path, dict[tuple[str, int | None], tuple[str, str | None]]]:
    """Write the hostile inbox; return it with what each item must become: (path, line) -> (status, reason)."""
    inbox = root / "inbox"
    inbox.mkdir()
    loaded = "loaded", None
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.md": b"  \n\t\r\n   ",
        "random.txt": random.Random(4).randbytes(8192),
        "photo.txt": _png(),
        "utf16.txt": "Soldiers clashed with rebels near Goma, DR Congo on 3 May 2024.".encode("utf-16"),
        "latin1.txt": b"Students marched in Bogot\xe1, Colombia on 4 May 2024.",
        "mojibake.txt": "Students marched in BogotÃ¡, Colombia on 5 May 2024.".encode(),
        "nul.txt": b"Police dispersed tra\x00ders in Harare, Zimbabwe on 6 May 2024.\x00",
        "long.txt": b"a" * 300_001,
        "longline.txt": (b"the quick brown fox jumps over the lazy dog " * 5000)[:200_000],  # no punctuation
        "page.html": PAGE.encode(),
        "scripts-only.html": b"<html><script>var a = 'police arrested 5';</script><style>p{}</style></html>",
        "absurd.txt": ABSURD.encode(),
        "with spaces and accents \u00e9\u00e0.txt": b"Farmers blocked a road near Thies, Senegal on 7 May 2024.",
        "-leading-dash.md": b"Nurses went on strike in Kisumu, Kenya on 8 May 2024.",
        SQL_NAME: SQL_TEXT.encode(),
        "copy-a.txt": b"Gunmen abducted 7 travellers near Zaria, Nigeria on 9 May 2024.",
        "copy-b.txt": b"Gunmen abducted 7 travellers near Zaria, Nigeria on 9 May 2024.\n\n",
        "notes.pdf": b"%PDF-1.7 not a news file",
        ".editor.swp": b"\x00\x01 hidden files are not deliveries",
        "folder.txt/inner.md": b"Miners protested in Kitwe, Zambia on 10 May 2024.",
    }
    for name, data in files.items():
        (inbox / name).parent.mkdir(exist_ok=True)
        (inbox / name).write_bytes(data)
    with open(os.path.join(os.fsencode(inbox), b"caf\xe9 latin-1 name.txt"), "wb") as fh:  # not UTF-8
        fh.write(b"Taxi drivers protested in Dakar, Senegal on 11 May 2024.")
    with open(inbox / "huge.txt", "wb") as fh:
        fh.truncate(HUGE)  # 20 MiB of NUL bytes, never read whole
    (inbox / "empty-dir.html").mkdir()  # a directory named like a file: walked as a folder, not an item
    os.mkfifo(inbox / "pipe.txt")  # opening it would block forever
    (root / "secret.txt").write_text(SECRET)
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "inside.txt").write_text(SECRET)
    (inbox / "link.txt").symlink_to(root / "secret.txt")
    (inbox / "linked-dir").symlink_to(root / "elsewhere", target_is_directory=True)
    feed = [
        json.dumps({"text": "Soldiers clashed with rebels near Beni, DR Congo on 12 May 2024.",
                    "published": "2024-02-30"}).encode(),
        b'{"text": "Gunmen abducted two traders", ',
        json.dumps({"title": "A headline without a body"}).encode(),
        json.dumps({"text": 42}).encode(),
        json.dumps(["Police arrested five men."]).encode(),
        b'{"text": "Bogot\xe1"}',
        json.dumps({"text": "Nurses staged a sit-in in Kisumu, Kenya on 13 May 2024.",
                    "published": "20245-01-01"}).encode(),
        json.dumps({"text": "   "}).encode(),
        json.dumps({"text": "'; DELETE FROM raw.receipts; -- Riot police fired tear gas in Dhaka on 1 May 2024.",
                    "title": "'; DELETE FROM raw.receipts; --", "source": "\" OR 1=1 --"}).encode(),
    ]
    (inbox / "feed.jsonl").write_bytes(b"\n".join(feed) + b"\n")
    expected = {
        ("empty.txt", None): ("rejected", "empty file"),
        ("blank.md", None): ("rejected", "empty file"),
        ("random.txt", None): ("rejected", BINARY),
        ("photo.txt", None): ("rejected", BINARY),
        ("utf16.txt", None): loaded,
        ("latin1.txt", None): loaded,
        ("mojibake.txt", None): loaded,
        ("nul.txt", None): loaded,
        ("long.txt", None): ("rejected", "text too long (300001 characters > 250000)"),
        ("longline.txt", None): loaded,
        ("page.html", None): loaded,
        ("scripts-only.html", None): ("rejected", EMPTY_TEXT),
        ("absurd.txt", None): loaded,
        ("with spaces and accents \u00e9\u00e0.txt", None): loaded,
        ("-leading-dash.md", None): loaded,
        (SQL_NAME, None): loaded,
        ("copy-a.txt", None): loaded,
        ("copy-b.txt", None): ("duplicate", "same text as an earlier document"),
        ("notes.pdf", None): ("rejected", "unsupported file type '.pdf'"),
        ("folder.txt/inner.md", None): loaded,
        ("caf\\xe9 latin-1 name.txt", None): loaded,
        ("huge.txt", None): ("rejected", f"file too large ({HUGE} bytes > 10000000 allowed)"),
        ("pipe.txt", None): ("rejected", "not a regular file (pipe, socket or device)"),
        ("link.txt", None): ("rejected", SYMLINK),
        ("linked-dir", None): ("rejected", SYMLINK),
        ("feed.jsonl", 1): ("loaded", "ignored invalid published date (not a date: '2024-02-30')"),
        ("feed.jsonl", 2): ("rejected", "invalid JSON: expecting property name enclosed in double quotes at column 41"),
        ("feed.jsonl", 3): ("rejected", NOT_JSON_OBJECT),
        ("feed.jsonl", 4): ("rejected", NOT_JSON_OBJECT),
        ("feed.jsonl", 5): ("rejected", "JSON line is not an object"),
        ("feed.jsonl", 6): ("rejected", "invalid JSON: not UTF-8"),
        ("feed.jsonl", 7): ("loaded", "ignored invalid published date (not a date: '20245-01-01')"),
        ("feed.jsonl", 8): ("rejected", EMPTY_TEXT),
        ("feed.jsonl", 9): loaded,
    }
    return inbox, expected


def test_hostile_inbox_every_item_has_one_receipt_with_a_specific_reason(tmp_path):
    inbox, expected = hostile_inbox(tmp_path)
    path = tmp_path / "w.duckdb"
    result = materialize(inbox, path, **LIMITS)
    assert result.success
    assert [e.check_name for e in result.get_asset_check_evaluations() if not e.passed] == []

    with db.reader(path) as con:
        receipts = {(p, line): (status, reason) for p, line, status, reason in con.execute(
            "SELECT path, line, status, reason FROM raw.receipts").fetchall()}
        texts = [t for (t,) in con.execute("SELECT text FROM raw.documents UNION ALL SELECT text FROM "
                                           "staging.documents").fetchall()]
        by_path = dict(con.execute("SELECT path, text FROM raw.documents WHERE line IS NULL").fetchall())
        feed_line_9 = con.execute("SELECT title, source FROM raw.documents WHERE path = ? AND line = ?",
                                  ["feed.jsonl", 9]).fetchone()
        tables = {t for (t,) in con.execute("SELECT table_schema || '.' || table_name FROM "
                                            "information_schema.tables").fetchall()}
        counts = con.execute("SELECT min(fatalities), max(fatalities), min(event_date), max(event_date) "
                             "FROM core.events").fetchall()[0]
    assert receipts == expected  # one row per item, nothing more (hidden file, empty folder), nothing less
    assert not any(SECRET[:20] in t for t in texts)  # nothing outside the inbox was read
    assert not any("\x00" in t for t in texts)
    assert by_path[SQL_NAME] == SQL_TEXT  # SQL-looking names and texts are stored as data, verbatim
    assert feed_line_9 == ("'; DELETE FROM raw.receipts; --", "\" OR 1=1 --")
    assert {"raw.documents", "raw.receipts"} <= tables
    assert "soldiers killed 9" not in by_path["page.html"] and "color" not in by_path["page.html"]
    assert counts[0] >= 0 and counts[1] < 10**9  # absurd numbers in text did not become absurd counts
    # the same hostile inbox again: nothing changes, not even a timestamp
    before = snapshot(path, volatile=True)
    assert materialize(inbox, path, **LIMITS).success
    assert snapshot(path, volatile=True) == before


def test_the_walk_opens_nothing_outside_the_inbox_nor_links_or_pipes(tmp_path, monkeypatch):
    inbox, expected = hostile_inbox(tmp_path)
    opened, real_open = [], os.open

    def spy(path, *args, **kwargs):
        opened.append(Path(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    items = list(walk_inbox(inbox, Limits(**LIMITS)))
    assert len(items) == len(expected)
    regular = {p for p in inbox.rglob("*") if p.is_file() and not p.is_symlink() and not p.name.startswith(".")}
    assert set(opened) == regular and len(opened) == len(regular)  # each opened once, nothing else
    for path in opened:
        assert path.parent.resolve().is_relative_to(inbox) and not path.is_symlink()
        assert path.name not in {"pipe.txt", "link.txt", "secret.txt", "inside.txt"}


def test_a_20_mib_file_under_default_limits_is_rejected_as_too_long_not_a_crash(tmp_path):
    (tmp_path / "wall.txt").write_bytes(b"Police arrested 3 men in Kano on Monday. " * 520_000)
    receipts, docs = receive(walk_inbox(tmp_path))
    assert docs == []
    assert [r.reason for r in receipts] == [f"text too long (21320000 characters > {Limits().max_doc_chars})"]


def test_an_event_without_a_place_does_not_fail_the_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "placeless.txt").write_text("Police arrested 3 journalists on 4 May 2024.")
    assert materialize(inbox, tmp_path / "w.duckdb").success


# --- idempotency and determinism ------------------------------------------------------------------------

CORPUS = {
    "nairobi.txt": "On 3 March 2025, police in Nairobi, Kenya fired tear gas at about 200 traders protesting new "
                   "market fees and arrested 12 of them.",
    "kano.txt": "Gunmen abducted 7 travellers on the road from Kano, Nigeria on 9 April 2025, officials said.",
    "lima.md": "Transport workers in Lima, Peru went on strike on 14 May 2025 and blocked avenues to protest "
               "extortion by gangs.",
    "kharkiv.html": "<html><head><title>Drone strike</title></head><body><p>A Russian drone struck a residential "
                    "block in Kharkiv, Ukraine on 2 June 2025, killing 3 civilians.</p><script>x()</script>"
                    "</body></html>",
    "feed.jsonl": json.dumps({"text": "Soldiers clashed with rebels near Goma, DR Congo on 5 July 2025; four "
                              "fighters were killed.", "published": "2025-07-06"}) + "\n{broken\n",
    "copy of nairobi.txt": "On 3 March 2025, police in Nairobi, Kenya fired tear gas at about 200 traders "
                           "protesting new market fees and arrested 12 of them.",
    "scan.pdf": "%PDF-1.4",
}


@pytest.fixture
def corpus(tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in CORPUS.items():
        (inbox / name).write_text(text)
    return inbox


def test_same_inbox_twice_and_fresh_warehouses_give_identical_tables(corpus, tmp_path):
    first, fresh = tmp_path / "first.duckdb", tmp_path / "fresh.duckdb"
    assert materialize(corpus, first).success
    once = snapshot(first, volatile=True)
    assert materialize(corpus, first).success
    assert snapshot(first, volatile=True) == once  # counts, ids, every value
    assert materialize(corpus, fresh).success
    assert snapshot(fresh) == snapshot(first)  # ids come from content, not from run order or time
    assert len(once["raw.receipts"]) == len(CORPUS) + 1 and len(once["raw.documents"]) == 5


# --- crash safety: SIGKILL at a named point, re-run, compare with an uninterrupted run ------------------------

KILL_RUNS = r"""
import os, signal, sys
from contextlib import contextmanager

import dagster as dg

import assets.pipeline as pipeline
from extraction.coder import load_nlp
from orchestration import cli
from orchestration.definitions import defs
from warehouse import db

inbox, folder, scenarios = sys.argv[1], sys.argv[2], sys.argv[3:]
pipeline.BATCH = 2  # five documents: three coding batches, each its own transaction
original = db.transaction
# Imported, loaded and warmed up once (no Polars work, which is not fork-safe); each run below is a forked copy.
load_nlp()
dg.DagsterInstance.ephemeral()
defs.resolve_job_def("events_job")


def die_at(number, moment):
    # Transactions of a run, in order: 1 raw batch (one here: the intake commits 2,000 items at a time),
    # 2 the intake's run row and inbox fingerprint, 3 staging, 4-6 coding batches, 7 core.events, 8-14 marts,
    # 15 the run's log row in the publishing step (the copy follows it).
    seen = [0]

    @contextmanager
    def transaction(con):
        seen[0] += 1
        with original(con):
            yield con
            if (seen[0], moment) == (number, "before-commit"):  # rows written, COMMIT not yet
                os.kill(os.getpid(), signal.SIGKILL)
        if (seen[0], moment) == (number, "after-commit"):
            os.kill(os.getpid(), signal.SIGKILL)

    return transaction


for scenario in scenarios:
    number, moment = scenario.split(":")
    pid = os.fork()
    if pid == 0:  # the child is `events run`, killed at its point
        db.transaction = die_at(int(number), moment)
        os._exit(cli.main(["run", "--inbox", inbox, "--warehouse", f"{folder}/{number}-{moment}.duckdb"]))
    _, status = os.waitpid(pid, 0)
    print(scenario, os.WTERMSIG(status) if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}", flush=True)
"""

# Inside the raw batch; after the raw batch, before the intake's run row; between two coding batches; inside a
# coding batch; inside the rebuild of core.events (DELETE and INSERT done, not committed); in the publishing
# step, before the snapshot is copied. Marts are rebuilt the same way as core.events.
KILLS = ["1:before-commit", "2:before-commit", "4:after-commit", "5:before-commit", "7:before-commit",
         "15:after-commit"]


def test_a_run_killed_at_any_point_then_rerun_equals_an_uninterrupted_run(corpus, tmp_path, monkeypatch):
    folder = tmp_path / "killed"
    folder.mkdir()
    killer = subprocess.Popen([sys.executable, "-c", KILL_RUNS, str(corpus), str(folder), *KILLS], cwd=ROOT,
                              text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    monkeypatch.setattr(pipeline, "BATCH", 2)
    reference = tmp_path / "uninterrupted.duckdb"
    assert materialize(corpus, reference).success
    expected = snapshot(reference)
    assert len(expected["core.coding_runs"]) == 5
    done = []
    for line in killer.stdout:  # each killed run is re-run here while the next one is being killed there
        kill, signum = line.split()
        assert signum == str(int(signal.SIGKILL)), f"{kill} was not killed: {signum}"
        path = folder / f"{kill.replace(':', '-')}.duckdb"
        assert not path.exists()  # a killed run never publishes: readers still have nothing (or the last run)
        work = work_path(path)
        if kill == "1:before-commit":  # the killed run left only whole, committed batches
            assert snapshot(work)["raw.receipts"] == []
        if kill == "2:before-commit":  # the intake's batch committed, its run row not: the re-run takes it up
            with db.reader(work) as con:
                assert con.execute("SELECT count(*) FROM raw.receipts").fetchall()[0][0] > 0
                assert con.execute("SELECT count(*) FROM meta.runs").fetchall()[0][0] == 0
        if kill == "5:before-commit":
            with db.reader(work) as con:
                coded = {d for (d,) in con.execute("SELECT doc_id FROM core.coding_runs").fetchall()}
                mentioned = {d for (d,) in con.execute("SELECT doc_id FROM core.event_mentions").fetchall()}
            assert len(coded) == 2 and mentioned <= coded  # the first batch, nothing of the second
        assert materialize(corpus, path).success, kill
        assert snapshot(path) == expected, kill
        done.append(kill)
    assert killer.wait(timeout=60) == 0 and done == KILLS, killer.stderr.read()[-2000:]


# --- concurrency: readers while another process writes ----------------------------------------------------

HALF_WRITTEN = r"""
import sys

from schemas.tables import RECEIPTS
from tests.test_warehouse_db import good_batch
from warehouse import db

original = db.insert


def insert(con, table, frame):
    added = original(con, table, frame)
    if table is RECEIPTS:  # receipts inserted, documents not yet: the batch is half-written
        print("half-written", flush=True)
        sys.stdin.readline()
    return added


db.insert = insert
with db.writer(sys.argv[1], wait_s=5) as con:
    db.append_new(con, good_batch())
"""

COUNTS = "SELECT (SELECT count(*) FROM raw.receipts) AS receipts, (SELECT count(*) FROM raw.documents) AS documents"


def test_readers_during_a_write_wait_or_fail_in_one_line_and_never_see_half_a_batch(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    with db.writer(path, wait_s=1) as con:  # the last committed state: one receipt
        db.append_new(con, [(RECEIPTS, RECEIPTS.frame([receipt("r0", "rejected", reason="empty file")]))])
    writer = subprocess.Popen([sys.executable, "-c", HALF_WRITTEN, str(path)], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    patient = threading.Thread(target=cli.main, args=(["sql", COUNTS, "--warehouse", str(path), "--format",
                                                       "json", "--wait", "120"],))
    try:
        assert writer.stdout.readline().strip() == "half-written", writer.stderr.read()
        code = cli.main(["sql", COUNTS, "--warehouse", str(path), "--wait", "0.5"])  # gives up
        out, err = capsys.readouterr()
        assert (code, out) == (1, "")
        assert len(err.splitlines()) == 1 and err.startswith(
            f"events: error: warehouse {path} is locked by PID {writer.pid} (python"), err
        assert err.rstrip().endswith("which has it open for writing; gave up reading after 0.5s"), err
        patient.start()  # waits, retrying, while the batch is half-written
        patient.join(1.0)
        assert patient.is_alive()
    finally:
        writer.communicate("\n", timeout=60)
    assert writer.returncode == 0
    patient.join(120)
    out, err = capsys.readouterr()
    assert json.loads(out) == [{"receipts": 5, "documents": 2}], err  # then reads the whole batch


def test_events_sql_reads_the_warehouse_and_nothing_else(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    with db.writer(path, wait_s=1):
        pass
    (tmp_path / "other.txt").write_text("not for readers")
    refused = [f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'", f"SELECT * FROM read_text('{tmp_path / 'other.txt'}')",
               f"ATTACH '{tmp_path / 'other.duckdb'}' AS other", "SET enable_external_access = true",
               "INSTALL httpfs", "DELETE FROM raw.receipts", "CREATE TABLE raw.x (a INT)"]
    for query in refused:
        assert cli.main(["sql", query, "--warehouse", str(path)]) == 1
        out, err = capsys.readouterr()
        assert out == "" and len(err.splitlines()) == 1 and err.startswith("events: error: "), err
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()
    with db.reader(path, wait_s=1) as con:
        assert con.execute("SELECT count(*) FROM raw.receipts").fetchall() == [(0,)]
        assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]


# --- the CLI: one clear line per rejected item and per error --------------------------------------------------


def test_events_run_prints_one_line_per_rejection_and_one_line_per_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EVENTS_INBOX", "unset")  # `events run` sets both for its run
    monkeypatch.setenv("EVENTS_WAREHOUSE", "unset")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "photo.txt").write_bytes(_png())
    (inbox / "feed.jsonl").write_text('{"title": "no text"}\n')
    assert cli.main(["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    out, err = capsys.readouterr()
    assert "rejected: 3" in out
    assert err.splitlines() == ["events: warning: rejected empty.txt: empty file",
                                "events: warning: rejected feed.jsonl:1: missing or non-string 'text'",
                                "events: warning: rejected photo.txt: binary content (not text)"]
    (tmp_path / "a-directory.duckdb").mkdir()
    assert cli.main(["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "a-directory.duckdb")]) == 1
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and err.startswith("events: error: run failed: "), err
    assert "a-directory.duckdb" in err and "Traceback" not in err
