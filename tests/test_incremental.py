"""A run costs what is new: core.events and the marts updated for the keys that changed, equal to a rebuild;
staging and coding read pending documents page by page."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from extraction.coder import canonical_events
from schemas.tables import EVENT_MENTIONS, EVENTS, RAW_DOCUMENTS, STAGED_DOCUMENTS
from warehouse import coding, db, incremental
from warehouse.enrich import fill_acled_fields

V1, V2 = "coder-test-1", "coder-test-2"


def mention(doc: str, day: int, place: str, sub: str = "Armed clash", version: str = V1, fatalities: int = 0,
            start: int = 0) -> dict:
    """A made-up mention row: ACLED's vocabulary, an invented sentence."""
    violent = sub == "Armed clash"
    return {
        "event_date": dt.date(2024, 3, day), "year": 2024, "time_precision": 1,
        "disorder_type": "Political violence" if violent else "Demonstrations",
        "event_type": "Battles" if violent else "Protests", "sub_event_type": sub,
        "actor1": "Military Forces of Kenya" if violent else "Protesters (Kenya)", "inter1": 1 if violent else 6,
        "inter2": 0, "interaction": 10 if violent else 60, "country": "Kenya", "location": place,
        "notes": f"Something happened in {place}.", "fatalities": fatalities, "timestamp": 1_700_000_000,
        "doc_id": doc, "evidence": f"Something happened in {place}.", "evidence_start": start,
        "evidence_end": start + 20, "counts": [], "confidence": 0.5, "extractor_version": version,
        "mention_id": f"{doc}-{start}-{sub}-{version}",
    }


def put(con, rows: list[dict], replace_docs: list[str] = ()) -> None:
    frame = pl.DataFrame(rows, schema=EVENT_MENTIONS.schema) if rows else EVENT_MENTIONS.empty()
    with db.transaction(con):
        ids = list({*replace_docs, *frame["doc_id"]})
        con.execute(f"DELETE FROM {EVENT_MENTIONS.name} WHERE doc_id IN (SELECT unnest(?))", [ids])
        db.insert(con, EVENT_MENTIONS, frame)


def rebuilt(con) -> pl.DataFrame:
    """What core.events holds when rebuilt whole from every mention."""
    merged = canonical_events(db.read(con, f"SELECT * FROM {EVENT_MENTIONS.name}"))
    merged = fill_acled_fields(merged, db.read(con, f"SELECT doc_id, source FROM {RAW_DOCUMENTS.name}"))
    return merged.sort("event_id_cnty")


def stored(con) -> pl.DataFrame:
    return db.read(con, f"SELECT * FROM {EVENTS.name} ORDER BY event_id_cnty")


@pytest.fixture
def con(tmp_path):
    with db.writer(tmp_path / "w.duckdb") as con:
        yield con


@pytest.mark.parametrize("chunk", [1, incremental.CHUNK])  # keys merged one at a time, or all at once
def test_events_update_only_the_keys_whose_mentions_changed_and_equal_a_rebuild(con, chunk, monkeypatch):
    monkeypatch.setattr(incremental, "CHUNK", chunk)
    put(con, [mention("d1", 1, "Nairobi", fatalities=3), mention("d2", 2, "Mombasa"),
              mention("d3", 3, "Kisumu", sub="Peaceful protest")])
    first = incremental.update_events(con, V1, canonical_events)
    assert first.full and (first.keys, first.inserted) == (3, 3)
    assert stored(con).equals(rebuilt(con))

    # Nothing changed: nothing is rewritten.
    assert incremental.update_events(con, V1, canonical_events) == incremental.Update(0, 0, 0, False)

    # A new document reports the Nairobi event again (lower toll) and a new one; d3 no longer reports anything.
    put(con, [mention("d4", 1, "Nairobi", fatalities=1), mention("d4", 5, "Garissa", start=40)],
        replace_docs=["d3"])
    update = incremental.update_events(con, V1, canonical_events)
    assert not update.full
    assert update.keys == 3  # Nairobi (one more source), Garissa (new), Kisumu (gone); Mombasa untouched
    assert (update.deleted, update.inserted) == (2, 2)
    assert stored(con).equals(rebuilt(con))
    nairobi = stored(con).filter(pl.col("location") == "Nairobi")
    assert nairobi["n_sources"].to_list() == [2] and nairobi["fatalities"].to_list() == [1]


