"""DuckDB access: one writer at a time, read-only readers, versioned schema, idempotent loads in one transaction.

DuckDB lets one process hold a file for writing, or several hold it read-only, never both. A second process
retries for a bounded time and then fails with `WarehouseBusy`, one line naming the process that holds the
file. The pipeline writes its own file and readers open a published snapshot (see `warehouse.snapshot`), so in
normal use only two writers can meet here. Opening a file for writing brings its schema up to date
(`warehouse.migrations`) or refuses it with `WarehouseIncompatible`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from schemas.tables import INFO, TABLES, Table
from warehouse.migrations import (
    APP,
    SCHEMA_VERSION,
    WarehouseIncompatible,
    check_openable,
    pending_steps,
    stored_version,
)

SQL_DIR = Path(__file__).parent / "sql"
SCHEMAS = ("raw", "staging", "core", "marts", "meta")

__all__ = ["WarehouseBusy", "WarehouseIncompatible", "WarehouseMissing", "reader", "writer"]


class WarehouseBusy(RuntimeError):
    """The warehouse file stayed locked by another process for longer than the wait allowed."""

    def __init__(self, message: str, holder: str = "another process"):
        super().__init__(message)
        self.holder = holder


class WarehouseMissing(FileNotFoundError):
    """A reader asked for a warehouse file that does not exist."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.+?) \(PID (?P<pid>\d+)\)")


def _command(pid: int) -> str | None:
    """What process `pid` runs, shortly ("events shell", "python -m pytest"), where /proc tells."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return None
    argv = [a for a in argv if a]
    if not argv:
        return None
    words = [Path(argv[0]).name, *argv[1:]]
    if len(words) > 1 and words[0].startswith("python") and Path(words[1]).name == "events":
        words = words[1:]  # `python .venv/bin/events run`
    text = " ".join(" ".join([Path(words[0]).name, *words[1:]]).split())
    return text if len(text) <= 60 else text[:57] + "..."


def holder(message: str) -> str:
    """Who holds the lock, from DuckDB's error: 'PID 4242 (events shell), which has it open read-only'."""
    m = _HOLDER.search(message)
    if m is None:
        return "another process"
    pid = int(m["pid"])
    what = _command(pid) or Path(m["exe"]).name
    # DuckDB adds this hint only when the holder itself opened the file read-only.
    mode = "read-only" if "open this database in read-only mode" in message else "for writing"
    return f"PID {pid} ({what}), which has it open {mode}"


