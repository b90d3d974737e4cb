"""Every query in docs/cookbook.md runs on the demo warehouse and, unless marked "may be empty", returns rows;
docs/schema.md is what the models generate today."""

from __future__ import annotations

import re

import pytest

from schemas.reference import OUT, reference
from tests.conftest import ROOT
from warehouse import db

COOKBOOK = ROOT / "docs" / "cookbook.md"
QUERIES = re.findall(r"^## (.+?)\n.*?```sql\n(.*?)```", COOKBOOK.read_text(), re.S | re.M)


def test_the_cookbook_has_at_least_ten_queries():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("title, sql", QUERIES, ids=[t for t, _ in QUERIES])
def test_cookbook_query_runs(demo_warehouse, title, sql):
    with db.reader(demo_warehouse) as con:
        frame = db.read(con, sql.strip().rstrip(";").split(";\n")[0])
    assert frame.width > 0
    if "may be empty" not in sql:
        assert frame.height > 0, title


def test_schema_reference_is_current():
    assert OUT.read_text(encoding="utf-8") == reference(), "run: uv run python -m schemas.reference"
