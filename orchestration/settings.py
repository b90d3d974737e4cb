"""Where things are by default (overridable by environment): light to import, for the CLI and Dagster."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_INBOX = PROJECT_ROOT / "data" / "demo"
# EVENTS_REPORTS / EVENTS_PARTITIONS empty: reports/ and partitions/ beside the warehouse file.
DEFAULTS = {"EVENTS_INBOX": str(DEMO_INBOX), "EVENTS_WAREHOUSE": "warehouse.duckdb", "EVENTS_REPORTS": "",
            "EVENTS_PARTITIONS": "", "EVENTS_EXECUTOR": "multiprocess"}
