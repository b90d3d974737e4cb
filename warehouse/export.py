"""`events export`: the events table as an ACLED CSV, Parquet or JSON lines, optionally filtered.

The ACLED CSV is marts/acled_export's SELECT (ACLED's 31 columns in ACLED's order), so code written for
ACLED downloads reads it unchanged; Parquet and JSONL carry every column of core.events (counts, evidence,
doc_ids, n_sources). A filter is SQL over those columns with `?` placeholders; its values are always bound
as parameters. The file appears whole or not at all (written beside the target, then renamed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl

from extraction.files import write_atomic
from warehouse import db

FORMATS = ("acled-csv", "parquet", "jsonl")


def query(fmt: str, where: str | None) -> str:
    """The SELECT behind one export format, with the user's filter applied."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    source = db.mart_sql()["acled_export"] if fmt == "acled-csv" else (
        "SELECT * FROM core.events ORDER BY event_date, event_id_cnty")
    return (f"SELECT * FROM ({source}) AS export" + (f" WHERE ({where})" if where else "")
            + " ORDER BY event_date, event_id_cnty")


def _write(frame: pl.DataFrame, fmt: str, path: Path) -> None:
    if fmt == "acled-csv":
        frame.write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    else:
        frame.write_ndjson(path)


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: Path, where: str | None = None,
           params: Sequence[str] = ()) -> int:
    """Write the (filtered) events to `out` in `fmt`; returns the number of rows written."""
    frame = db.read(con, query(fmt, where), list(params))
    write_atomic(out, lambda tmp: _write(frame, fmt, Path(tmp)))
    return frame.height
