"""`events shell`: an interactive SQL prompt on the warehouse, read-only unless asked otherwise.

Statements end with `;` and may span lines. Dot commands: .tables, .schema NAME, .mode table|csv|json,
.help, .quit. Piped input runs as a script (exit status 1 if any statement failed).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

import duckdb
import polars as pl

from warehouse import db

MODES = ("table", "csv", "json")
HELP = """Type SQL ending with ';' (it may span lines). Tables: raw.*, staging.*, core.events, core.event_mentions,
marts.*. Commands:
  .tables           list every table with its row count (SHOW TABLES lists them by name)
  .schema NAME      columns and types of a table
  .mode MODE        output as table (default), csv or json
  .help             this text
  .quit             leave (or Ctrl-D)"""


def render(frame: pl.DataFrame, mode: str = "table") -> str:
    """A result as a terminal table, CSV (nested values as JSON) or JSON records."""
    if mode == "csv":
        nested = [c for c, t in frame.schema.items() if t.is_nested()]
        frame = frame.with_columns(pl.col(c).map_elements(lambda v: json.dumps(
            v.to_list() if hasattr(v, "to_list") else v, default=str), return_dtype=pl.String) for c in nested)
        return frame.write_csv().rstrip("\n")
    if mode == "json":
        return json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=1)
    with pl.Config(tbl_rows=200, tbl_cols=40, fmt_str_lengths=60, tbl_hide_dataframe_shape=True):
        return f"{frame}\n({frame.height} rows)"


# Our tables live in the schemas raw, staging, core, marts and meta; DuckDB's SHOW TABLES lists only the
# current schema (main, empty), so it is answered with every table, schema-qualified.
_SHOW_TABLES = re.compile(r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*show\s+tables\s*;?(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*",
                          re.I | re.S)
TABLES_SQL = ("SELECT table_schema || '.' || table_name AS name FROM information_schema.tables "
              "WHERE table_catalog = current_database() ORDER BY 1")
# A line that stands for Ctrl-C at the prompt: the statement being typed is dropped.
CANCEL = "\x03"


def results(con: duckdb.DuckDBPyConnection, sql: str, empty_ok: bool = False) -> Iterator[pl.DataFrame | None]:
    """Every statement of `sql` in turn, run on `con`: its result (None for a statement that returns none).
    Raises ValueError when there is no statement at all (empty, or only comments) unless `empty_ok`,
    duckdb.Error on the first statement that fails (after yielding the results before it)."""
    found = con.extract_statements(sql)
    if not found and not empty_ok:
        raise ValueError("no SQL statement to run (the query is empty or only comments)")
    for statement in found:
        text = TABLES_SQL if _SHOW_TABLES.fullmatch(statement.query) else statement.query
        relation = con.sql(text)
        yield None if relation is None else db.frame(relation)


def statements(lines: Iterable[str]) -> Iterator[str]:
    """Complete statements from input lines: a dot command is one line, SQL runs to its closing ';'; a CANCEL
    line drops the statement typed so far."""
    buffer: list[str] = []
    for line in lines:
        if line == CANCEL:
            buffer = []
            continue
        if not buffer and line.strip().startswith("--"):
            continue  # a comment between statements: not the start of one
        if not buffer and line.strip().startswith("."):
            yield line.strip()
            continue
        if line.strip():
            buffer.append(line.rstrip("\n"))
        if line.rstrip().endswith(";"):
            yield "\n".join(buffer)
            buffer = []
    if buffer:
        yield "\n".join(buffer)


class Shell:
    """Runs statements on one connection; keeps the output mode."""

    def __init__(self, con: duckdb.DuckDBPyConnection, out: TextIO = sys.stdout):
        self.con, self.out, self.mode, self.failed = con, out, "table", False

    def run(self, statement: str) -> bool:
        """Execute one statement or dot command and print its result; False means quit."""
        try:
            if statement.startswith("."):
                return self.command(*statement[1:].split(maxsplit=1))
            for frame in results(self.con, statement, empty_ok=True):  # a comment alone does nothing
                if frame is not None:
                    print(render(frame, self.mode), file=self.out)
        except (duckdb.Error, ValueError) as exc:
            self.failed = True
            print(f"Error: {str(exc).splitlines()[0]}", file=self.out)
        return True

    def command(self, name: str, arg: str = "") -> bool:
        if name in ("quit", "exit", "q"):
            return False
        if name == "tables":
            names = self.con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                                     "ORDER BY 1").fetchall()
            counts = [(n, self.con.execute(f"SELECT count(*) FROM {n}").fetchall()[0][0]) for (n,) in names]
            print(render(pl.DataFrame(counts, schema=["table", "rows"], orient="row"), self.mode), file=self.out)
        elif name == "schema" and arg:
            columns = db.read(self.con, "SELECT column_name, data_type FROM information_schema.columns "
                                        "WHERE table_schema || '.' || table_name = ? OR table_name = ? "
                                        "ORDER BY ordinal_position", [arg, arg])
            if columns.is_empty():
                raise ValueError(f"no table {arg}; .tables lists them")
            print(render(columns, self.mode), file=self.out)
        elif name == "mode" and arg in MODES:
            self.mode = arg
        elif name == "help":
            print(HELP, file=self.out)
        else:
            raise ValueError(f"unknown command .{name} {arg}".strip() + "; try .help")
        return True


def prompted(read: Callable[[str], str] = input) -> Iterator[str]:
    """Lines typed at a terminal, with history and a continuation prompt. Ctrl-C drops the line and the
    statement being typed (a CANCEL line) and prompts again, as in psql or duckdb; Ctrl-D leaves."""
    try:
        import readline  # noqa: F401 (line editing and history for input())
    except ImportError:
        pass
    pending = False
    while True:
        try:
            line = read("   ...> " if pending else "events> ")
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            pending = False
            yield CANCEL
            continue
        starts = bool(line.strip()) and not line.strip().startswith((".", "--"))
        pending = (pending or starts) and not line.rstrip().endswith(";")
        yield line


def main(con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> int:
    interactive = sys.stdin.isatty()
    shell = Shell(con)
    if interactive:
        print(f"events shell on {path} ({'read-only' if read_only else 'read-write'}); .help for help, "
              f".quit to leave")
    for statement in statements(prompted() if interactive else sys.stdin):
        try:
            if not shell.run(statement):
                break
        except KeyboardInterrupt:
            print("(interrupted)")
    return 1 if shell.failed and not interactive else 0
