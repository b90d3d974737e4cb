"""A run costs what is new: `core.events` and the marts are brought up to date by replacing only the rows that
changed, in one transaction, instead of being rebuilt whole.

* `core.events`: a canonical event depends only on the mentions that share its key (day, country, place,
  sub-event type, actor1: `extraction.coder.canonical_events` merges by it) and on their documents. So the keys
  to redo are found by comparing, per key, what the mentions hold (their documents and coder versions) with
  what the event row records (`doc_ids`, `extractor_version`): a key whose documents or version differ, a key
  with mentions but no event, an event whose mentions are gone. Those keys' events are deleted and merged
  again from their mentions alone. Nothing is tracked between runs, so a run that failed half-way, partitions
  loaded from Parquet or a re-coded day need no bookkeeping: the comparison finds them. When the code that
  builds events changes (the coder version, `warehouse/enrich.py` or its data), `meta.info` says so and the
  table is rebuilt whole once.
* marts: each mart's SELECT is evaluated (DuckDB, vectorised) and compared with the stored table by the key
  its SQL file declares (`-- key: col, col`); only the rows of keys that differ are deleted and inserted.
  A mart whose columns changed, or that has no table yet, is created whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from schemas.tables import EVENT_MENTIONS, EVENTS, INFO, RAW_DOCUMENTS
from warehouse import db

EVENT_KEY = ("event_date", "country", "location", "sub_event_type", "actor1")
CHUNK = 5_000  # event keys merged at a time: memory bounded when every key is redone (20,000: +120 MB at 99k docs)
BUILDER = "events_builder"  # meta.info key: the version of the code that built core.events
_HERE = Path(__file__).resolve().parent
_BUILDER_FILES = (Path(__file__), _HERE / "enrich.py", _HERE / "data" / "acled_fields.json")


def key_sql(columns: tuple[str, ...] | list[str], alias: str = "") -> str:
    """One string per key, NULL and '' alike (as the coder's merge treats them): usable with IN and EXCEPT."""
    prefix = f"{alias}." if alias else ""
    parts = ", ".join(f"coalesce(CAST({prefix}\"{c}\" AS VARCHAR), '')" for c in columns)
    return f"concat_ws(chr(31), {parts})"


def builder_version(extractor_version: str) -> str:
    """What decides core.events beyond the mentions: the coder version and the enrichment code and data."""
    digest = hashlib.sha256(extractor_version.encode())
    for path in _BUILDER_FILES:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


@dataclass
class Update:
    keys: int  # event keys redone
    deleted: int
    inserted: int
    full: bool  # rebuilt whole (new builder version)


def stale_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Keys whose event row does not match its mentions (documents, coder versions), or has none, or no
    longer has mentions."""
    k = key_sql(EVENT_KEY)
    # a full join (which DuckDB spills under the writer's memory_limit), not EXCEPT: events have one row per key
    sql = f"""
        WITH m AS (SELECT {k} AS k, list_sort(list_distinct(list(doc_id))) AS docs,
                          min(extractor_version) AS lo, max(extractor_version) AS hi
                   FROM {EVENT_MENTIONS.name} GROUP BY 1),
             e AS (SELECT {k} AS k, list_sort(list_distinct(doc_ids)) AS docs, extractor_version AS lo,
                          extractor_version AS hi FROM {EVENTS.name})
        SELECT DISTINCT coalesce(m.k, e.k) AS k FROM m FULL JOIN e ON m.k = e.k
        WHERE (m.docs, m.lo, m.hi) IS DISTINCT FROM (e.docs, e.lo, e.hi) ORDER BY k"""
    return [row[0] for row in con.execute(sql).fetchall()]


def _stored_builder(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(f"SELECT value FROM {INFO.name} WHERE key = ?", [BUILDER]).fetchall()
    return row[0][0] if row else None


def update_events(con: duckdb.DuckDBPyConnection, extractor_version: str,
                  merge: Callable[[pl.DataFrame], pl.DataFrame]) -> Update:
    """Bring core.events up to date with core.event_mentions, replacing only the stale keys' events (merged from
    their mentions by `merge`, the coder's `canonical_events`), in ONE transaction: readers of the snapshot
    never see a half-updated table."""
    from warehouse.enrich import fill_acled_fields  # its tables load only when there is work

    builder = builder_version(extractor_version)
    full = _stored_builder(con) != builder
    k = key_sql(EVENT_KEY)
    deleted = inserted = 0
    with db.transaction(con):
        if full:  # every key is then stale: the same path below redoes them all, chunk by chunk
            deleted = con.execute(f"DELETE FROM {EVENTS.name}").fetchall()[0][0]
        keys = stale_keys(con)
        for start in range(0, len(keys), CHUNK):
            con.register("_stale", pl.DataFrame({"k": keys[start : start + CHUNK]}, schema={"k": pl.String})
                         .to_arrow())
            try:
                mentions = db.read(con, f"SELECT * FROM {EVENT_MENTIONS.name} WHERE {k} IN (SELECT k FROM _stale)")
                deleted += con.execute(f"DELETE FROM {EVENTS.name} WHERE {k} IN (SELECT k FROM _stale)"
                                       ).fetchall()[0][0]
            finally:
                db.cleanup(con.unregister, "_stale")
            merged = _mark_mixed(merge(mentions), mentions, extractor_version)
            if not merged.is_empty():
                docs = db.read(con, f"SELECT doc_id, source FROM {RAW_DOCUMENTS.name} WHERE doc_id IN "
                                    "(SELECT unnest(?))", [merged["doc_ids"].explode().unique().to_list()])
                merged = fill_acled_fields(merged, docs)
            inserted += db.insert(con, EVENTS, merged)
        if full or keys:
            con.execute(f"DELETE FROM {INFO.name} WHERE key = ?", [BUILDER])
            con.execute(f"INSERT INTO {INFO.name} VALUES (?, ?)", [BUILDER, builder])
    return Update(len(keys), deleted, inserted, full)


def _polars_key() -> pl.Expr:
    """key_sql's key as a Polars expression."""
    return pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in EVENT_KEY], separator="\x1f")


