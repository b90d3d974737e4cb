"""The data contracts: one Pydantic model per warehouse table.

Every table's Polars schema and DuckDB DDL is derived from these models (see `schemas.tables`),
so a column is declared exactly once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.acled import (
    CountKind,
    DisorderType,
    EventType,
    GeoPrecision,
    Inter,
    Qualifier,
    SubEventType,
    TimePrecision,
)

ReceiptStatus = Literal["loaded", "duplicate", "rejected"]


class Row(BaseModel):
    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class Receipt(Row):
    """One received item: a file, or one line of a .jsonl file. Nothing received goes unrecorded."""

    receipt_id: str = Field(description="hash of path, line and content: the receipt's identity")
    path: str = Field(description="path relative to the inbox")
    line: int | None = Field(None, description="1-based line number for .jsonl items")
    sha256: str = Field(description="sha256 of the item's bytes")
    bytes: int
    received_at: dt.datetime
    status: ReceiptStatus
    reason: str | None = Field(None, description="why the item was rejected or is a duplicate")
    doc_id: str | None = Field(None, description="the document this item became (or duplicates)")


class RawDocument(Row):
    """A distinct document, as received (decoded to text, otherwise untouched)."""

    doc_id: str = Field(description="content hash of the decoded text")
    path: str
    line: int | None = None
    media_type: str = Field(description="txt, md, html or jsonl")
    encoding: str = Field(description="how the bytes were decoded, e.g. utf-8, utf-16, latin-1")
    title: str | None = None
    published: dt.date | None = Field(None, description="publication date given with the item")
    source: str | None = None
    text: str
    received_at: dt.datetime


class StagedDocument(Row):
    """A cleaned document: repaired text without boilerplate or repeated paragraphs."""

    doc_id: str
    title: str | None = None
    published: dt.date | None = Field(None, description="from the item's metadata, else from the text")
    published_from: str | None = Field(None, description="metadata | text | None")
    dateline: str | None = Field(None, description="place named in the dateline, e.g. 'Caracas, Venezuela'")
    language: str = Field(description="majority language of the paragraphs (ISO 639-1, or 'und')")
    paragraph_languages: list[str] = Field(default_factory=list)
    text: str = Field(description="cleaned text; paragraphs separated by blank lines; spans index into it")
    n_paragraphs: int
    removed_lines: int = Field(description="boilerplate lines and repeated paragraphs removed")


class Count(Row):
    kind: CountKind
    value: int
    qualifier: Qualifier = Qualifier.EXACT


class EventRow(Row):
    """ACLED's export columns (same names and meanings) plus our provenance columns."""

    event_date: dt.date
    year: int
    time_precision: TimePrecision
    disorder_type: DisorderType
    event_type: EventType
    sub_event_type: SubEventType
    actor1: str
    assoc_actor_1: str | None = None
    inter1: Inter
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: Inter = Inter.NONE
    interaction: int
    civilian_targeting: str | None = None
    iso: int | None = None
    region: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: GeoPrecision | None = None
    source: str | None = None
    source_scale: str | None = None
    notes: str
    fatalities: int = Field(0, ge=0)
    tags: str | None = None
    timestamp: int = Field(description="unix time the row was coded")
    # provenance
    doc_id: str
    evidence: str = Field(description="the sentence that supports the event")
    evidence_start: int = Field(description="character offset of the evidence in staging.documents.text")
    evidence_end: int
    counts: list[Count] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)
    extractor_version: str


class EventMention(EventRow):
    """One event as one document reports it."""

    mention_id: str = Field(description="hash of doc_id, evidence span and sub-event type")


class Event(EventRow):
    """A canonical event: mentions of the same event (day, place, sub-type, actor) merged."""

    event_id_cnty: str = Field(description="ISO3 of the country plus a content hash, e.g. VEN-3f2a9c1b")
    n_sources: int = Field(description="distinct documents reporting the event")
    doc_ids: list[str]


class CodingRun(Row):
    """Which documents the coder has seen, with which version: unchanged documents are never coded twice."""

    doc_id: str
    extractor_version: str
    n_mentions: int
    coded_at: dt.datetime
