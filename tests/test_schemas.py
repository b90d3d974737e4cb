"""Warehouse tables derived from the Pydantic models: Polars schemas, DuckDB types and DDL."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from schemas.models import CodingRun, Count, Event, EventMention, RawDocument, Receipt, StagedDocument
from schemas.tables import (
    EVENT_MENTIONS,
    EVENTS,
    RECEIPTS,
    STAGED_DOCUMENTS,
    TABLES,
    Table,
    duckdb_type,
    polars_schema,
)

COUNT_STRUCT = pl.Struct({"kind": pl.String(), "value": pl.Int64(), "qualifier": pl.String()})


def event_fields(**extra) -> dict:
    """An Agreement event in Maracaibo as the coder would produce it."""
    return dict(
        event_date=dt.date(2024, 11, 15), year=2024, time_precision=1, disorder_type="Strategic developments",
        event_type="Strategic developments", sub_event_type="Agreement", actor1="Government of Venezuela",
        inter1=1, inter2=0, interaction=10, iso=862, region="South America", country="Venezuela",
        admin1="Zulia", location="Maracaibo", latitude=10.6317, longitude=-71.6406, geo_precision=1,
        source="Regional wire", notes="On 15 November 2024, the government released 70 detainees.",
        fatalities=0, timestamp=1_732_000_000, doc_id="d3f2a9c1b0e4d5f6a", evidence_start=0, evidence_end=48,
        evidence="The government released 70 detainees on Friday.", confidence=0.8,
        extractor_version="test-1",
        counts=[Count(kind="released", value=70, qualifier="at_least")], **extra,
    )


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "schemas.duckdb"))
    for schema in ("raw", "staging", "core", "meta"):
        connection.execute(f"CREATE SCHEMA {schema}")
    yield connection
    connection.close()


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_polars_schema_is_the_model_fields_in_order(table: Table):
    assert list(table.schema.names()) == list(table.model.model_fields)
    assert table.columns == list(table.model.model_fields)
    assert set(table.key) <= set(table.columns)


@pytest.mark.parametrize(
    "model, field, dtype",
    [
        (Receipt, "line", pl.Int64()),  # Optional[int]
        (Receipt, "status", pl.String()),  # Literal
        (Receipt, "received_at", pl.Datetime("us")),
        (RawDocument, "published", pl.Date()),
        (StagedDocument, "paragraph_languages", pl.List(pl.String())),
        (EventMention, "inter1", pl.Int64()),  # IntEnum
        (EventMention, "time_precision", pl.Int64()),
        (EventMention, "geo_precision", pl.Int64()),  # Optional IntEnum
        (EventMention, "sub_event_type", pl.String()),  # StrEnum
        (EventMention, "latitude", pl.Float64()),
        (EventMention, "counts", pl.List(COUNT_STRUCT)),  # list of nested models
        (Event, "doc_ids", pl.List(pl.String())),
        (Event, "n_sources", pl.Int64()),
        (CodingRun, "coded_at", pl.Datetime("us")),
    ],
)
def test_field_dtypes(model, field, dtype):
    assert polars_schema(model)[field] == dtype


@pytest.mark.parametrize(
    "dtype, sql",
    [
        (pl.String(), "VARCHAR"),
        (pl.Int64(), "BIGINT"),
        (pl.Float64(), "DOUBLE"),
        (pl.Boolean(), "BOOLEAN"),
        (pl.Date(), "DATE"),
        (pl.Datetime("us"), "TIMESTAMP"),
        (pl.List(pl.String()), "VARCHAR[]"),
        (pl.Struct({"kind": pl.String(), "value": pl.Int64()}), 'STRUCT("kind" VARCHAR, "value" BIGINT)'),
        (pl.List(COUNT_STRUCT), 'STRUCT("kind" VARCHAR, "value" BIGINT, "qualifier" VARCHAR)[]'),
    ],
)
def test_duckdb_type(dtype, sql):
    assert duckdb_type(dtype) == sql


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_ddl_creates_the_table_in_duckdb(con, table: Table):
    con.execute(table.ddl())
    con.execute(table.ddl())  # IF NOT EXISTS: a second run is a no-op
    schema_name, name = table.name.split(".")
    stored = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", [schema_name, name]).fetchall()
    expected = [(column, duckdb_type(dtype)) for column, dtype in table.schema.items()]
    assert [(c, t.replace('"', "")) for c, t in stored] == [(c, t.replace('"', "")) for c, t in expected]
    (key,) = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE schema_name = ? AND table_name = ? AND constraint_type = 'PRIMARY KEY'", [schema_name, name]
    ).fetchone()
    assert tuple(key) == table.key


def test_primary_key_is_enforced(con):
    con.execute(RECEIPTS.ddl())
    row = ("r1", "a.txt", None, "0" * 64, 10, dt.datetime(2024, 11, 20), "rejected", "empty file", None)
    con.execute("INSERT INTO raw.receipts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO raw.receipts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)


def test_frame_of_models_and_of_dicts_has_the_table_schema():
    receipt = Receipt(receipt_id="r1", path="feed.jsonl", line=3, sha256="ab" * 32, bytes=120,
                      received_at=dt.datetime(2024, 11, 20, 9, 30), status="loaded", doc_id="d1")
    from_models = RECEIPTS.frame([receipt])
    from_dicts = RECEIPTS.frame([receipt.model_dump()])
    assert from_models.schema == RECEIPTS.schema
    assert from_models.equals(from_dicts)
    assert from_models.row(0, named=True) == receipt.model_dump()


def test_frame_of_nothing_is_empty_with_the_schema():
    frame = STAGED_DOCUMENTS.frame([])
    assert frame.height == 0
    assert frame.schema == STAGED_DOCUMENTS.schema


@pytest.mark.parametrize(
    "table, row",
    [
        (EVENT_MENTIONS, EventMention(**event_fields(mention_id="m-0001"))),
        (EVENTS, Event(**event_fields(event_id_cnty="VEN-3f2a9c1b", n_sources=2, doc_ids=["d1", "d2"]))),
    ],
    ids=["event_mentions", "events"],
)
def test_event_rows_round_trip_through_duckdb(con, table: Table, row):
    con.execute(table.ddl())
    frame = table.frame([row])
    assert frame.schema == table.schema
    con.register("incoming", frame.to_arrow())
    con.execute(f"INSERT INTO {table.name} SELECT * FROM incoming")
    stored = con.sql(f"SELECT * FROM {table.name}").pl()
    assert stored.row(0, named=True) == row.model_dump()
    assert stored["counts"].to_list() == [[{"kind": "released", "value": 70, "qualifier": "at_least"}]]


def test_models_reject_unknown_columns_and_bad_vocabulary():
    with pytest.raises(ValueError):
        Receipt(receipt_id="r1", path="a.txt", sha256="0" * 64, bytes=1, received_at=dt.datetime(2024, 1, 1),
                status="lost")
    with pytest.raises(ValueError):
        EventMention(**event_fields(mention_id="m1", colour="red"))
    with pytest.raises(ValueError):
        EventMention(**{**event_fields(mention_id="m1"), "sub_event_type": "Picnic"})
    with pytest.raises(ValueError):
        EventMention(**{**event_fields(mention_id="m1"), "fatalities": -1})
