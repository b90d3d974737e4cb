"""Shared fixtures: the project's demo inbox, fresh warehouses, a helper to materialize every asset."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import dagster as dg
import pytest

from assets.pipeline import ASSETS
from assets.report import REPORT_ASSETS
from assets.resources import Inbox, Reports, Warehouse
from schemas.models import StagedDocument

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
SHARED = ROOT.parent / "shared"


def staged_text(text: str) -> StagedDocument:
    """A staged English document published 6 May 2024 with no dateline: paragraphs split on blank lines."""
    paragraphs = text.split("\n\n")
    return StagedDocument(doc_id="d1", title=None, published=dt.date(2024, 5, 6), published_from="metadata",
                          dateline=None, language="en", paragraph_languages=["en"] * len(paragraphs), text=text,
                          n_paragraphs=len(paragraphs), removed_lines=0)


def materialize(inbox: Path, warehouse: Path, reports: Path | str = "", raise_on_error: bool = True,
                **inbox_options) -> dg.ExecuteInProcessResult:
    """Materialize every asset once, in-process, on a real DuckDB file (reports beside it unless given)."""
    return dg.materialize(
        [*ASSETS, *REPORT_ASSETS],
        resources={"inbox": Inbox(path=str(inbox), **inbox_options), "warehouse": Warehouse(path=str(warehouse)),
                   "reports": Reports(path=str(reports))},
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=raise_on_error,
    )


@pytest.fixture
def demo_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO, inbox)
    return inbox


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo corpus run once through every asset (shared by read-only tests)."""
    path = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    result = materialize(DEMO, path)
    assert result.success
    return path
