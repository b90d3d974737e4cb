"""Scale-out: coding split into hash-bucket partitions that run in parallel and never write DuckDB.

Each partition of `parallel/coded` reads the staged documents of its bucket from the published snapshot (so
it never holds up a run), codes those this extractor version has not coded, and leaves the mentions and the
coding log as Parquet in the shared partitions folder. `core/event_mentions`, the one writer, loads whatever
the partitions left in one transaction before coding what is still missing, so `events run` alone gives the
same tables. Run the buckets in parallel with a backfill of `parallel_coding_job` (each partition is a run;
the run queue decides how many at once), on the multiprocess, Celery or Kubernetes executors alike.
"""

import dagster as dg
import polars as pl

from assets.pipeline import OWNERS, _key, _preview
from assets.resources import Warehouse
from extraction.batch import code_batch
from extraction.coder import EXTRACTOR_VERSION
from extraction.files import write_atomic
from schemas.tables import STAGED_DOCUMENTS
from warehouse import coding

N_BUCKETS = 8
BUCKETS = dg.StaticPartitionsDefinition([str(i) for i in range(N_BUCKETS)])
KEY = dg.AssetKey(["parallel", "coded"])


def bucket_expr() -> pl.Expr:
    """A document's bucket: from its content-hash id ("d" + hex), so it never changes."""
    return pl.col("doc_id").str.slice(1, 4).str.to_integer(base=16) % N_BUCKETS


@dg.asset(key=KEY, deps=[_key(STAGED_DOCUMENTS)], partitions_def=BUCKETS, group_name="parallel",
          kinds={"parquet", "spacy", "polars"}, owners=OWNERS)
def coded_bucket(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """One bucket of the staged documents coded into event mentions, left as Parquet in the shared partitions
    folder for `core/event_mentions` to load. Reads the published snapshot, so buckets run in parallel with
    each other and with runs of events_job."""
    bucket = int(context.partition_key)
    with warehouse.reader() as con:
        todo = coding.pending(con, EXTRACTOR_VERSION)
    todo = todo.filter(bucket_expr() == bucket)
    mentions, log = code_batch(todo)
    folder = warehouse.partitions_folder / EXTRACTOR_VERSION / f"bucket={bucket}"
    write_atomic(folder / "mentions.parquet", mentions.write_parquet)
    write_atomic(folder / "log.parquet", log.write_parquet)  # last: its presence marks a complete partition
    return dg.MaterializeResult(metadata={
        "documents": todo.height, "rows": mentions.height, "folder": dg.MetadataValue.path(str(folder)),
        "preview": _preview(mentions, ["doc_id", "event_date", "sub_event_type", "location", "evidence"])})


PARALLEL_ASSETS = [coded_bucket]