def _mark_mixed(events: pl.DataFrame, mentions: pl.DataFrame, current: str) -> pl.DataFrame:
    """An event merged from mentions of several coder versions (a re-code under way) records one of the older
    versions, never the current one: once all its documents carry the current version it no longer matches
    them, so it is merged again then."""
    if events.is_empty():
        return events
    older = (mentions.group_by(_k=_polars_key())
             .agg(_n=pl.col("extractor_version").n_unique(),
                  _older=pl.col("extractor_version").filter(pl.col("extractor_version") != current).min())
             .filter(pl.col("_n") > 1))
    if older.is_empty():
        return events
    return (events.with_columns(_k=_polars_key()).join(older, on="_k", how="left", maintain_order="left")
            .with_columns(extractor_version=pl.coalesce("_older", "extractor_version")).select(events.columns))


def mart_key(select: str) -> list[str] | None:
    """The key a mart's SQL file declares on a `-- key: a, b` line (None: none declared)."""
    for line in select.splitlines():
        if line.startswith("-- key:"):
            return [c.strip() for c in line.removeprefix("-- key:").split(",") if c.strip()]
    return None


def _columns(con: duckdb.DuckDBPyConnection, database: str | None, schema: str, table: str) -> list[tuple]:
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = "
                       "coalesce(?, current_database()) AND schema_name = ? AND table_name = ? ORDER BY column_index",
                       [database, schema, table]).fetchall()


def refresh_mart(con: duckdb.DuckDBPyConnection, name: str, select: str) -> tuple[int, int]:
    """marts.<name> made equal to its SELECT, in one transaction, writing only the rows of keys that differ.
    Returns (rows, keys rewritten)."""
    table, key = f"marts.{name}", mart_key(select)
    with db.transaction(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE _mart_new AS {select}")
        try:
            if key is None or _columns(con, None, "marts", name) != _columns(con, "temp", "main", "_mart_new"):
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _mart_new")
                changed = -1
            else:
                k = key_sql(key)
                # a key differs when the multiset of its rows does: compared as each key's sorted row digests
                # (a grouping and a join, which DuckDB spills under the writer's memory_limit; EXCEPT ALL does not)
                rows = "SELECT {k} AS k, list_sort(list(md5(CAST(t AS VARCHAR)))) AS h FROM {src} t GROUP BY 1"
                con.execute(f"""CREATE OR REPLACE TEMP TABLE _mart_keys AS SELECT coalesce(n.k, o.k) AS k
                                FROM ({rows.format(k=key_sql(key, "t"), src="_mart_new")}) n
                                FULL JOIN ({rows.format(k=key_sql(key, "t"), src=table)}) o ON n.k = o.k
                                WHERE n.h IS DISTINCT FROM o.h""")
                changed = con.execute("SELECT count(*) FROM _mart_keys").fetchall()[0][0]
                if changed:
                    con.execute(f"DELETE FROM {table} WHERE {k} IN (SELECT k FROM _mart_keys)")
                    con.execute(f"INSERT INTO {table} SELECT * FROM _mart_new WHERE {k} IN "
                                "(SELECT k FROM _mart_keys)")
                con.execute("DROP TABLE _mart_keys")
        finally:
            db.cleanup(con.execute, "DROP TABLE IF EXISTS _mart_new")
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return rows, changed
