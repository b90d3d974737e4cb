"""Dagster resources: where the inbox and the warehouse are, and the size limits for received items."""


from contextlib import AbstractContextManager
from pathlib import Path

import dagster as dg
import duckdb

from extraction.ingest import Limits
from warehouse import db, snapshot


class Inbox(dg.ConfigurableResource):
    """The folder news files are delivered to (.txt, .md, .html, .jsonl)."""

    path: str
    max_file_bytes: int = Limits.max_file_bytes
    max_doc_chars: int = Limits.max_doc_chars

    @property
    def root(self) -> Path:
        return Path(self.path)

    @property
    def limits(self) -> Limits:
        return Limits(max_file_bytes=self.max_file_bytes, max_doc_chars=self.max_doc_chars)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse. `path` is the published snapshot that readers open (`events sql`, notebooks);
    the pipeline writes its own file (`work`; empty: `<name>.work.duckdb` beside the snapshot), one writer at a
    time (pool `duckdb_writer`), and publishes it over the snapshot at the end of each run, so readers never
    block a run nor a run its readers. `partitions` is the shared folder where parallel coding partitions
    leave Parquet for the one writer to load (empty: `partitions/` beside the warehouse file; a mounted
    volume on Celery or Kubernetes)."""

    path: str
    work: str = ""
    lock_wait_s: float = 120.0
    partitions: str = ""

    @property
    def work_path(self) -> Path:
        return Path(self.work) if self.work else snapshot.work_path(self.path)

    @property
    def partitions_folder(self) -> Path:
        return Path(self.partitions) if self.partitions else Path(self.path).resolve().parent / "partitions"

    def writer(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """The one writer, on the work file (started from the snapshot when there is none yet)."""
        snapshot.seed(self.work_path, Path(self.path))
        return db.writer(self.work_path, self.lock_wait_s)

    def reader(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A read-only connection on the published snapshot (what every reader sees)."""
        return db.reader(self.path, self.lock_wait_s)

    def publish(self, con: duckdb.DuckDBPyConnection) -> int:
        """Publish the work file (`con` is its writer) as the readers' snapshot; returns its size in bytes."""
        return snapshot.publish(con, self.work_path, Path(self.path))


class Reports(dg.ConfigurableResource):
    """The folder the report asset writes its charts (PNG) and summary.md to; empty: `reports/` beside the
    warehouse file."""

    path: str = ""

    def folder(self, warehouse_path: str) -> Path:
        return Path(self.path) if self.path else Path(warehouse_path).resolve().parent / "reports"
