"""The schema reference (docs/schema.md), generated from the Pydantic models so it never drifts.

Regenerate with `uv run python -m schemas.reference`; a test fails when the committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from schemas.tables import TABLES, Table, duckdb_type

OUT = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def table_section(table: Table) -> str:
    doc = " ".join((table.model.__doc__ or "").split())
    lines = [f"## `{table.name}`", "", doc, "", f"Key: {', '.join(f'`{k}`' for k in table.key)}", "",
             "| column | DuckDB type | description |", "|---|---|---|"]
    for name, dtype in table.schema.items():
        field = table.model.model_fields[name]
        lines.append(f"| `{name}` | `{_cell(duckdb_type(dtype))}` | {_cell(field.description)} |")
    return "\n".join(lines)


def reference() -> str:
    head = ("# Schema reference\n\nGenerated from the Pydantic models in `schemas/models.py` by "
            "`uv run python -m schemas.reference`; do not edit by hand. Marts (`marts.*`) are defined by the "
            "SQL files in `warehouse/sql/`; see the SQL cookbook in `docs/cookbook.md`.\n")
    return "\n\n".join([head, *(table_section(t) for t in TABLES)]) + "\n"


def main() -> int:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(reference(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
