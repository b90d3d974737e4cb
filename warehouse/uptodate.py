"""`events run` with nothing new returns before Dagster starts: importing Dagster and building its instance
cost seconds that a run with nothing to do should not pay.

The first step of every run (`raw/receipts`) records a fingerprint of the inbox it received (names, sizes,
modification times, and the intake limits) in `meta.info`. A later `events run` reads the work file
read-only and skips when all of these hold: the same fingerprint, the same schema, coder and events-builder
versions, a last run that published its snapshot, nothing left to stage or code, no parallel partitions
waiting to be loaded, and core.events matching its mentions. Anything else, or any doubt (the file is busy,
unreadable, older), runs the pipeline as usual. Scheduled and sensor runs always go through Dagster.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FINGERPRINT = "inbox_fingerprint"  # meta.info key


def inbox_fingerprint(root: Path) -> str:
    """A hash of the inbox listing (names, sizes, mtimes): changes when a file arrives or changes. Links are
    listed, never followed; any file name works (bytes that are not UTF-8 included)."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:  # gone since the listing
                continue
            h.update(os.fsencode(os.path.relpath(path, root)) + f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def intake_fingerprint(root: Path, limits: object) -> str:
    """The inbox listing together with where it is and the limits it is received under."""
    return hashlib.sha256(f"{inbox_fingerprint(root)}|{Path(root).resolve()}|{limits!r}".encode()).hexdigest()[:16]


def nothing_new(inbox: Path, warehouse: Path, partitions: str, limits: object) -> bool:
    """True when a run of the pipeline would change nothing (see the module's docstring); False when in doubt."""
    import duckdb

    published = Path(warehouse)  # the work file beside it, as warehouse.snapshot.work_path names it (no Polars)
    work = published.with_name(f"{published.stem}.work{published.suffix or '.duckdb'}")
    if not work.exists() or not Path(warehouse).exists() or Path(f"{work}.wal").exists():
        return False
    try:
        con = duckdb.connect(str(work), read_only=True)
    except duckdb.Error:  # a writer holds it, or it is not what we expect: run as usual
        return False
    try:
        # The cheap test first: when the inbox changed (the usual reason to run), nothing else is loaded.
        if con.execute("SELECT value FROM meta.info WHERE key = ?", [FINGERPRINT]).fetchall() != [
                (intake_fingerprint(inbox, limits),)]:
            return False
        return _settled(con, warehouse, partitions)
    except duckdb.Error:
        return False
    finally:
        con.close()


def _settled(con, warehouse: Path, partitions: str) -> bool:
    """Same versions as the last published run, and nothing left to stage, code, load or merge."""
    from extraction.version import extractor_version
    from warehouse import coding, incremental
    from warehouse.migrations import SCHEMA_VERSION

    version = extractor_version()
    folder = (Path(partitions) if partitions else Path(warehouse).resolve().parent / "partitions") / version
    if any(folder.glob("bucket=*/log.parquet")):
        return False
    info = dict(con.execute("SELECT key, value FROM meta.info").fetchall())
    last = con.execute("SELECT published_at, extractor_version FROM meta.runs ORDER BY started_at DESC LIMIT 1"
                       ).fetchall()
    return (info.get("schema_version") == str(SCHEMA_VERSION)
            and info.get(incremental.BUILDER) == incremental.builder_version(version)
            and bool(last) and last[0][0] is not None and last[0][1] == version
            and coding.count_to_stage(con, version) == 0 and coding.count_pending(con, version) == 0
            and not incremental.stale_keys(con))
