"""Readers never block a run, and a run never blocks readers: the pipeline writes its own file and publishes
a read-only snapshot.

DuckDB lets one process write a file or several read it, never both. So the warehouse is two files:
`warehouse.duckdb`, the published snapshot that `events sql`, `events shell`, exports and notebooks open, and
`warehouse.work.duckdb` beside it, which only the pipeline opens (one writer at a time). At the end of a run
the work file is checkpointed and copied beside the snapshot, and the copy is renamed over it: a reader that
holds the old snapshot open keeps reading it (the old file lives on until it is closed), and the next
connection opens the new one. A run that fails or is killed never publishes, so readers keep the last
complete state; the work file completes on the next run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from extraction.files import write_atomic
from warehouse import db
from warehouse.migrations import check_openable, stored_version


def work_path(published: str | Path) -> Path:
    """The pipeline's own file beside the snapshot: warehouse.duckdb -> warehouse.work.duckdb."""
    published = Path(published)
    return published.with_name(f"{published.stem}.work{published.suffix or '.duckdb'}")


def _copy(src: Path, dst: str) -> None:
    shutil.copyfile(src, dst)
    with open(dst, "rb+") as fh:
        os.fsync(fh.fileno())  # the bytes are on disk before the rename makes them the snapshot


def seed(work: Path, published: Path) -> bool:
    """A warehouse from before the split (or a work file lost) starts from the published file, once this code
    knows it can open it (WarehouseIncompatible names the file otherwise). True if seeded."""
    if work.exists() or not published.exists():
        return False
    with db.reader(published, wait_s=0) as con:
        check_openable(stored_version(con, str(published)), str(published))
    for suffix in ("", ".wal"):  # a file its writer did not close cleanly still has its log beside it
        if Path(f"{published}{suffix}").exists():
            write_atomic(Path(f"{work}{suffix}"), lambda tmp, s=suffix: _copy(Path(f"{published}{s}"), tmp))
    return True


def publish(con: duckdb.DuckDBPyConnection, work: Path, published: Path) -> int:
    """Checkpoint the work file (`con` is its writer: nobody else can change it meanwhile) and put a copy in
    place of the snapshot atomically. Returns the snapshot's size in bytes."""
    con.execute("CHECKPOINT")  # everything in the file itself, nothing left in its .wal
    Path(f"{published}.wal").unlink(missing_ok=True)  # a log left by someone who opened the snapshot to write
    write_atomic(published, lambda tmp: _copy(work, tmp))
    return published.stat().st_size
