"""Which documents need (re)staging and (re)coding, and swapping a document's coded rows in one transaction.

A document is brought to a coder version as a unit: its staged row, its event mentions and its coding log
are all by one version. When the version changes (`extraction.version`), documents staged or coded by another
version are staged and coded again; their old rows are deleted and the new ones inserted in ONE transaction,
so the warehouse never holds both, or neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb
import polars as pl

from schemas.tables import CODING_RUNS, EVENT_MENTIONS, RAW_DOCUMENTS, STAGED_DOCUMENTS, Table
from warehouse import db

# A document's day: its publication date, else the day it was received. Partitions of the pipeline's
# document assets are these days: known when the document is staged, unchanged by a new coder.
DAY = "coalesce(s.published, CAST(r.received_at AS DATE))"
Days = tuple[dt.date, dt.date] | None  # [first, last] day of a partitioned run; None: every day


def _within(days: Days) -> tuple[str, list]:
    return ("", []) if days is None else (f" AND {DAY} BETWEEN ? AND ?", list(days))


def to_stage(con: duckdb.DuckDBPyConnection, version: str, after: str = "", limit: int | None = None
             ) -> pl.DataFrame:
    """raw.documents rows with no staged row by `version` (new, or staged by another version), by doc_id:
    those after doc_id `after`, at most `limit` (a page: see `pages`)."""
    page = (f"SELECT r.doc_id FROM {RAW_DOCUMENTS.name} r WHERE r.doc_id > ? AND NOT EXISTS (SELECT 1 FROM "
            f"{STAGED_DOCUMENTS.name} s WHERE s.doc_id = r.doc_id AND s.extractor_version = ?) "
            f"ORDER BY r.doc_id{_limit(limit)}")
    return _rows_of(con, RAW_DOCUMENTS, page, [after, version])


def _pending_sql(days: Days, columns: str) -> tuple[str, list]:
    where, params = _within(days)
    return (f"SELECT {columns} FROM {STAGED_DOCUMENTS.name} s JOIN {RAW_DOCUMENTS.name} r USING (doc_id) "
            f"WHERE s.extractor_version = ? AND NOT EXISTS (SELECT 1 FROM {CODING_RUNS.name} c WHERE "
            f"c.doc_id = s.doc_id AND c.extractor_version = ?) AND doc_id > ?{where}"), params


def pending(con: duckdb.DuckDBPyConnection, version: str, days: Days = None, after: str = "",
            limit: int | None = None) -> pl.DataFrame:
    """staging.documents rows staged by `version` that `version` has not coded yet (of these days), by doc_id:
    those after doc_id `after`, at most `limit` (a page: see `pages`)."""
    sql, params = _pending_sql(days, "doc_id")
    return _rows_of(con, STAGED_DOCUMENTS, f"{sql} ORDER BY doc_id{_limit(limit)}", [version, version, after, *params])


def _rows_of(con: duckdb.DuckDBPyConnection, table: Table, page: str, params: list) -> pl.DataFrame:
    """The rows of `table` whose doc_id the query `page` selects, by doc_id. The page is chosen on doc_ids alone
    and only its rows are read whole: choosing it on whole rows made DuckDB join and sort every pending
    document's text for each page, memory growing with the warehouse."""
    return db.read(con, f"SELECT * FROM {table.name} WHERE doc_id IN ({page}) ORDER BY doc_id", params)


def count_pending(con: duckdb.DuckDBPyConnection, version: str, days: Days = None) -> int:
    """How many documents `pending` would return, without reading them."""
    sql, params = _pending_sql(days, "count(*)")
    return con.execute(sql, [version, version, "", *params]).fetchall()[0][0]


def count_to_stage(con: duckdb.DuckDBPyConnection, version: str) -> int:
    return con.execute(f"SELECT count(*) FROM {RAW_DOCUMENTS.name} r WHERE NOT EXISTS (SELECT 1 FROM "
                       f"{STAGED_DOCUMENTS.name} s WHERE s.doc_id = r.doc_id AND s.extractor_version = ?)",
                       [version]).fetchall()[0][0]


