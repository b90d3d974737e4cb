"""Warehouse tables, each derived from its Pydantic model: Polars schema and DuckDB column types."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass

import polars as pl
from pydantic import BaseModel

from schemas.models import CodingRun, Event, EventMention, Info, RawDocument, Receipt, Run, StagedDocument

_SCALARS: dict[type, pl.DataType] = {
    str: pl.String(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
    dt.date: pl.Date(),
    dt.datetime: pl.Datetime("us"),
}


def _dtype(annotation) -> pl.DataType:
    """Polars dtype for one field annotation (Optional unwrapped, enums by their value type)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _dtype(inner)
    if origin is typing.Literal:
        return pl.String()
    if origin is list:
        return pl.List(_dtype(typing.get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pl.Struct(polars_schema(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return pl.Int64() if issubclass(annotation, int) else pl.String()
    return _SCALARS[annotation]


def polars_schema(model: type[BaseModel]) -> pl.Schema:
    """The Polars schema of a model: one column per field, in declaration order."""
    return pl.Schema({name: _dtype(f.annotation) for name, f in model.model_fields.items()})


def duckdb_type(dtype: pl.DataType) -> str:
    """DuckDB column type for a Polars dtype."""
    if isinstance(dtype, pl.List):
        return f"{duckdb_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Struct):
        return "STRUCT(" + ", ".join(f'"{f.name}" {duckdb_type(f.dtype)}' for f in dtype.fields) + ")"
    return {
        pl.String: "VARCHAR", pl.Int64: "BIGINT", pl.Float64: "DOUBLE", pl.Boolean: "BOOLEAN",
        pl.Date: "DATE", pl.Datetime: "TIMESTAMP",
    }[dtype.base_type()]


@dataclass(frozen=True)
class Table:
    name: str  # schema-qualified DuckDB name, e.g. "raw.receipts"
    model: type[BaseModel]
    key: tuple[str, ...]  # primary key columns

    @property
    def schema(self) -> pl.Schema:
        return polars_schema(self.model)

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)

    def ddl(self) -> str:
        cols = ", ".join(f'"{n}" {duckdb_type(t)}' for n, t in self.schema.items())
        key = ", ".join(f'"{k}"' for k in self.key)
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({cols}, PRIMARY KEY ({key}))"

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.schema)

    def frame(self, rows: list[BaseModel] | list[dict]) -> pl.DataFrame:
        """Rows (validated models or dicts) as a DataFrame with exactly this table's schema."""
        dicts = [r.model_dump() if isinstance(r, BaseModel) else r for r in rows]
        return pl.DataFrame(dicts, schema=self.schema, orient="row") if dicts else self.empty()


RECEIPTS = Table("raw.receipts", Receipt, ("receipt_id",))
RAW_DOCUMENTS = Table("raw.documents", RawDocument, ("doc_id",))
STAGED_DOCUMENTS = Table("staging.documents", StagedDocument, ("doc_id",))
EVENT_MENTIONS = Table("core.event_mentions", EventMention, ("mention_id",))
EVENTS = Table("core.events", Event, ("event_id_cnty",))
CODING_RUNS = Table("core.coding_runs", CodingRun, ("doc_id", "extractor_version"))

INFO = Table("meta.info", Info, ("key",))
RUNS = Table("meta.runs", Run, ("run_id",))

TABLES: tuple[Table, ...] = (RECEIPTS, RAW_DOCUMENTS, STAGED_DOCUMENTS, EVENT_MENTIONS, CODING_RUNS, EVENTS, INFO, RUNS)
