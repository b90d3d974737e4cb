"""`events status`: what a warehouse holds, which code wrote it, what is pending, how fresh the snapshot is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse import db
from warehouse.migrations import SCHEMA_VERSION, check_openable, stored_version


@dataclass
class Status:
    path: str
    bytes: int
    modified: dt.datetime
    schema_version: int | None
    documents: int = 0
    by_version: dict[str, int] = field(default_factory=dict)  # coder version -> documents it coded
    pending: int = 0  # documents not coded by this code's version
    last_run: dict | None = None
    work: str = ""  # the pipeline's own file, and who holds it


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchall()[0][0]


def read_status(con: duckdb.DuckDBPyConnection, path: Path, version: str) -> Status:
    """The snapshot's state, as this code (coder `version`) sees it."""
    info = path.stat()
    out = Status(str(path.resolve()), info.st_size, dt.datetime.fromtimestamp(info.st_mtime, dt.UTC),
                 stored_version(con, str(path)))
    check_openable(out.schema_version, str(path))
    if out.schema_version is None:
        return out
    out.documents = _one(con, "SELECT count(*) FROM raw.documents")
    out.by_version = dict(con.execute("SELECT extractor_version, count(DISTINCT doc_id) FROM core.coding_runs "
                                      "GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
    out.pending = _one(con, "SELECT count(*) FROM raw.documents r WHERE NOT EXISTS (SELECT 1 FROM core.coding_runs c "
                            "WHERE c.doc_id = r.doc_id AND c.extractor_version = ?)", [version])
    if out.schema_version >= 2:
        rows = db.read(con, "SELECT * FROM meta.runs ORDER BY started_at DESC LIMIT 1").to_dicts()
        out.last_run = rows[0] if rows else None
    return out


def work_state(work: Path, published: Path) -> str:
    """The work file and who holds it: idle, ahead of the snapshot (a run failed or was stopped), or in use."""
    if not work.exists():
        return f"{work} (none yet: the next run starts it from the snapshot)"
    try:
        with db.reader(work, wait_s=0):
            pass
    except db.WarehouseBusy as exc:
        return f"{work} (in use by {exc.holder})"
    if work.stat().st_mtime > published.stat().st_mtime + 1:
        return f"{work} (holds changes not yet published: the last run stopped early; the next run completes it)"
    return f"{work} (idle)"


def render(s: Status, version: str) -> str:
    mine = lambda v: "  (this code's)" if v == version else ""  # noqa: E731
    lines = [f"warehouse: {s.path} ({s.bytes / 1e6:.1f} MB, published {s.modified:%Y-%m-%d %H:%M:%S} UTC)",
             f"work file: {s.work}",
             f"schema version: {s.schema_version if s.schema_version is not None else 'none (empty file)'} "
             f"(this code: {SCHEMA_VERSION})",
             f"extractor version of this code: {version}",
             f"documents: {s.documents}"]
    lines += ["coded by version:"] + [f"  {v}: {n}{mine(v)}" for v, n in s.by_version.items()] if s.by_version \
        else ["coded by version: none"]
    lines.append(f"pending (not coded by this code's version): {s.pending}")
    if s.last_run:
        r = s.last_run
        published = f", published {r['published_at']:%Y-%m-%d %H:%M:%S} UTC" if r["published_at"] is not None \
            else ", not published (failed or in progress)"
        lines.append(f"last run: {r['started_at']:%Y-%m-%d %H:%M:%S} UTC, received {r['received']} (loaded "
                     f"{r['loaded']}, duplicate {r['duplicate']}, rejected {r['rejected']}){published}")
    else:
        lines.append("last run: not recorded")
    return "\n".join(lines)