def _is_duckdb(path: Path) -> bool:
    """A DuckDB file says so at byte 8 ('DUCK'); an empty or missing file is a new warehouse."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError:  # missing (a new warehouse), a folder, unreadable: DuckDB says what is wrong
        return True
    return not head or head[8:12] == b"DUCK"


# Nothing is fetched at run time: a file DuckDB reads through an extension (a SQLite file, say) must not
# make it download one.
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# The pipeline's writer: DuckDB keeps every block it reads in its buffer pool up to `memory_limit`, 80% of the
# machine's memory by default, so a run's resident set grew with the warehouse (each page of pending documents
# scans the staged table; core.events and the marts compare whole tables). Capped, it evicts cached blocks and
# spills large joins and sorts to `<file>.tmp`: memory flat in the corpus, results unchanged. An operation
# that cannot spill fails the run at the cap: `EVENTS_WRITER_MEMORY` (a DuckDB size, "1GB") raises it.
WRITER = {**OFFLINE, "memory_limit": os.environ.get("EVENTS_WRITER_MEMORY", "128MB")}
# Readers run arbitrary SQL (`events sql`): they may read the warehouse and nothing else. No other files,
# URLs or databases (COPY TO, read_text, ATTACH, INSTALL are refused), and the setting cannot be undone.
SANDBOX = {"enable_external_access": False, **OFFLINE, "lock_configuration": True}


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    if not _is_duckdb(path):
        raise WarehouseIncompatible(f"{path} is not a DuckDB database file")
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=SANDBOX if read_only else WRITER)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                who, held = "reading" if read_only else "writing", holder(str(exc))
                raise WarehouseBusy(f"warehouse {path} is locked by {held}; gave up {who} after {wait_s:g}s",
                                    held) from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def writer(path: str | Path, wait_s: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on a warehouse of this code's schema (created or migrated); closed on exit."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False, wait_s=wait_s)
    try:
        prepare(con, str(path))
        yield con
    finally:
        con.close()


@contextmanager
def reader(path: str | Path, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only, sandboxed connection (see SANDBOX); never creates the file."""
    path = Path(path)
    if not path.exists():
        raise WarehouseMissing(f"warehouse {path} does not exist; run `events run` first")
    con = _open(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def prepare(con: duckdb.DuckDBPyConnection, path: str = "warehouse") -> int:
    """Bring the file to SCHEMA_VERSION in one transaction: create every table of a new file, or run the
    migration steps of an older one; refuse a newer or foreign file. Returns the version the file had."""
    version = stored_version(con, path)
    check_openable(version, path)
    if version == SCHEMA_VERSION:
        return version
    con.execute("BEGIN TRANSACTION")
    try:
        for _, _, statements in pending_steps(version):
            for statement in statements:
                con.execute(statement)
        ensure_tables(con)
        con.execute(f"DELETE FROM {INFO.name}")
        con.executemany(f"INSERT INTO {INFO.name} VALUES (?, ?)", [("app", APP),
                                                                  ("schema_version", str(SCHEMA_VERSION))])
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return version


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and contract table (no-op when present)."""
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in TABLES:
        con.execute(table.ddl())


def read(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence | None = None) -> pl.DataFrame:
    """A query's result as a Polars frame (through Arrow, no row-by-row conversion)."""
    relation = con.sql(sql, params=params or None)
    if relation is None:
        raise ValueError("the statement returns no rows (not a query)")
    return frame(relation)


def frame(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """A relation as a Polars frame, DECIMAL columns as plain numbers: DuckDB sums integers into a 128-bit
    DECIMAL, which would print as `decimal[38,0]` and reach JSON as quoted strings. Whole numbers become
    Int64 (Float64 when too large), fractions Float64."""
    result = pl.from_arrow(relation.to_arrow_table())
    if not isinstance(result, pl.DataFrame):
        result = result.to_frame()
    casts = []
    for name, dtype in result.schema.items():
        if isinstance(dtype, pl.Decimal):
            as_int = result[name].cast(pl.Int64, strict=False)
            whole = (dtype.scale or 0) == 0 and as_int.null_count() == result[name].null_count()
            casts.append(as_int if whole else result[name].cast(pl.Float64))
    return result.with_columns(casts) if casts else result


def keys(con: duckdb.DuckDBPyConnection, table: Table, column: str | None = None) -> set:
    """The set of values of one key column already stored."""
    column = column or table.key[0]
    return {row[0] for row in con.execute(f'SELECT "{column}" FROM {table.name}').fetchall()}


def insert(con: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame) -> int:
    """Insert the frame's rows whose key is not stored yet (inside the caller's transaction); returns rows added."""
    frame = frame.select(table.columns).cast(table.schema)
    con.register("_incoming", frame.to_arrow())
    try:
        cols = ", ".join(f'"{c}"' for c in table.columns)
        on = " AND ".join(f't."{k}" = i."{k}"' for k in table.key)
        before = con.execute(f"SELECT count(*) FROM {table.name}").fetchall()[0][0]
        con.execute(
            f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _incoming i "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table.name} t WHERE {on})"
        )
        return con.execute(f"SELECT count(*) FROM {table.name}").fetchall()[0][0] - before
    finally:
        cleanup(con.unregister, "_incoming")


def cleanup(step, *args) -> None:
    """A temporary object undone after a statement. In a transaction that has already failed it cannot run and
    must not hide that failure under "transaction is aborted": the caller's rollback undoes the object and
    reports the real error."""
    try:
        step(*args)
    except duckdb.Error:
        pass


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, rolled back on any error: a batch is visible whole or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def append_new(con: duckdb.DuckDBPyConnection, loads: Sequence[tuple[Table, pl.DataFrame]]) -> dict[str, int]:
    """Insert rows whose key is not stored yet, for several tables in ONE transaction. Idempotent."""
    with transaction(con):
        return {table.name: insert(con, table, frame) for table, frame in loads}


def replace_all(con: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame) -> int:
    """Replace a derived table's contents in one transaction."""
    with transaction(con):
        con.execute(f"DELETE FROM {table.name}")
        return insert(con, table, frame)


def mart_sql() -> dict[str, str]:
    """Every mart: name -> SELECT statement, from warehouse/sql/*.sql."""
    return {p.stem: p.read_text() for p in sorted(SQL_DIR.glob("*.sql"))}


def mart_description(name: str) -> str:
    """A mart's description: the `--` comment lines its SQL file opens with."""
    lines = mart_sql()[name].splitlines()
    return " ".join(line.removeprefix("--").strip() for line in lines
                    if line.startswith("--") and not line.startswith("-- key:")) or name


def build_mart(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """Bring marts.<name> up to date with its SQL file in one transaction, rewriting only the rows that changed
    (`warehouse.incremental.refresh_mart`); returns its row count."""
    from warehouse.incremental import refresh_mart

    return refresh_mart(con, name, mart_sql()[name])[0]
