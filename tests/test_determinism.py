"""The same inbox gives the same warehouse whatever the day: a document that gives no date and writes none is
dated by its file's modification time (recorded as the date's source, at month precision), never by the clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO
from tests.test_reliability import snapshot
from warehouse import db

FILE_TIME = dt.datetime(2024, 5, 6, 9, 30, tzinfo=dt.UTC)
UNDATED = {
    "undated_arrests.txt": "Police arrested four students outside the university in Kisumu, Kenya, after a march "
                           "against higher fees. A spokesman said the four would appear in court.\n",
    "undated_relative.jsonl": '{"text": "Soldiers clashed with gunmen near Maiduguri, Nigeria yesterday, and three '
                              'soldiers were killed, the army said."}\n',
}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(DEMO / "kenya_nairobi_protest_teargas_live_fire.txt", folder)
    for name, text in UNDATED.items():
        (folder / name).write_text(text)
    for path in folder.iterdir():
        os.utime(path, (FILE_TIME.timestamp(), FILE_TIME.timestamp()))
    return folder


# Runs the pipeline under a faked clock in its own process: a date made while the clock is faked is freezegun's
# subclass of date, and one kept in a module's cache would outlive the fake in this process (Polars then
# refuses it in a later test).
_FROZEN_RUN = """
import sys
from freezegun import freeze_time
from extraction.coder import load_nlp
from tests.conftest import materialize
load_nlp()  # imported before the clock is faked: pydantic v1 (under spaCy) subclasses date at import
with freeze_time(sys.argv[1], tick=True):
    sys.exit(0 if materialize(sys.argv[2], sys.argv[3]).success else 1)
"""


def run_on(day: str, inbox: Path, warehouse: Path) -> dict[str, list[str]]:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _FROZEN_RUN, day, str(inbox), str(warehouse)], cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return snapshot(warehouse)


def test_the_same_inbox_gives_the_same_tables_on_two_days(inbox, tmp_path):
    first = run_on("2031-03-04 12:00:00", inbox, tmp_path / "a.duckdb")
    second = run_on("2033-07-09 08:00:00", inbox, tmp_path / "b.duckdb")
    assert first == second
    with db.reader(tmp_path / "a.duckdb") as con:
        staged = dict(con.execute("SELECT r.path, s.published_from || ' ' || s.published FROM staging.documents s "
                                  "JOIN raw.documents r USING (doc_id)").fetchall())
        events = con.execute("SELECT r.path, m.event_date, m.time_precision FROM core.event_mentions m "
                             "JOIN raw.documents r USING (doc_id) WHERE r.path LIKE 'undated%' ORDER BY 1").fetchall()
    assert staged["undated_arrests.txt"] == staged["undated_relative.jsonl"] == "file_mtime 2024-05-06"
    assert events and {p.split("_")[1].split(".")[0] for p, _, _ in events} == {"arrests", "relative"}
    for path, day, precision in events:  # the file's time bounds when it was written: month precision at best
        assert day <= FILE_TIME.date() and precision == 3, (path, day, precision)
