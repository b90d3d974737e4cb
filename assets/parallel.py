"""Scale-out: coding fanned out over hash buckets whose steps run in parallel and never write DuckDB.

`parallel/coded` is one asset made of a graph: an op lists the buckets, one op per bucket codes the staged
documents of its bucket that this coder version has not coded (read from the published snapshot, so it never
holds up a run) and leaves their mentions and coding log as Parquet in the shared partitions folder; a last op
sums them up. On the multiprocess executor the bucket steps run in separate processes, on Celery each is a
task on a worker, on Kubernetes a pod. `core/event_mentions`, the one writer, consumes what they left: it loads
the Parquet in one transaction before coding what is still missing, so `events run` alone gives the same tables.
"""

import dagster as dg
import polars as pl

from assets.pipeline import EXTRACTOR_VERSION, OWNERS, PARALLEL, _key, _preview, code_batch
from assets.resources import Warehouse
from extraction.files import write_atomic
from schemas.tables import CODING_RUNS, EVENT_MENTIONS, STAGED_DOCUMENTS
from warehouse import coding

PREVIEW = ["doc_id", "event_date", "sub_event_type", "location", "evidence"]
N_BUCKETS = 4  # default: twice the cores of a small machine (each step loads spaCy and the gazetteer once)
KEY = PARALLEL
PAGE = 2000  # pending documents read at a time (a quarter of them, on average, fall in a step's bucket)


def bucket_expr(n: int = N_BUCKETS) -> pl.Expr:
    """A document's bucket of `n`: from its content-hash id ("d" + hex), so it never changes."""
    return pl.col("doc_id").str.slice(1, 4).str.to_integer(base=16) % n


class BucketsConfig(dg.Config):
    """How many parallel steps to split the documents into (more workers: more buckets)."""

    n: int = N_BUCKETS


@dg.op(ins={"staged": dg.In(dg.Nothing)}, out=dg.DynamicOut(tuple),
       description="One output per hash bucket of the documents: (bucket, number of buckets).")
def buckets(config: BucketsConfig):
    for bucket in range(config.n):
        yield dg.DynamicOutput((bucket, config.n), mapping_key=str(bucket))


@dg.op(description="Code one bucket's pending documents into Parquet (reads the published snapshot).",
       tags={"kind": "spacy"})
def code_bucket(context: dg.OpExecutionContext, warehouse: Warehouse, bucket: tuple) -> dict:
    bucket, n = bucket
    coded, n_docs = [], 0
    with warehouse.reader() as con:  # page by page: memory stays flat in the number of pending documents
        for page in coding.pages(lambda after: coding.pending(con, EXTRACTOR_VERSION, after=after, limit=PAGE)):
            todo = page.filter(bucket_expr(n) == bucket)
            if todo.height:
                coded.append(code_batch(todo))
                n_docs += todo.height
    mentions = pl.concat([m for m, _ in coded]) if coded else EVENT_MENTIONS.empty()
    log = pl.concat([lg for _, lg in coded]) if coded else CODING_RUNS.empty()
    folder = warehouse.partitions_folder / EXTRACTOR_VERSION / f"bucket={bucket}"
    write_atomic(folder / "mentions.parquet", mentions.write_parquet)
    write_atomic(folder / "log.parquet", log.write_parquet)  # last: its presence marks a complete bucket
    context.log.info(f"bucket {bucket}: {n_docs} documents, {mentions.height} mentions -> {folder}")
    return {"bucket": bucket, "documents": n_docs, "mentions": mentions.height,
            "preview": mentions.select(PREVIEW).head(3).to_dicts()}


@dg.op(description="What the buckets coded, as the asset's metadata.")
def coded_total(warehouse: Warehouse, results: list[dict]) -> dg.Output:
    # From what the steps returned, not from their files: the one writer may have loaded (and removed) them.
    mentions = pl.DataFrame([row for r in results for row in r["preview"]],
                            schema={c: EVENT_MENTIONS.schema[c] for c in PREVIEW})
    total = sum(r["documents"] for r in results)
    return dg.Output(total, metadata={
        "documents": total, "rows": sum(r["mentions"] for r in results), "buckets": len(results),
        "folder": dg.MetadataValue.path(str(warehouse.partitions_folder / EXTRACTOR_VERSION)),
        "preview": _preview(mentions, PREVIEW)})


@dg.graph_asset(key=KEY, ins={"staged": dg.AssetIn(_key(STAGED_DOCUMENTS), dagster_type=dg.Nothing)},
                group_name="parallel", kinds={"parquet", "spacy", "polars"}, owners=OWNERS,
                description="The staged documents this coder version has not coded, coded in parallel steps (one "
                            "per hash bucket) into Parquet in the shared partitions folder, for "
                            "`core/event_mentions` to load. Reads the published snapshot: it runs beside "
                            "events_job and never holds it up.")
def coded(staged):
    return coded_total(buckets(staged).map(code_bucket).collect())


PARALLEL_ASSETS = [coded]
