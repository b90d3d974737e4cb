"""The pipeline's assets: inbox -> raw -> staging -> core -> marts. Asset keys follow DuckDB schemas.

Each body is thin: read what is new from DuckDB, call a pure function from `extraction`, write with one
transaction through `warehouse.db`, report row counts, a preview and its checks.
"""

import datetime as dt
import itertools
import warnings

import dagster as dg
import polars as pl
from dagster._core.definitions.partitions.context import partition_loading_context

from assets.progress import Progress
from assets.resources import Inbox, Warehouse
from extraction.ingest import receive, walk_inbox
from extraction.version import extractor_version
from schemas.models import Run
from schemas.tables import (
    EVENT_MENTIONS,
    EVENTS,
    INFO,
    RAW_DOCUMENTS,
    RECEIPTS,
    RUNS,
    STAGED_DOCUMENTS,
    Table,
)
from warehouse import checks, coding, db, incremental
from warehouse.migrations import SCHEMA_VERSION
from warehouse.uptodate import FINGERPRINT, intake_fingerprint

POOL = "duckdb_writer"
EXTRACTOR_VERSION = extractor_version()  # the same as extraction.coder's, without importing the coder
# core/event_mentions is partitioned by the documents' day (publication, else receipt: warehouse.coding.DAY):
# known when a document is staged and unchanged by a new coder, so a day is a fixed set of documents. A run of
# the whole pipeline (`events run`, the schedule, the sensor) codes whatever is pending on any day and records
# the days it touched; a run of some days (a backfill in the UI, `events backfill`) codes again exactly the
# documents of those days, in one run. (Dagster cannot run a partitioned asset without a partition when its
# upstream is partitioned too, so everything upstream of it is unpartitioned.)


class Days(dg.DailyPartitionsDefinition):
    """Dagster's daily partitions, with their keys listed as dates: every run lists all of them (some 17,000
    since 1980) for each asset downstream of core/event_mentions, only to find there are more than a hundred;
    Dagster's own loop over time windows spent 0.2 s a time on that. The keys are the same."""

    def get_partition_keys(self, current_time: dt.datetime | None = None,
                           dynamic_partitions_store=None) -> list[str]:
        if self.timezone != "UTC" or self.fmt != "%Y-%m-%d" or self.exclusions or self.start.time() != dt.time():
            return super().get_partition_keys(current_time, dynamic_partitions_store)
        with partition_loading_context(current_time, dynamic_partitions_store):
            last = self._get_last_partition_window(self._get_current_timestamp())
        if last is None:
            return []
        first = self.start.date()
        return [(first + dt.timedelta(days=i)).isoformat() for i in range((last.start.date() - first).days + 1)]


DAYS = Days(start_date="1980-01-01", end_offset=1)
SINGLE_RUN = dg.BackfillPolicy.single_run()
# Single-run backfills are "beta" in Dagster 1.13; we rely on them knowingly, so the CLI's stderr stays quiet.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
PARALLEL = dg.AssetKey(["parallel", "coded"])
# Tables a day late are visible as late in the UI (dagster.yaml enables freshness): the daily run did not land.
DAILY = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=26), warn_window=dt.timedelta(hours=25))
OWNERS = ["team:events"]
BATCH = 500  # documents coded and committed per transaction
STAGE_BATCH = 5000  # documents staged per transaction (cleaning is cheap; a page's texts bound the memory)
INTAKE_BATCH = 2000  # inbox items received and inserted at a time (in the intake's one transaction)


def stage_batch(raw: pl.DataFrame) -> pl.DataFrame:
    """extraction.batch.stage_batch, imported when there is something to stage (a run with nothing new does not
    pay for the coder's imports)."""
    from extraction.batch import stage_batch as stage

    return stage(raw)


