"""Scale-out: documents coded in parallel bucket steps (Parquet in a shared folder) and loaded by the one writer
give exactly the tables a serial run gives; the parallel job runs on the multiprocess executor."""

from __future__ import annotations

import dagster as dg
import polars as pl
import pytest
import yaml

from assets.parallel import N_BUCKETS, bucket_expr, coded
from assets.pipeline import ASSETS
from assets.resources import Inbox, Warehouse
from extraction.ingest import doc_id_for
from orchestration.definitions import defs, parallel_coding_job_def, parallel_job
from tests.conftest import DEMO, ROOT, materialize
from warehouse import db


def _ids(path, sql):
    with db.reader(path) as con:
        return sorted(r[0] for r in con.execute(sql).fetchall())


def _receive_and_stage(warehouse):
    """What receive_job does: receive and stage the inbox, then publish the snapshot the partitions read."""
    front = [a for a in ASSETS if {k.path[0] for k in a.keys} <= {"raw", "staging", "warehouse"}]
    resources = {"inbox": Inbox(path=str(DEMO)), "warehouse": Warehouse(path=str(warehouse))}
    return dg.materialize(front, resources=resources, instance=dg.DagsterInstance.ephemeral())


def test_buckets_are_stable_and_cover_every_document():
    ids = pl.DataFrame({"doc_id": [doc_id_for(f"report {i}") for i in range(400)]})
    buckets = ids.select(bucket_expr())["doc_id"]
    assert set(buckets) == set(range(N_BUCKETS))
    assert buckets.to_list() == ids.select(bucket_expr())["doc_id"].to_list()


def test_parallel_steps_then_the_one_writer_equal_a_serial_run(tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    assert materialize(DEMO, serial).success
    assert _receive_and_stage(parallel).success
    result = dg.materialize([coded], resources={"warehouse": Warehouse(path=str(parallel))},
                            instance=dg.DagsterInstance.ephemeral())
    assert result.success
    assert len([e for e in result.all_events if e.is_step_success]) == N_BUCKETS + 2  # fan out, one per bucket, sum
    folder = tmp_path / "partitions"
    assert len(list(folder.rglob("log.parquet"))) == N_BUCKETS
    assert _ids(parallel, "SELECT count(*) FROM core.event_mentions") == [0]  # partitions never write DuckDB

    result = materialize(DEMO, parallel)
    assert result.success
    meta = next(m for m in (e.event_specific_data.materialization for e in result.get_asset_materialization_events())
                if m.asset_key == dg.AssetKey(["core", "event_mentions"]) and m.partition is None).metadata
    assert meta["documents_coded"].value == 0 and meta["documents_from_partitions"].value == 14
    assert list(folder.rglob("*.parquet")) == []  # loaded, then removed
    for sql in ("SELECT mention_id FROM core.event_mentions", "SELECT event_id_cnty FROM core.events",
                "SELECT doc_id FROM core.coding_runs"):
        assert _ids(parallel, sql) == _ids(serial, sql), sql


def test_the_parallel_job_runs_on_the_multiprocess_executor(tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    assert _receive_and_stage(warehouse).success
    monkeypatch.setenv("EVENTS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("EVENTS_PARTITIONS", str(tmp_path / "shared"))
    run_config = yaml.safe_load((ROOT / "deploy" / "multiprocess.yaml").read_text())
    (tmp_path / "home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        result = dg.execute_job(dg.reconstructable(parallel_coding_job_def), instance, run_config=run_config)
        assert result.success
        pids = {e.pid for e in result.all_events if e.is_step_success and "code_bucket" in e.step_key}
        assert len(pids) > 1  # the bucket steps ran in processes of their own
    assert len(list((tmp_path / "shared").rglob("log.parquet"))) == N_BUCKETS
    assert "parallel_coding_job" in {j.name for j in defs.resolve_all_job_defs()}


@pytest.mark.parametrize("executor", ["celery", "k8s"])
def test_the_same_job_validates_on_celery_and_kubernetes(executor):
    """deploy/<executor>.yaml is valid run config for the parallel job on that executor (no broker or
    cluster needed to check it); the assets and their code are the same as on one machine."""
    job = dg.Definitions(assets=defs.assets, jobs=[parallel_job(executor)], resources=defs.resources
                         ).resolve_job_def("parallel_coding_job")
    config = yaml.safe_load((ROOT / "deploy" / f"{executor}.yaml").read_text())
    resolved = dg.validate_run_config(job, config)
    assert executor in resolved["execution"]
    if executor == "k8s":
        assert "EVENTS_PARTITIONS=/shared/partitions" in resolved["execution"]["k8s"]["env_vars"]
    with pytest.raises(ValueError):
        parallel_job("slurm")
