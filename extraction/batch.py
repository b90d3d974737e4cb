"""Batches of documents through the coder, shaped as the warehouse stores them: the same functions serve the
pipeline's serial steps, the parallel partitions and any other orchestrator."""

from __future__ import annotations

import datetime as dt

import polars as pl

from extraction.clean import stage
from extraction.coder import EXTRACTOR_VERSION, code_documents
from schemas.models import RawDocument, StagedDocument
from schemas.tables import CODING_RUNS, RAW_DOCUMENTS, STAGED_DOCUMENTS


def stage_batch(raw: pl.DataFrame) -> pl.DataFrame:
    """raw.documents rows -> staging.documents rows, stamped with the coder version that staged them."""
    staged = STAGED_DOCUMENTS.frame([stage(RawDocument(**row)) for row in
                                     raw.select(RAW_DOCUMENTS.columns).iter_rows(named=True)])
    return staged.with_columns(extractor_version=pl.lit(EXTRACTOR_VERSION, dtype=pl.String))


def code_batch(batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """staging.documents rows -> (event mentions, coding log): what each document yielded, by this version."""
    mentions = code_documents(StagedDocument(**row) for row in batch.select(STAGED_DOCUMENTS.columns)
                              .iter_rows(named=True))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    per_doc = mentions.group_by("doc_id").len(name="n_mentions")
    log = (batch.select("doc_id").join(per_doc, on="doc_id", how="left")
           .with_columns(extractor_version=pl.lit(EXTRACTOR_VERSION), coded_at=pl.lit(now),
                         n_mentions=pl.col("n_mentions").fill_null(0).cast(pl.Int64)))
    return mentions, log.select(CODING_RUNS.columns)