def _limit(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"


def pages(read: Callable[[str], pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """Pages of documents in doc_id order, each read by `read(after)` (e.g. `pending(con, v, after=..., limit=500)`)
    from where the last one ended: memory stays flat in the number of pending documents, and rows written
    between pages (the pages coded so far) are never read twice. Ends at the first empty page."""
    after = ""
    while True:
        page = read(after)
        if page.is_empty():
            return
        yield page
        after = page["doc_id"][-1]


def invalidate(con: duckdb.DuckDBPyConnection, version: str, days: Days = None, restage: bool = True) -> list[str]:
    """Mark the documents (of these days, or all) as coded, and unless `restage` is False staged, by nobody, so
    the next steps redo them (`--recode`; a run of some days re-codes theirs). One transaction; the old mentions
    stay until each document's new ones replace them. Returns the documents marked."""
    where, params = _within(days)
    chosen = f"SELECT s.doc_id FROM {STAGED_DOCUMENTS.name} s JOIN {RAW_DOCUMENTS.name} r USING (doc_id) WHERE true"
    with db.transaction(con):
        ids = [d for (d,) in con.execute(chosen + where, params).fetchall()]
        if restage:
            con.execute(f"UPDATE {STAGED_DOCUMENTS.name} SET extractor_version = NULL WHERE doc_id IN "
                        "(SELECT unnest(?))", [ids])
        con.execute(f"DELETE FROM {CODING_RUNS.name} WHERE extractor_version = ? AND doc_id IN (SELECT unnest(?))",
                    [version, ids])
    return ids


def days_of(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> dict[dt.date, int]:
    """The documents' days with how many of them fall on each."""
    if not doc_ids:
        return {}
    return dict(con.execute(f"SELECT {DAY} AS day, count(*) FROM {STAGED_DOCUMENTS.name} s JOIN "
                            f"{RAW_DOCUMENTS.name} r USING (doc_id) WHERE doc_id IN (SELECT unnest(?)) GROUP BY ALL "
                            "ORDER BY day", [list(doc_ids)]).fetchall())


def swap(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str], loads: Sequence[tuple[Table, pl.DataFrame]]
         ) -> dict[str, int]:
    """Replace the rows of these documents in each table by the given ones, in ONE transaction."""
    with db.transaction(con):
        con.register("_swapped", pl.DataFrame({"doc_id": list(doc_ids)}, schema={"doc_id": pl.String}).to_arrow())
        try:
            for table, _ in loads:
                con.execute(f"DELETE FROM {table.name} WHERE doc_id IN (SELECT doc_id FROM _swapped)")
        finally:
            con.unregister("_swapped")
        return {table.name: db.insert(con, table, frame) for table, frame in loads}


def swap_coded(con: duckdb.DuckDBPyConnection, mentions: pl.DataFrame, log: pl.DataFrame) -> int:
    """A batch's new mentions and coding log in place of whatever older versions left; returns mentions added."""
    added = swap(con, log["doc_id"].to_list(), [(EVENT_MENTIONS, mentions), (CODING_RUNS, log)])
    return added[EVENT_MENTIONS.name]


def partition_files(folder: Path) -> list[tuple[Path, Path]]:
    """(mentions, log) Parquet pairs that complete partitions left in `folder` (the log is written last)."""
    return [(log.with_name("mentions.parquet"), log) for log in sorted(folder.glob("bucket=*/log.parquet"))]


def load_partitions(con: duckdb.DuckDBPyConnection, folder: Path, version: str) -> set[str]:
    """Load what the partitions coded for documents still pending here, in ONE transaction, then remove the
    files; returns the documents loaded. Killed before the commit: nothing loaded, files still there; after
    it: loading again adds nothing."""
    files = partition_files(folder)
    if not files:
        return set()
    sql, params = _pending_sql(None, "doc_id")
    wanted = {d for (d,) in con.execute(sql, [version, version, "", *params]).fetchall()}
    log = pl.concat([pl.read_parquet(lg) for _, lg in files]).filter(pl.col("doc_id").is_in(wanted))
    mentions = (pl.concat([pl.read_parquet(m) for m, _ in files])
                .filter(pl.col("doc_id").is_in(log["doc_id"].to_list())))
    if log.height:
        swap_coded(con, mentions, log)
    for pair in files:
        for path in pair:
            path.unlink(missing_ok=True)
    return set(log["doc_id"])
