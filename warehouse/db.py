"""DuckDB access: one writer at a time, read-only readers, idempotent loads inside one transaction each.

DuckDB lets one process hold a file for writing; a second process (writer or reader) gets a lock error.
Both sides retry for a bounded time and then fail with `WarehouseBusy`, a clear one-line message.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from schemas.tables import TABLES, Table

SQL_DIR = Path(__file__).parent / "sql"


class WarehouseBusy(RuntimeError):
    """The warehouse file stayed locked by another process for longer than the wait allowed."""


class WarehouseMissing(FileNotFoundError):
    """A reader asked for a warehouse file that does not exist."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


# Readers run arbitrary SQL (`events sql`): they may read the warehouse and nothing else. No other files,
# URLs or databases (COPY TO, read_text, ATTACH, INSTALL are refused), and the setting cannot be undone.
SANDBOX = {"enable_external_access": False, "autoinstall_known_extensions": False,
           "autoload_known_extensions": False, "lock_configuration": True}


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=SANDBOX if read_only else {})
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                who = "reading" if read_only else "writing"
                raise WarehouseBusy(
                    f"warehouse {path} is locked by another process (a run is writing); "
                    f"gave up {who} after {wait_s:g}s, try again when it finishes"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def writer(path: str | Path, wait_s: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection with every schema and table created; closed on exit."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False, wait_s=wait_s)
    try:
        ensure_tables(con)
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


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw/staging/core/marts schemas and every contract table (no-op when present)."""
    for schema in ("raw", "staging", "core", "marts"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in TABLES:
        con.execute(table.ddl())


def read(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence | None = None) -> pl.DataFrame:
    """A query's result as a Polars frame (through Arrow, no row-by-row conversion)."""
    return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())


def keys(con: duckdb.DuckDBPyConnection, table: Table, column: str | None = None) -> set:
    """The set of values of one key column already stored."""
    column = column or table.key[0]
    return {row[0] for row in con.execute(f'SELECT "{column}" FROM {table.name}').fetchall()}


def _insert(con: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame) -> int:
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
        try:
            con.unregister("_incoming")
        except duckdb.Error:
            pass  # the transaction already failed; the caller's rollback reports the real error


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
        return {table.name: _insert(con, table, frame) for table, frame in loads}


def replace_all(con: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame) -> int:
    """Replace a derived table's contents in one transaction."""
    with transaction(con):
        con.execute(f"DELETE FROM {table.name}")
        return _insert(con, table, frame)


def mart_sql() -> dict[str, str]:
    """Every mart: name -> SELECT statement, from warehouse/sql/*.sql."""
    return {p.stem: p.read_text() for p in sorted(SQL_DIR.glob("*.sql"))}


def mart_description(name: str) -> str:
    """A mart's description: the `--` comment lines its SQL file opens with."""
    lines = mart_sql()[name].splitlines()
    return " ".join(line.removeprefix("--").strip() for line in lines if line.startswith("--")) or name


def build_mart(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """(Re)build marts.<name> from its SQL file in one transaction; returns its row count."""
    select = mart_sql()[name]
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {select}")
    return con.execute(f"SELECT count(*) FROM marts.{name}").fetchall()[0][0]
