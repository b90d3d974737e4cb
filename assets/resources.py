"""Dagster resources: where the inbox and the warehouse are, and the size limits for received items."""


from pathlib import Path

import dagster as dg

from extraction.ingest import Limits


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
    """The DuckDB file. Writers take it one at a time (pool `duckdb_writer`); readers open it read-only.
    `partitions` is the shared folder where parallel coding partitions leave Parquet for the one writer to
    load (empty: `partitions/` beside the warehouse file; a mounted volume on Celery or Kubernetes)."""

    path: str
    lock_wait_s: float = 120.0
    partitions: str = ""

    @property
    def partitions_folder(self) -> Path:
        return Path(self.partitions) if self.partitions else Path(self.path).resolve().parent / "partitions"


class Reports(dg.ConfigurableResource):
    """The folder the report asset writes its charts (PNG) and summary.md to; empty: `reports/` beside the
    warehouse file."""

    path: str = ""

    def folder(self, warehouse_path: str) -> Path:
        return Path(self.path) if self.path else Path(warehouse_path).resolve().parent / "reports"