def test_a_document_recoded_by_another_version_redoes_its_events(con):
    put(con, [mention("d1", 1, "Nairobi"), mention("d2", 1, "Nairobi", start=5), mention("d5", 9, "Lamu")])
    incremental.update_events(con, V1, canonical_events)
    # A new coder (V2), half-way through its re-code (the run stopped): one of the two documents is re-coded.
    put(con, [mention("d1", 1, "Nairobi", version=V2, fatalities=4)])
    assert incremental.update_events(con, V2, canonical_events).full  # a new coder: rebuilt whole once
    mixed = stored(con).filter(pl.col("location") == "Nairobi")
    assert mixed["extractor_version"].to_list() == [V1]  # an older version of its mentions, never the new one
    # Re-coded in a later run with a different toll: the event no longer matches its mentions, so it is redone.
    put(con, [mention("d2", 1, "Nairobi", version=V2, start=5, fatalities=2)])
    assert incremental.update_events(con, V2, canonical_events).keys == 1
    assert stored(con).equals(rebuilt(con))
    assert stored(con).filter(pl.col("location") == "Nairobi")["fatalities"].to_list() == [2]
    assert incremental.update_events(con, V2, canonical_events).keys == 0


def test_a_new_builder_rebuilds_whole_once(con):
    put(con, [mention("d1", 1, "Nairobi")])
    incremental.update_events(con, V1, canonical_events)
    con.execute(f"UPDATE {EVENTS.name} SET notes = 'stale'")  # as if built by older enrichment code
    assert incremental.update_events(con, V1, canonical_events).keys == 0  # same builder: rows trusted
    update = incremental.update_events(con, V2, canonical_events)  # a new coder version: rebuilt whole
    assert update.full and stored(con).equals(rebuilt(con))
    assert not incremental.update_events(con, V2, canonical_events).full


def test_marts_rewrite_only_the_rows_of_keys_that_differ(con):
    put(con, [mention("d1", 1, "Nairobi"), mention("d2", 2, "Mombasa"), mention("d3", 20, "Kisumu")])
    incremental.update_events(con, V1, canonical_events)
    sql = db.mart_sql()
    for name, select in sql.items():
        assert incremental.mart_key(select), f"{name} declares no key"
        assert incremental.refresh_mart(con, name, select)[1] == -1  # no table yet: created whole
    for name, select in sql.items():
        assert incremental.refresh_mart(con, name, select)[1] == 0  # unchanged: nothing rewritten
    put(con, [mention("d4", 2, "Mombasa"), mention("d4", 4, "Garissa", start=40)])  # one more source, one new
    incremental.update_events(con, V1, canonical_events)
    assert incremental.refresh_mart(con, "acled_export", sql["acled_export"]) == (4, 1)  # no n_sources there
    assert incremental.refresh_mart(con, "recent_events", sql["recent_events"]) == (4, 2)
    for name, select in sql.items():
        incremental.refresh_mart(con, name, select)
        want, have = db.read(con, select), db.read(con, f"SELECT * FROM marts.{name}")
        assert have.sort(have.columns, nulls_last=True).equals(want.sort(want.columns, nulls_last=True)), name


def test_a_mart_whose_columns_changed_is_created_whole(con):
    incremental.refresh_mart(con, "m", "-- key: a\nSELECT 1 AS a")
    assert incremental.refresh_mart(con, "m", "-- key: a\nSELECT 1 AS a, 2 AS b")[1] == -1
    assert db.read(con, "SELECT * FROM marts.m").columns == ["a", "b"]


