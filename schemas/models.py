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
    bytes: int = Field(description="size of the item in bytes")
    received_at: dt.datetime = Field(description="when the run received the item (UTC)")
    status: ReceiptStatus = Field(description="loaded | duplicate | rejected")
    reason: str | None = Field(None, description="why the item was rejected or is a duplicate")
    doc_id: str | None = Field(None, description="the document this item became (or duplicates)")


class RawDocument(Row):
    """A distinct document, as received (decoded to text, otherwise untouched)."""

    doc_id: str = Field(description="content hash of the decoded text")
    path: str = Field(description="path relative to the inbox of the first item with this content")
    line: int | None = Field(None, description="1-based line number for .jsonl items")
    media_type: str = Field(description="txt, md, html or jsonl")
    encoding: str = Field(description="how the bytes were decoded, e.g. utf-8, utf-16, latin-1")
    title: str | None = Field(None, description="title given with the item (.jsonl title, HTML <title>)")
    published: dt.date | None = Field(None, description="publication date given with the item")
    source: str | None = Field(None, description="outlet or feed given with the item")
    text: str = Field(description="decoded text, otherwise as received (HTML reduced to its text)")
    received_at: dt.datetime = Field(description="when the run received the item (UTC)")
    modified: dt.datetime | None = Field(None, description="the file's modification time (UTC): the date of last "
                                                           "resort, which depends on the input, never the clock")


class StagedDocument(Row):
    """A cleaned document: repaired text without boilerplate or repeated paragraphs."""

    doc_id: str = Field(description="the raw document this was cleaned from")
    title: str | None = Field(None, description="title from the metadata, else the headline line")
    published: dt.date | None = Field(None, description="from the item's metadata, else from the text")
    published_from: str | None = Field(None, description="metadata | text | file_mtime (the file's modification "
                                                         "time: no date given or written) | None")
    dateline: str | None = Field(None, description="place named in the dateline, e.g. 'Caracas, Venezuela'")
    language: str = Field(description="majority language of the paragraphs (ISO 639-1, or 'und')")
    paragraph_languages: list[str] = Field(default_factory=list, description="language of each paragraph")
    text: str = Field(description="cleaned text; paragraphs separated by blank lines; spans index into it")
    n_paragraphs: int = Field(description="paragraphs in the cleaned text")
    removed_lines: int = Field(description="boilerplate lines and repeated paragraphs removed")
    extractor_version: str | None = Field(None, description="coder version that staged it: a document staged by "
                                                            "another version is staged and coded again")


class Count(Row):
    kind: CountKind = Field(
        description="killed, injured, arrested, detained, released, abducted, displaced, participants")
    value: int = Field(description="the figure, with ACLED's values for vague words (dozens = 12)")
    qualifier: Qualifier = Field(Qualifier.EXACT, description="exact, at_least, over, at_most, under, approx")


