"""The warehouse's schema version and the ordered steps that bring an older file up to it.

Tables are created from their Pydantic models (`schemas.tables`), so a brand-new file needs no step. A file
written by an older version gets the steps from its version to `SCHEMA_VERSION`, then the tables it lacks, in
ONE transaction: it opens migrated or, if anything fails, exactly as it was. A file of a newer version, or a
DuckDB file that is not an events warehouse, is refused with one line saying what it is.

To change a table: add the field at the END of its model (an added column goes last), bump
`SCHEMA_VERSION`, and add the step from the previous version here; tests build a file of the previous schema.
"""

from __future__ import annotations

import duckdb

APP = "events-warehouse"
SCHEMA_VERSION = 4
# The tables every version of the warehouse had: a file that has them but no meta.info is schema 1.
LEGACY_TABLES = {("raw", "receipts"), ("raw", "documents"), ("staging", "documents"), ("core", "event_mentions")}

# version N -> N+1: (what changed, statements). meta.info and meta.runs are new tables: created from the models.
STEPS: dict[int, tuple[str, list[str]]] = {
    1: ("staging.documents records the coder version that staged each document (older rows: unknown, so they "
        "are staged and coded again); meta.info holds the schema version; meta.runs logs the runs",
        ["ALTER TABLE staging.documents ADD COLUMN extractor_version VARCHAR"]),
    2: ("raw.documents records the file's modification time, the date of last resort for a document that gives "
        "none (older rows: unknown, they keep the day they were received)",
        ["ALTER TABLE raw.documents ADD COLUMN modified TIMESTAMP"]),
    3: ("event mentions and events record where their date and place were found (older rows: unknown)",
        [f"ALTER TABLE {t} ADD COLUMN {c} VARCHAR" for t in ("core.event_mentions", "core.events")
         for c in ("date_from", "place_from")]),
}


class WarehouseIncompatible(RuntimeError):
    """The file is not a warehouse this code can open: newer, foreign, or not DuckDB at all."""


def _tables(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {(s, t) for s, t in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = current_database()"
    ).fetchall()}


def stored_version(con: duckdb.DuckDBPyConnection, path: str = "warehouse") -> int | None:
    """The file's schema version: None for an empty file, 1 for a warehouse from before versions were recorded.
    Raises WarehouseIncompatible for a DuckDB file that is not an events warehouse."""
    tables = _tables(con)
    if ("meta", "info") in tables:
        info = dict(con.execute("SELECT key, value FROM meta.info").fetchall())
        if info.get("app") != APP or not str(info.get("schema_version", "")).isdigit():
            raise WarehouseIncompatible(f"{path} is a DuckDB file but not an events warehouse "
                                        f"(meta.info says app={info.get('app')!r})")
        return int(info["schema_version"])
    if not tables:
        return None
    if LEGACY_TABLES <= tables:
        return 1
    names = ", ".join(sorted(f"{s}.{t}" for s, t in tables)[:5])
    raise WarehouseIncompatible(f"{path} is a DuckDB file but not an events warehouse (it holds {names})")


def check_openable(version: int | None, path: str = "warehouse") -> None:
    """Refuse a file written by a newer schema than this code knows."""
    if version is not None and version > SCHEMA_VERSION:
        raise WarehouseIncompatible(
            f"{path} has warehouse schema {version}, newer than this code's {SCHEMA_VERSION}: "
            "upgrade events to open it")


def pending_steps(version: int | None) -> list[tuple[int, str, list[str]]]:
    """The steps (from-version, description, statements) that bring `version` to SCHEMA_VERSION, in order."""
    if version is None:
        return []
    return [(v, *STEPS[v]) for v in range(version, SCHEMA_VERSION)]
