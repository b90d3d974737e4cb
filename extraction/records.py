"""The coder on plain records ({"id", "text", "published"?, "title"?, "source"?}): shared by `events extract`
and `events evaluate`, so both measure exactly what the warehouse gets."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator

from extraction.clean import stage
from extraction.coder import code_documents
from extraction.ingest import doc_id_for, mtime, parse_published
from schemas.models import RawDocument, StagedDocument

EXPORT_FIELDS = (
    "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso",
    "region", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities",
    "notes", "doc_id", "evidence", "counts", "confidence", "date_from", "place_from", "extractor_version",
)
BATCH = 1000


def _text(obj: dict, key: str) -> str | None:
    return obj.get(key) if isinstance(obj.get(key), str) else None


def stage_records(records: Iterable[tuple[int, dict]], path: str) -> list[StagedDocument]:
    """Numbered records -> staged documents; an unreadable published date is reported and ignored."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    modified = mtime(os.stat(path).st_mtime) if os.path.isfile(path) else None  # the input's date of last resort
    staged = []
    for number, obj in records:
        try:
            published = parse_published(obj.get("published"))
        except ValueError as exc:
            print(f"events: {path}:{number}: ignored published date: {exc}", file=sys.stderr)
            published = None
        doc_id = str(obj["id"]) if obj.get("id") is not None else doc_id_for(obj["text"])
        raw = RawDocument(doc_id=doc_id, path=path, line=number, media_type="jsonl", encoding="utf-8",
                          title=_text(obj, "title"), published=published, source=_text(obj, "source"),
                          text=obj["text"], received_at=now, modified=modified)
        staged.append(stage(raw))
    return staged


def event_dicts(staged: list[StagedDocument]) -> Iterator[dict]:
    """Coded events as JSON-ready dicts (the `events extract` contract), coded in batches."""
    for start in range(0, len(staged), BATCH):
        for row in code_documents(staged[start : start + BATCH]).iter_rows(named=True):
            event = {k: row[k] for k in EXPORT_FIELDS}
            event["event_date"] = row["event_date"].isoformat()
            event["evidence_span"] = [row["evidence_start"], row["evidence_end"]]
            yield event
