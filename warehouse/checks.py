"""Data-quality checks on warehouse tables, as plain functions returning (passed, description, details).

Dagster asset checks wrap these; a notebook can call them directly.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from schemas.acled import ACLED_COLUMNS, EVENT_TYPE_OF, GeoPrecision, Inter, TimePrecision
from schemas.tables import Table, duckdb_type

Result = tuple[bool, str, dict]


def schema_valid(con: duckdb.DuckDBPyConnection, table: Table) -> Result:
    """The stored columns and types are exactly those derived from the table's Pydantic model."""
    schema_name, name = table.name.split(".")
    stored = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", [schema_name, name]).fetchall()
    expected = [(c, duckdb_type(t)) for c, t in table.schema.items()]
    got = [(c, t.replace('"', "")) for c, t in stored]
    want = [(c, t.replace('"', "")) for c, t in expected]
    bad = [f"{w} != {g}" for w, g in zip(want, got, strict=False) if w != g]
    if len(got) != len(want):
        bad.append("column count differs")
    return not bad, f"{table.name} matches {table.model.__name__}", {"mismatches": bad[:10]}


def ids_unique(con: duckdb.DuckDBPyConnection, table: Table) -> Result:
    key = ", ".join(f'"{k}"' for k in table.key)
    dupes = con.execute(
        f"SELECT count(*) FROM (SELECT {key} FROM {table.name} GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
    nulls = con.execute(f"SELECT count(*) FROM {table.name} WHERE {' OR '.join(f'{k} IS NULL' for k in table.key)}"
                        ).fetchall()[0][0]
    return dupes == 0 and nulls == 0, f"{table.name} keys unique and not null", {"duplicates": dupes,
                                                                                 "nulls": nulls}


def vocabularies_valid(con: duckdb.DuckDBPyConnection, table: Table) -> Result:
    """Event and sub-event types agree with ACLED's hierarchy; inter codes and precisions in range."""
    pairs = [(str(s.value), str(e.value)) for s, e in EVENT_TYPE_OF.items()]
    con.execute("CREATE OR REPLACE TEMP TABLE _acled_types (sub VARCHAR, typ VARCHAR)")
    con.executemany("INSERT INTO _acled_types VALUES (?, ?)", pairs)
    bad = con.execute(
        f"""SELECT count(*) FROM {table.name} e
            WHERE NOT EXISTS (SELECT 1 FROM _acled_types a WHERE a.sub = e.sub_event_type AND a.typ = e.event_type)
               OR inter1 NOT IN (SELECT unnest(?)) OR inter2 NOT IN (SELECT unnest(?))
               OR time_precision NOT IN (SELECT unnest(?))
               OR (geo_precision IS NOT NULL AND geo_precision NOT IN (SELECT unnest(?)))""",
        [[int(i) for i in Inter if i], [int(i) for i in Inter], [int(p) for p in TimePrecision],
         [int(p) for p in GeoPrecision]],
    ).fetchall()[0][0]
    return bad == 0, f"{table.name}: ACLED types, inter codes and precisions valid", {"invalid_rows": bad}


def dates_plausible(con: duckdb.DuckDBPyConnection, table: Table) -> Result:
    latest = dt.date.today() + dt.timedelta(days=2)
    bad = con.execute(f"SELECT count(*) FROM {table.name} WHERE event_date < DATE '1900-01-01' OR event_date > ?"
                      " OR year <> year(event_date)", [latest]).fetchall()[0][0]
    return bad == 0, f"{table.name}: event dates between 1900 and today", {"implausible": bad}


def receipts_explained(con: duckdb.DuckDBPyConnection) -> Result:
    """Every receipt is loaded (its document stored), a duplicate of a stored document, or rejected with a reason."""
    bad = con.execute(
        """SELECT count(*) FROM raw.receipts r
           WHERE NOT (
             (r.status IN ('loaded', 'duplicate') AND EXISTS (SELECT 1 FROM raw.documents d WHERE d.doc_id = r.doc_id))
             OR (r.status = 'rejected' AND coalesce(trim(r.reason), '') <> ''))""").fetchall()[0][0]
    by_status = dict(con.execute("SELECT status, count(*) FROM raw.receipts GROUP BY ALL").fetchall())
    return bad == 0, "every receipt is loaded, duplicate or rejected with a reason", {"unexplained": bad,
                                                                                      **by_status}


def acled_columns(con: duckdb.DuckDBPyConnection) -> Result:
    cols = [r[0] for r in con.execute("SELECT * FROM marts.acled_export LIMIT 0").description]
    return cols == list(ACLED_COLUMNS), "marts.acled_export has ACLED's 31 columns in order", {"columns": len(cols)}