class EventRow(Row):
    """ACLED's export columns (same names and meanings) plus our provenance columns."""

    event_date: dt.date = Field(description="day the event happened")
    year: int = Field(description="year of event_date")
    time_precision: TimePrecision = Field(description="ACLED: 1 = exact day, 2 = within a week, 3 = within a month")
    disorder_type: DisorderType = Field(
        description="Political violence, Demonstrations or Strategic developments (follows event_type)")
    event_type: EventType = Field(description="ACLED's six event types")
    sub_event_type: SubEventType = Field(description="ACLED's 25 sub-event types")
    actor1: str = Field(
        description="main actor, ACLED-named, e.g. 'Police Forces of Kenya', 'Protesters (Venezuela)'")
    assoc_actor_1: str | None = Field(None, description="actors associated with actor1")
    inter1: Inter = Field(
        description="ACLED inter code of actor1: 1 state forces, 2 rebels, 3 political militia, "
                    "4 identity militia, 5 rioters, 6 protesters, 7 civilians, 8 external")
    actor2: str | None = Field(None, description="the other side, e.g. the victims of violence against civilians")
    assoc_actor_2: str | None = Field(None, description="actors associated with actor2")
    inter2: Inter = Field(Inter.NONE, description="ACLED inter code of actor2 (0 when there is none)")
    interaction: int = Field(
        description="two-digit pair of inter codes, lower first (e.g. 17 = state forces vs civilians)")
    civilian_targeting: str | None = Field(None, description="'Civilian targeting' when civilians were the target")
    iso: int | None = Field(None, description="ISO 3166 numeric code of the country")
    region: str | None = Field(None, description="ACLED region")
    country: str | None = Field(None, description="country of the event")
    admin1: str | None = Field(None, description="first-level administrative unit (region, state, province)")
    admin2: str | None = Field(None, description="second-level administrative unit (district)")
    admin3: str | None = Field(None, description="third-level administrative unit, where ACLED's rows give the "
                                                 "town one")
    location: str | None = Field(None, description="named place of the event (GeoNames name)")
    latitude: float | None = Field(None, description="WGS84 latitude of the location")
    longitude: float | None = Field(None, description="WGS84 longitude of the location")
    geo_precision: GeoPrecision | None = Field(
        None, description="ACLED: 1 = the town itself, 2 = near it or its district, 3 = only the region or country")
    source: str | None = Field(None, description="outlet(s) that reported the event, joined by '; '")
    source_scale: str | None = Field(None, description="ACLED source scale of the outlets (National, Subnational, "
                                                       "Other-National, ...); empty for outlets ACLED never cited")
    notes: str = Field(description="summary of the event (the evidence sentence)")
    fatalities: int = Field(0, ge=0, description="deaths, by ACLED's rules (lowest reported figure; "
                                                 "dozens = 12; none reported = 0)")
    tags: str | None = Field(None, description="ACLED tags: the crowd size of demonstrations and riots, e.g. "
                                               "'crowd size=hundreds', 'crowd size=no report'")
    timestamp: int = Field(description="unix time the row was coded")
    # provenance
    doc_id: str = Field(description="document the event was coded from")
    evidence: str = Field(description="the sentence that supports the event")
    evidence_start: int = Field(description="character offset of the evidence in staging.documents.text")
    evidence_end: int = Field(description="end offset of the evidence in staging.documents.text")
    counts: list[Count] = Field(default_factory=list,
                                description="people counted in the evidence: [{kind, value, qualifier}]")
    confidence: float = Field(ge=0, le=1, description="0..1, higher when the sentence gives its own date and "
                                                      "place and the trigger heads the clause")
    extractor_version: str = Field(description="coder version (rules and model) that produced the row")


OWN_TEXT = ("sentence", "paragraph")  # date_from / place_from found in the event's own text, not guessed


def _date_from() -> str | None:
    return Field(None, description="where the date was found: sentence | paragraph (the event's own text) | "
                                   "document (the day of another incident the document told, or when the "
                                   "paragraph was told) | publication | text (latest date the document names) | "
                                   "file_time | run_day")


def _place_from() -> str | None:
    return Field(None, description="where the place was found: sentence | paragraph (the event's own text) | "
                                   "dateline | document | capital (of the document's country: no place named)")


class EventMention(EventRow):
    """One event as one document reports it."""

    mention_id: str = Field(description="hash of doc_id, evidence span and sub-event type")
    date_from: str | None = _date_from()
    place_from: str | None = _place_from()


class Event(EventRow):
    """A canonical event: mentions of the same event (day, place, sub-type, actor) merged."""

    event_id_cnty: str = Field(description="ISO3 of the country plus a content hash, e.g. VEN-3f2a9c1b")
    n_sources: int = Field(description="distinct documents reporting the event")
    doc_ids: list[str] = Field(description="every document reporting the event")
    date_from: str | None = _date_from()
    place_from: str | None = _place_from()


class Info(Row):
    """A fact about the warehouse file itself: what it is (`app`) and its schema version (`schema_version`)."""

    key: str = Field(description="app | schema_version")
    value: str = Field(description="the fact's value")


class Run(Row):
    """One run of the pipeline on this warehouse: what it received, which coder ran, when it was published."""

    run_id: str = Field(description="the Dagster run id")
    started_at: dt.datetime = Field(description="when the run received the inbox (UTC)")
    received: int = Field(description="items received that were new to the warehouse")
    loaded: int = Field(description="of them, loaded as new documents")
    duplicate: int = Field(description="of them, duplicates of stored documents")
    rejected: int = Field(description="of them, rejected with a reason")
    extractor_version: str = Field(description="coder version of the run")
    published_at: dt.datetime | None = Field(None, description="when the run published the readers' snapshot (UTC)")


class CodingRun(Row):
    """Which documents the coder has seen, with which version: unchanged documents are never coded twice."""

    doc_id: str = Field(description="the staged document coded")
    extractor_version: str = Field(description="coder version that coded it")
    n_mentions: int = Field(description="event mentions it yielded")
    coded_at: dt.datetime = Field(description="when it was coded (UTC)")