def test_pending_documents_are_read_in_pages(con):
    n = 7
    raw = pl.DataFrame({"doc_id": [f"d{i:02d}" for i in range(n)]})
    for table in (RAW_DOCUMENTS, STAGED_DOCUMENTS):
        frame = raw.with_columns(**{c: pl.lit(None, dtype=t) for c, t in table.schema.items() if c != "doc_id"})
        if table is STAGED_DOCUMENTS:
            frame = frame.with_columns(extractor_version=pl.lit(V1))
        con.register("_f", frame.select(table.columns).cast(table.schema).to_arrow())
        con.execute(f"INSERT INTO {table.name} SELECT * FROM _f")
        con.unregister("_f")
    assert coding.count_pending(con, V1) == n
    pages = list(coding.pages(lambda after: coding.pending(con, V1, after=after, limit=3)))
    assert [p.height for p in pages] == [3, 3, 1]
    assert pl.concat(pages)["doc_id"].to_list() == raw["doc_id"].to_list()
    assert coding.count_to_stage(con, V2) == n
    assert [p.height for p in coding.pages(lambda after: coding.to_stage(con, V2, after, 5))] == [5, 2]


def test_an_event_told_alike_by_several_sources_merges_the_same_whatever_order_its_mentions_come_in():
    # three outlets report the clash with the same rank, counts, confidence and offset: a tie to break
    rows = [mention(doc, 4, "Garissa", start=10) for doc in ("d-c", "d-a", "d-b")]
    merged = [canonical_events(pl.DataFrame(order, schema=EVENT_MENTIONS.schema))
              for order in (rows, rows[::-1], rows[1:] + rows[:1])]
    assert merged[0].height == 1 and merged[0]["n_sources"][0] == 3
    assert all(m.equals(merged[0]) for m in merged[1:])
    assert merged[0]["doc_id"][0] == "d-a"  # the smallest mention id stands for the event


def test_a_page_chosen_on_doc_ids_holds_the_documents_whole_rows(con):
    rows = [{"doc_id": f"d{i}", "text": f"text {i}", "title": f"title {i}", "extractor_version": V1} for i in range(5)]
    for table in (RAW_DOCUMENTS, STAGED_DOCUMENTS):
        frame = pl.DataFrame([{c: r.get(c) for c in table.columns if c in r} for r in rows])
        frame = frame.with_columns(**{c: pl.lit(None, dtype=t) for c, t in table.schema.items()
                                      if c not in frame.columns})
        con.register("_f", frame.select(table.columns).cast(table.schema).to_arrow())
        con.execute(f"INSERT INTO {table.name} SELECT * FROM _f")
        con.unregister("_f")
    whole = db.read(con, f"SELECT * FROM {STAGED_DOCUMENTS.name} ORDER BY doc_id")
    assert pl.concat(coding.pages(lambda after: coding.pending(con, V1, after=after, limit=2))).equals(whole)
    raw = db.read(con, f"SELECT * FROM {RAW_DOCUMENTS.name} ORDER BY doc_id")
    assert pl.concat(coding.pages(lambda after: coding.to_stage(con, V2, after, 2))).equals(raw)


def test_a_failing_mart_refresh_reports_its_own_error_and_leaves_the_mart_as_it_was():
    """A statement that fails inside the refresh's transaction is the error raised (not the clean-up's
    'transaction is aborted'), and the rollback leaves the mart untouched."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m (a INTEGER, b VARCHAR); INSERT INTO marts.m VALUES (1, 'x')")
    with pytest.raises(duckdb.BinderException, match="no_such_column"):
        incremental.refresh_mart(con, "m", "-- key: no_such_column\nSELECT 2 AS a, 'y' AS b")
    assert con.execute("SELECT * FROM marts.m").fetchall() == [(1, "x")]
    assert incremental.refresh_mart(con, "m", "-- key: a\nSELECT 2 AS a, 'y' AS b") == (1, 2)  # usable after