def code_batch(batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """extraction.batch.code_batch, imported when there is something to code (spaCy, the gazetteer, the models
    load only then)."""
    from extraction.batch import code_batch as code

    return code(batch)


def _key(table: Table) -> dg.AssetKey:
    return dg.AssetKey(table.name.split("."))


# Checks that guard the data's integrity block: when one fails, nothing downstream runs, so a bad batch never
# reaches the marts nor the readers' snapshot. The others (plausible dates) warn.
BLOCKING = {"every_receipt_explained", "receipt_ids_unique", "doc_ids_unique", "schema_valid",
            "mention_ids_unique", "event_ids_unique", "vocabularies_valid", "acled_columns"}


def _spec(table: Table, name: str, description: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name, asset=_key(table), description=description, blocking=name in BLOCKING)


def _result(table: Table, name: str, outcome: checks.Result) -> dg.AssetCheckResult:
    passed, description, details = outcome
    return dg.AssetCheckResult(asset_key=_key(table), check_name=name, passed=passed, description=description,
                               severity=dg.AssetCheckSeverity.ERROR if name in BLOCKING else dg.AssetCheckSeverity.WARN,
                               metadata={k: v if isinstance(v, int | float | str) else str(v)
                                         for k, v in details.items()})


def _days(context: dg.AssetExecutionContext) -> coding.Days:
    """The [first, last] day a partitioned run covers; None for a run of the whole pipeline."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    window = context.partition_time_window
    return window.start.date(), window.end.date() - dt.timedelta(days=1)


def _record_days(context: dg.AssetExecutionContext, key: dg.AssetKey, days: dict[dt.date, int]) -> None:
    """A run of the whole pipeline marks each day it staged or coded documents of as materialized, so the UI's
    partition view shows every day that has data, whichever run did it."""
    if context.has_partition_key or context.has_partition_key_range:
        return  # the run's own materialization is of its days
    first, last = DAYS.start.date(), dt.date.today() + dt.timedelta(days=1)
    for day, n in days.items():
        if first <= day <= last:
            context.log_event(dg.AssetMaterialization(asset_key=key, partition=day.isoformat(),
                                                      metadata={"documents": n}))


def _preview(frame: pl.DataFrame, columns: list[str], n: int = 10) -> dg.MetadataValue:
    shown = frame.select([c for c in columns if c in frame.columns]).head(n)
    return dg.MetadataValue.md(_markdown(shown) if not shown.is_empty() else "_no rows_")


def _markdown(frame: pl.DataFrame) -> str:
    head = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns) + "\n"
    body = "\n".join("| " + " | ".join(str(v)[:60].replace("|", "/") for v in row) + " |" for row in frame.rows())
    return head + body


EVENT_MENTIONS_KEY = _key(EVENT_MENTIONS)


def _count(con, table: Table) -> int:
    return con.execute(f"SELECT count(*) FROM {table.name}").fetchall()[0][0]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(_key(RECEIPTS), description="One row per received item (file or .jsonl line): loaded, "
                     "duplicate or rejected with a reason.", kinds={"duckdb", "python"}, owners=OWNERS),
        dg.AssetSpec(_key(RAW_DOCUMENTS), description="One row per distinct document (doc_id = content hash), "
                     "text as received.", kinds={"duckdb", "python"}, owners=OWNERS),
    ],
    check_specs=[
        _spec(RECEIPTS, "every_receipt_explained", "each receipt is loaded, a duplicate, or rejected with a reason"),
        _spec(RECEIPTS, "receipt_ids_unique", "receipt ids unique"),
        _spec(RAW_DOCUMENTS, "doc_ids_unique", "document ids unique"),
    ],
    group_name="raw",
    pool=POOL,
)
def raw_inbox(context: dg.AssetExecutionContext, inbox: Inbox, warehouse: Warehouse):
    """Receive every new item in the inbox, a batch at a time; the run's log row and the inbox fingerprint commit
    once every batch has."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    fingerprint = intake_fingerprint(inbox.root, inbox.limits)  # before reading: a file changed meanwhile shows
    with warehouse.writer() as con:
        known_receipts, known_docs = db.keys(con, RECEIPTS), db.keys(con, RAW_DOCUMENTS)
        status: dict[str, int] = {}
        added = {RECEIPTS.name: 0, RAW_DOCUMENTS.name: 0}
        shown: tuple[pl.DataFrame, pl.DataFrame] | None = None
        items = walk_inbox(inbox.root, inbox.limits)
        # INTAKE_BATCH items at a time, each batch's receipts and documents in one transaction, so memory is flat
        # in the size of the inbox; the run row and the inbox fingerprint commit last, so an intake cut short is
        # taken up by the next run (its known receipts are skipped) rather than taken for done
        while batch := list(itertools.islice(items, INTAKE_BATCH)):
            receipts, docs = receive(batch, known_receipts, known_docs, inbox.limits, now=now)
            del batch
            known_docs.update(doc.doc_id for doc in docs)  # a later batch's copy is a duplicate
            receipt_frame, doc_frame = RECEIPTS.frame(receipts), RAW_DOCUMENTS.frame(docs)
            for name, n in receipt_frame.group_by("status").len().rows():
                status[name] = status.get(name, 0) + n
            with db.transaction(con):
                for t, f in [(RECEIPTS, receipt_frame), (RAW_DOCUMENTS, doc_frame)]:
                    added[t.name] += db.insert(con, t, f)
            for r in receipts:
                if r.status == "rejected":
                    context.log.warning(f"rejected {r.path}{f':{r.line}' if r.line else ''}: {r.reason}")
            shown = shown or (receipt_frame.head(10), doc_frame.head(10))
            del receipts, docs, receipt_frame, doc_frame
        with db.transaction(con):
            run = Run(run_id=context.run.run_id, started_at=now, received=sum(status.values()),
                      loaded=status.get("loaded", 0), duplicate=status.get("duplicate", 0),
                      rejected=status.get("rejected", 0), extractor_version=EXTRACTOR_VERSION)
            added[RUNS.name] = db.insert(con, RUNS, RUNS.frame([run]))
            # what `events run` compares to skip a run with nothing new (warehouse.uptodate)
            con.execute(f"DELETE FROM {INFO.name} WHERE key = ?", [FINGERPRINT])
            con.execute(f"INSERT INTO {INFO.name} VALUES (?, ?)", [FINGERPRINT, fingerprint])
        receipt_frame, doc_frame = shown or (RECEIPTS.frame([]), RAW_DOCUMENTS.frame([]))
        results = [_result(RECEIPTS, "every_receipt_explained", checks.receipts_explained(con)),
                   _result(RECEIPTS, "receipt_ids_unique", checks.ids_unique(con, RECEIPTS)),
                   _result(RAW_DOCUMENTS, "doc_ids_unique", checks.ids_unique(con, RAW_DOCUMENTS))]
        totals = {t.name: _count(con, t) for t in (RECEIPTS, RAW_DOCUMENTS)}
    yield dg.MaterializeResult(asset_key=_key(RECEIPTS), metadata={
        "new_receipts": added[RECEIPTS.name], "rows": totals[RECEIPTS.name],
        **{f"new_{s}": n for s, n in sorted(status.items())},
        "preview": _preview(receipt_frame, ["path", "line", "status", "reason", "doc_id"])})
    yield dg.MaterializeResult(asset_key=_key(RAW_DOCUMENTS), metadata={
        "new_documents": added[RAW_DOCUMENTS.name], "rows": totals[RAW_DOCUMENTS.name],
        "preview": _preview(doc_frame, ["doc_id", "path", "media_type", "encoding", "title", "published"])})
    yield from results


class StagingConfig(dg.Config):
    """`recode`: stage and code every document again, even those this coder version already did."""

    recode: bool = False


@dg.asset(
    key=_key(STAGED_DOCUMENTS), deps=[_key(RAW_DOCUMENTS)], group_name="staging", pool=POOL,
    kinds={"duckdb", "polars"}, owners=OWNERS,
    check_specs=[_spec(STAGED_DOCUMENTS, "schema_valid", "columns and types derived from StagedDocument")],
)
def staging_documents(context: dg.AssetExecutionContext, config: StagingConfig,
                      warehouse: Warehouse) -> dg.MaterializeResult:
    """Cleaned text: encoding repaired, boilerplate and repeated paragraphs removed; title, publication
    date, dateline place and language per paragraph. Documents staged by another coder version (or all, with
    `recode`) are staged again; their mentions are re-coded by the next step."""
    with warehouse.writer() as con:
        if config.recode:
            context.log.info(f"recode: {len(coding.invalidate(con, EXTRACTOR_VERSION))} documents to stage and "
                             "code again")
        total = coding.count_to_stage(con, EXTRACTOR_VERSION)
        added, languages, previews = 0, {}, []
        context.log.info(f"{total} documents to stage")
        # Page by page (one transaction each): memory is flat in the number of documents to stage.
        for raw in coding.pages(lambda after: coding.to_stage(con, EXTRACTOR_VERSION, after, STAGE_BATCH)):
            staged = stage_batch(raw)
            added += coding.swap(con, raw["doc_id"].to_list(), [(STAGED_DOCUMENTS, staged)])[STAGED_DOCUMENTS.name]
            for language, n in staged.group_by("language").len().rows():
                languages[language] = languages.get(language, 0) + n
            if len(previews) < 1:
                previews.append(staged.head(10))
        check = _result(STAGED_DOCUMENTS, "schema_valid", checks.schema_valid(con, STAGED_DOCUMENTS))
        rows = _count(con, STAGED_DOCUMENTS)
    return dg.MaterializeResult(metadata={
        "documents_staged": added, "rows": rows, "extractor_version": EXTRACTOR_VERSION,
        "languages": str(dict(sorted(languages.items(), key=lambda kv: str(kv[0])))),
        "preview": _preview(previews[0] if previews else STAGED_DOCUMENTS.empty(),
                            ["doc_id", "title", "published", "dateline", "language", "removed_lines"])},
        check_results=[check])


@dg.asset(
    key=_key(EVENT_MENTIONS), group_name="core", pool=POOL, kinds={"duckdb", "spacy", "polars"}, owners=OWNERS,
    deps=[_key(STAGED_DOCUMENTS), PARALLEL], partitions_def=DAYS, backfill_policy=SINGLE_RUN,
    check_specs=[
        _spec(EVENT_MENTIONS, "mention_ids_unique", "mention ids unique"),
        _spec(EVENT_MENTIONS, "vocabularies_valid", "ACLED event types, inter codes and precisions"),
        _spec(EVENT_MENTIONS, "dates_plausible", "event dates between 1900 and today"),
    ],
)
def event_mentions(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """One row per event a document reports, with the sentence that supports it; partitioned by the documents'
    day (publication, else receipt). Documents this coder version has coded are skipped (unless the run is of
    their day); each batch's mentions replace older versions' with its coding log, in one
    transaction. Documents coded in parallel (parallel/coded) are loaded first."""
    folder = warehouse.partitions_folder / EXTRACTOR_VERSION
    days = _days(context)
    with warehouse.writer() as con:
        loaded = coding.load_partitions(con, folder, EXTRACTOR_VERSION)
        if days is not None:  # a run of some days codes theirs again
            context.log.info(f"{len(coding.invalidate(con, EXTRACTOR_VERSION, days, restage=False))} documents "
                             f"of {days[0]} to {days[1]} to code again")
        total = coding.count_pending(con, EXTRACTOR_VERSION, days)
    added, coded, previews, done = 0, 0, [], []
    progress = Progress("coding documents", total, context.log.info)
    after = ""
    while True:  # page by page from DuckDB (memory flat in the number of pending documents), one transaction each
        with warehouse.writer() as con:
            batch = coding.pending(con, EXTRACTOR_VERSION, days, after, BATCH)
            if batch.is_empty():
                break
            mentions, log = code_batch(batch)
            added += coding.swap_coded(con, mentions, log)
        after = batch["doc_id"][-1]
        done.extend(batch["doc_id"])
        coded += batch.height
        if len(previews) < 10:
            previews.append(mentions.head(10))
        progress.update(coded, f"{added} new event mentions")
    with warehouse.writer() as con:
        results = [_result(EVENT_MENTIONS, "mention_ids_unique", checks.ids_unique(con, EVENT_MENTIONS)),
                   _result(EVENT_MENTIONS, "vocabularies_valid", checks.vocabularies_valid(con, EVENT_MENTIONS)),
                   _result(EVENT_MENTIONS, "dates_plausible", checks.dates_plausible(con, EVENT_MENTIONS))]
        rows = _count(con, EVENT_MENTIONS)
        touched = coding.days_of(con, [*done, *loaded])
    _record_days(context, _key(EVENT_MENTIONS), touched)
    preview = pl.concat(previews) if previews else EVENT_MENTIONS.empty()
    return dg.MaterializeResult(metadata={
        "documents_coded": coded, "documents_from_partitions": len(loaded), "new_mentions": added, "rows": rows,
        "extractor_version": EXTRACTOR_VERSION,
        "preview": _preview(preview, ["event_date", "sub_event_type", "actor1", "location", "fatalities",
                                      "evidence"])}, check_results=results)


@dg.asset(
    key=_key(EVENTS), deps=[_key(EVENT_MENTIONS)], group_name="core", pool=POOL,
    kinds={"duckdb", "polars"}, owners=OWNERS, freshness_policy=DAILY,
    check_specs=[
        _spec(EVENTS, "event_ids_unique", "event_id_cnty unique"),
        _spec(EVENTS, "vocabularies_valid", "ACLED event types, inter codes and precisions"),
        _spec(EVENTS, "dates_plausible", "event dates between 1900 and today"),
        _spec(EVENTS, "schema_valid", "columns and types derived from Event"),
    ],
)
def events(warehouse: Warehouse) -> dg.MaterializeResult:
    """ACLED-style canonical events: mentions of the same event (day, place, sub-type, actor) merged across
    documents, with n_sources, their outlets (source, source_scale), crowd size tags and admin3. Only the events
    whose mentions changed are merged again (warehouse.incremental), in one transaction."""
    from extraction.coder import canonical_events

    with warehouse.writer() as con:
        update = incremental.update_events(con, EXTRACTOR_VERSION, canonical_events)
        rows = _count(con, EVENTS)
        results = [_result(EVENTS, "event_ids_unique", checks.ids_unique(con, EVENTS)),
                   _result(EVENTS, "vocabularies_valid", checks.vocabularies_valid(con, EVENTS)),
                   _result(EVENTS, "dates_plausible", checks.dates_plausible(con, EVENTS)),
                   _result(EVENTS, "schema_valid", checks.schema_valid(con, EVENTS))]
        by_type = dict(con.execute(f"SELECT event_type, count(*) FROM {EVENTS.name} GROUP BY ALL ORDER BY 1"
                                   ).fetchall())
        multi = con.execute(f"SELECT count(*) FROM {EVENTS.name} WHERE n_sources > 1").fetchall()[0][0]
        preview = db.read(con, f"SELECT * FROM {EVENTS.name} ORDER BY event_date, event_id_cnty LIMIT 10")
    return dg.MaterializeResult(metadata={
        "rows": rows, "multi_source_events": multi, "by_event_type": str(by_type),
        "keys_updated": update.keys, "events_deleted": update.deleted, "events_inserted": update.inserted,
        "rebuilt_whole": update.full,
        "preview": _preview(preview, ["event_id_cnty", "event_date", "sub_event_type", "actor1", "country",
                                      "location", "fatalities", "n_sources"])}, check_results=results)


MART_KEYS = {name: dg.AssetKey(["marts", name]) for name in db.mart_sql()}
ACLED_COLUMNS_CHECK = dg.AssetCheckSpec("acled_columns", asset=MART_KEYS["acled_export"],
                                        description="ACLED's 31 columns, in order", blocking=True)


@dg.multi_asset(
    name="marts",
    specs=[dg.AssetSpec(key, deps=[_key(EVENTS)], description=db.mart_description(name), group_name="marts",
                        kinds={"duckdb", "sql"}, owners=OWNERS, freshness_policy=DAILY)
           for name, key in MART_KEYS.items()],
    check_specs=[ACLED_COLUMNS_CHECK], can_subset=True, pool=POOL,
)
def marts(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """The marts (warehouse/sql/*.sql), each brought up to date with core.events in its own transaction,
    rewriting only the rows that changed. One step for all of them: a step costs a short run more in Dagster's
    overhead than a mart costs to refresh."""
    with warehouse.writer() as con:
        for name, key in MART_KEYS.items():
            if key not in context.selected_asset_keys:
                continue
            rows = db.build_mart(con, name)
            preview = db.read(con, f"SELECT * FROM marts.{name} LIMIT 10")
            yield dg.MaterializeResult(asset_key=key, metadata={"rows": rows,
                                                                "preview": _preview(preview, preview.columns)})
        if ACLED_COLUMNS_CHECK.key in context.selected_asset_check_keys:
            passed, text, details = checks.acled_columns(con)
            yield dg.AssetCheckResult(asset_key=ACLED_COLUMNS_CHECK.asset_key, check_name=ACLED_COLUMNS_CHECK.name,
                                      passed=passed, description=text, metadata=details)


SNAPSHOT = dg.AssetKey(["warehouse", "snapshot"])


# Every table it publishes is a dependency, so a run of a subset (receive_job) still publishes after writing.
@dg.asset(key=SNAPSHOT, deps=[_key(t) for t in (RECEIPTS, RAW_DOCUMENTS, STAGED_DOCUMENTS, EVENT_MENTIONS, EVENTS)]
          + list(MART_KEYS.values()), group_name="warehouse", pool=POOL,
          kinds={"duckdb"}, owners=OWNERS, freshness_policy=DAILY)
def published_snapshot(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """The file analysts open: the work file, checkpointed and copied over the published snapshot at once, so
    readers see the last complete run (never a half-done one) and never hold up the next run."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with warehouse.writer() as con:
        with db.transaction(con):
            con.execute(f"UPDATE {RUNS.name} SET published_at = ?, extractor_version = ? WHERE run_id = ?",
                        [now, EXTRACTOR_VERSION, context.run.run_id])
        counts = pl.DataFrame([(t.name, _count(con, t)) for t in (RECEIPTS, RAW_DOCUMENTS, STAGED_DOCUMENTS,
                                                                  EVENT_MENTIONS, EVENTS, RUNS)],
                              schema=["table", "rows"], orient="row")
        size = warehouse.publish(con)
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(warehouse.path)), "bytes": size, "published_at": now.isoformat(),
        "schema_version": SCHEMA_VERSION, "extractor_version": EXTRACTOR_VERSION,
        "rows": int(counts.filter(pl.col("table") == EVENTS.name)["rows"][0]),
        "preview": _preview(counts, counts.columns)})


ASSETS = [raw_inbox, staging_documents, event_mentions, events, marts, published_snapshot]
