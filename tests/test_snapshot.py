"""Readers never block a run and a run never blocks readers: the pipeline writes its own file and publishes a
snapshot; a held writer lock fails a run after its wait, in one line naming the holder."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import daily_schedule, defs
from tests.conftest import DEMO, ROOT, materialize
from warehouse import db
from warehouse.snapshot import work_path

EVENTS = [sys.executable, "-m", "orchestration.cli"]
COUNTS = "SELECT (SELECT count(*) FROM raw.documents), (SELECT count(*) FROM core.events)"

# A notebook's connection: opened once, read, held open while runs happen, read again, then reopened.
READER = r"""
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(*con.execute(sys.argv[2]).fetchone(), flush=True)
sys.stdin.readline()
print(*con.execute(sys.argv[2]).fetchone(), flush=True)
con.close()
con = duckdb.connect(sys.argv[1], read_only=True)
print(*con.execute(sys.argv[2]).fetchone(), flush=True)
"""

HOLD = r"""
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("holding", flush=True)
sys.stdin.readline()
"""


def events(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*EVENTS, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("kenya_nairobi_protest_teargas_live_fire.txt", "somalia_kismayo_roadside_bomb.txt"):
        shutil.copy(DEMO / name, folder / name)
    return folder


def test_a_reader_holding_the_snapshot_never_stops_a_run_nor_a_scheduled_tick(inbox, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    first = events("run", "--inbox", str(inbox), "--warehouse", str(path))
    assert first.returncode == 0, first.stderr
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path), COUNTS], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        before = reader.stdout.readline().split()
        assert before and int(before[0]) == 2, reader.stderr.read()
        shutil.copy(DEMO / "ukraine_kharkiv_drone_strike.html", inbox)
        started = time.monotonic()
        second = events("run", "--inbox", str(inbox), "--warehouse", str(path), "--wait", "5")
        assert second.returncode == 0, second.stderr  # not held up by the reader: no wait, no lock error
        assert "locked" not in second.stderr and time.monotonic() - started < 120

        shutil.copy(DEMO / "nigeria_kano_travellers_abducted.txt", inbox)  # the daily schedule's run
        (tmp_path / "home").mkdir()
        with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
            request = daily_schedule(dg.build_schedule_context(instance=instance))
            assert isinstance(request, dg.RunRequest)
            where = {"inbox": {"config": {"path": str(inbox)}}, "warehouse": {"config": {"path": str(path)}}}
            tick = defs.resolve_job_def("events_job").execute_in_process(  # as the deployment configures it
                instance=instance, tags=request.tags, run_config={**request.run_config, "resources": where})
            assert tick.success
        out, err = reader.communicate("\n", timeout=60)
    finally:
        reader.kill()
    held, reopened = (line.split() for line in out.splitlines())
    assert held == before, err  # the open connection keeps reading the snapshot it opened
    assert int(reopened[0]) == 4 and int(reopened[1]) > int(before[1])  # a new connection sees both runs


def test_readers_open_the_snapshot_and_the_run_writes_its_own_file(inbox, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    assert materialize(inbox, path).success
    assert path.exists() and work_path(path).exists() and not Path(f"{path}.wal").exists()
    with db.reader(path) as published, db.reader(work_path(path)) as work:
        for table in ("raw.documents", "core.event_mentions", "core.events", "marts.acled_export"):
            sql = f"SELECT * FROM {table} ORDER BY ALL"
            assert published.execute(sql).fetchall() == work.execute(sql).fetchall(), table


def test_a_failed_run_leaves_the_snapshot_as_it_was_and_the_next_run_completes(inbox, tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    assert materialize(inbox, path).success
    published = path.read_bytes()
    shutil.copy(DEMO / "ukraine_kharkiv_drone_strike.html", inbox)

    def broken(batch):
        raise RuntimeError("the coder broke halfway")

    monkeypatch.setattr("assets.pipeline.code_batch", broken)
    assert not materialize(inbox, path, raise_on_error=False).success
    assert path.read_bytes() == published  # readers still see the last complete run
    monkeypatch.undo()
    assert materialize(inbox, path).success
    with db.reader(path) as con:
        assert con.execute("SELECT count(*) FROM raw.documents").fetchall() == [(3,)]
        assert con.execute("SELECT count(DISTINCT doc_id) FROM core.coding_runs").fetchall() == [(3,)]


@pytest.mark.parametrize("mode", ["write", "read"])
def test_a_run_while_another_process_holds_the_work_file_fails_after_its_wait_naming_the_holder(inbox, tmp_path,
                                                                                               mode):
    path = tmp_path / "warehouse.duckdb"
    assert materialize(inbox, path).success
    # Something new to receive: a run with nothing new returns without opening the file for writing.
    (inbox / "late.txt").write_text("Soldiers clashed with rebels near Goma on Sunday, officials said.\n")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(work_path(path)), mode], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        run = events("run", "--inbox", str(inbox), "--warehouse", str(path), "--wait", "1")
    finally:
        holder.communicate("\n", timeout=60)
    assert run.returncode == 1 and run.stdout == ""
    held = "read-only" if mode == "read" else "for writing"
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert re.fullmatch(rf"events: error: run failed: warehouse {re.escape(str(work_path(path)))} is locked by PID "
                        rf"{holder.pid} \(python\S* -c import sys, duckdb .*\), which has it open {held}; gave up "
                        r"writing after 1s", run.stderr.strip()), run.stderr


def test_shell_write_edits_the_work_file_and_publishes_it_for_readers(inbox, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    assert materialize(inbox, path).success
    edit = subprocess.run([*EVENTS, "shell", "--write", "--warehouse", str(path)], cwd=ROOT, text=True,
                          capture_output=True, input="DELETE FROM core.events;\n", timeout=120)
    assert edit.returncode == 0, edit.stdout + edit.stderr
    with db.reader(path) as con:
        assert con.execute("SELECT count(*) FROM core.events").fetchall() == [(0,)]
