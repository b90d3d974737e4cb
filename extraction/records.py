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


def _as_dict(row: dict) -> dict:
    event = {k: row[k] for k in EXPORT_FIELDS}
    event["event_date"] = row["event_date"].isoformat()
    event["evidence_span"] = [row["evidence_start"], row["evidence_end"]]
    return event


def event_dicts(staged: list[StagedDocument], helper: Helper | None = None) -> Iterator[dict]:
    """Coded events as JSON-ready dicts (the `events extract` contract), coded in batches; with a
    :class:`Helper`, a second process codes chunks from the end while this one codes from the front."""
    if helper is not None and len(staged) >= 2 * CHUNK:
        yield from helper.event_dicts(staged)
        return
    for start in range(0, len(staged), BATCH):
        for row in code_documents(staged[start : start + BATCH]).iter_rows(named=True):
            yield _as_dict(row)


def _warm() -> None:
    """Load what coding needs (spaCy, the gazetteer, the models) before the first chunk arrives."""
    from extraction.coder import load_nlp
    from extraction.detect import model as detect_model
    from extraction.places.index import _gazetteer
    from extraction.subevent import model as subevent_model

    load_nlp(), _gazetteer().prefixes, detect_model(), subevent_model()


def _code_chunk(docs: list[StagedDocument]) -> list[dict]:
    return [_as_dict(row) for row in code_documents(docs).iter_rows(named=True)]


class Helper:
    """A second, spawned coding process (never forked: Polars and spaCy threads do not survive a fork).
    Started early, it loads spaCy and the gazetteer while the caller stages its input. Chunks are handed to it
    from the end of the input; the caller codes from the front and takes over every chunk the helper has not
    started, so neither waits for the other and the output keeps the input's order. Each document is coded
    alone, so the output is the serial one."""

    def __init__(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.pool.submit(_warm)

    def event_dicts(self, staged: list[StagedDocument]) -> Iterator[dict]:
        chunks = [staged[start : start + CHUNK] for start in range(0, len(staged), CHUNK)]
        futures = {i: self.pool.submit(_code_chunk, chunks[i]) for i in reversed(range(len(chunks)))}
        window: list[dict] = []
        for i, chunk in enumerate(chunks):
            window += _code_chunk(chunk) if futures[i].cancel() else futures[i].result()  # not started: here
            if (i + 1) % (BATCH // CHUNK) == 0 or i == len(chunks) - 1:  # the serial order: per batch, by document
                yield from sorted(window, key=lambda e: (e["doc_id"], e["evidence_span"][0]))
                window = []

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


CHUNK = 20  # documents per chunk shared between the two processes
