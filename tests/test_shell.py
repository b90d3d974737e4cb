"""`events shell`: statements over several lines, dot commands, read-only unless --write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from orchestration.shell import prompted, statements
from tests.conftest import ROOT
from warehouse import db


def shell(warehouse, script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orchestration.cli", "shell", "--warehouse", str(warehouse), *args],
                          input=script, cwd=ROOT, capture_output=True, text=True, env=os.environ, timeout=120)


def test_statements_span_lines_and_dot_commands_stand_alone():
    lines = [".tables\n", "SELECT 1,\n", "  2;\n", "\n", ".mode csv\n", "SELECT 3"]
    assert list(statements(lines)) == [".tables", "SELECT 1,\n  2;", ".mode csv", "SELECT 3"]


def test_piped_script_reads_and_cannot_write(demo_warehouse):
    proc = shell(demo_warehouse, ".tables\n.mode csv\nSELECT count(*) AS n\nFROM core.events;\n"
                                 "DELETE FROM core.events;\n.nonsense\n")
    with db.reader(demo_warehouse) as con:
        n = con.execute("SELECT count(*) FROM core.events").fetchall()[0][0]
    assert "core.events" in proc.stdout and "marts.acled_export" in proc.stdout
    assert f"n\n{n}\n" in proc.stdout
    assert "read-only" in proc.stdout and "Error: unknown command .nonsense" in proc.stdout
    assert proc.returncode == 1 and n > 0 and "Traceback" not in proc.stderr


def test_write_mode_is_explicit(demo_warehouse, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_warehouse, copy)
    proc = shell(copy, "CREATE TABLE marts.mine AS SELECT country FROM core.events;\n.mode csv\n"
                       "SELECT count(*) AS n FROM marts.mine;\n", "--write")
    assert proc.returncode == 0, proc.stdout
    with db.reader(copy) as con:
        assert con.execute("SELECT count(*) FROM marts.mine").fetchall()[0][0] > 0


def test_ctrl_c_drops_the_statement_being_typed_and_prompts_again():
    typed = iter(["SELECT 'half", KeyboardInterrupt, "SELECT 2;", ".quit"])

    def read(prompt: str) -> str:
        line = next(typed, EOFError)  # Ctrl-D after the last line
        if line is EOFError:
            raise EOFError
        if line is KeyboardInterrupt:
            raise KeyboardInterrupt
        return line

    assert list(statements(prompted(read))) == ["SELECT 2;", ".quit"]


def test_comments_empty_statements_and_missing_tables(demo_warehouse):
    proc = shell(demo_warehouse, "-- a note before a command\n.schema core.nope\n.schema core.events\n"
                                 "-- a closing comment\n")
    assert "Error: no table core.nope" in proc.stdout and "event_id_cnty" in proc.stdout
    assert proc.stdout.count("Error") == 1 and "Traceback" not in proc.stderr
    proc = shell(demo_warehouse, "SELECT 1 AS a; SELECT 2 AS b;\nSHOW TABLES;\n")
    assert proc.returncode == 0 and "│ b " in proc.stdout and "core.events" in proc.stdout
