"""Dagster resources: where the inbox and the warehouse are, and the size limits for received items."""


from contextlib import AbstractContextManager, ExitStack, nullcontext
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

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
    volume on Celery or Kubernetes).

    Within a run, the steps that one process executes share one writer connection, opened by the first step
    that writes and closed when the run ends: opening, migrating and closing (a checkpoint) the file once per
    step cost a run with little to do more than its writes. Every write still commits in its own transaction."""

    path: str
    work: str = ""
    lock_wait_s: float = 120.0
    partitions: str = ""
    _run: ExitStack | None = PrivateAttr(default=None)
    _con: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._run, self._con = ExitStack(), None

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._run is not None:
            self._run.close()
        self._run, self._con = None, None

    @property
    def work_path(self) -> Path:
        return Path(self.work) if self.work else snapshot.work_path(self.path)

    @property
    def partitions_folder(self) -> Path:
        return Path(self.partitions) if self.partitions else Path(self.path).resolve().parent / "partitions"

    def writer(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """The one writer, on the work file (started from the snapshot when there is none yet): the run's shared
        connection inside a run, a connection of its own (closed on exit) outside one."""
        if self._run is None:
            snapshot.seed(self.work_path, Path(self.path))
            return db.writer(self.work_path, self.lock_wait_s)
        if self._con is None:
            snapshot.seed(self.work_path, Path(self.path))
            self._con = self._run.enter_context(db.writer(self.work_path, self.lock_wait_s))
        return nullcontext(self._con)

    def reader(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A read-only connection on the published snapshot (what every reader sees)."""
        return db.reader(self.path, self.lock_wait_s)

    def publish(self, con: duckdb.DuckDBPyConnection) -> int:
        """Publish the work file (`con` is its writer) as the readers' snapshot; returns its size in bytes."""
        return snapshot.publish(con, self.work_path, Path(self.path))


class Reports(dg.ConfigurableResource):
    """The folder the report asset writes its charts (SVG) and summary.md to; empty: `reports/` beside the
    warehouse file."""

    path: str = ""

    def folder(self, warehouse_path: str) -> Path:
        return Path(self.path) if self.path else Path(warehouse_path).resolve().parent / "reports"
