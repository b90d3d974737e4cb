"""Time partitions: core/event_mentions by the documents' day. A day (or a range, in one run) is coded again
through dg.materialize with a partition key or `events backfill`; runs of the whole pipeline record the days
they coded; integrity checks block what is downstream; tables declare their daily freshness."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
import yaml

from assets.pipeline import DAYS, EVENT_MENTIONS_KEY, SNAPSHOT
from assets.resources import Inbox, Reports, Warehouse
from orchestration.definitions import defs
from tests.conftest import DEMO, ROOT, materialize
from tests.test_reliability import snapshot
from warehouse import db
from warehouse.snapshot import work_path

DAY = "coalesce(s.published, CAST(r.received_at AS DATE))"


def coded_at(path: Path) -> dict[str, tuple[dt.date, dt.datetime]]:
    with db.reader(path) as con:
        return {d: (day, at) for d, day, at in con.execute(
            f"SELECT c.doc_id, {DAY}, c.coded_at FROM core.coding_runs c JOIN staging.documents s USING (doc_id) "
            "JOIN raw.documents r USING (doc_id)").fetchall()}


def resources(path: Path) -> dict:
    return {"inbox": Inbox(path=str(DEMO)), "warehouse": Warehouse(path=str(path)), "reports": Reports()}


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    assert materialize(DEMO, path).success
    return path


def test_a_day_is_coded_again_through_its_partition_key_and_only_that_day(demo):
    before, rows = coded_at(demo), snapshot(demo)
    day = max({d for d, _ in before.values()}, key=lambda d: sum(v[0] == d for v in before.values()))
    job = defs.resolve_job_def("days_job")
    result = job.execute_in_process(partition_key=day.isoformat(), instance=dg.DagsterInstance.ephemeral(),
                                    run_config={"resources": {
                                        "warehouse": {"config": {"path": str(demo)}},
                                        "reports": {"config": {"path": ""}}}})
    assert result.success
    after = coded_at(demo)
    again = {d for d in before if after[d][1] > before[d][1]}
    assert again == {d for d, (on, _) in before.items() if on == day} and again
    assert snapshot(demo) == rows  # the same coder gives the same rows


def test_dg_materialize_with_a_partition_key_codes_that_day_again(demo):
    before = coded_at(demo)
    day = next(iter(before.values()))[0]
    assets = [a for a in defs.assets if EVENT_MENTIONS_KEY in a.keys]
    result = dg.materialize(assets, partition_key=day.isoformat(), resources=resources(demo),
                            instance=dg.DagsterInstance.ephemeral())
    assert result.success
    with db.reader(work_path(demo)) as con:  # only the work file: downstream tables were not in this selection
        recoded = {d for (d,) in con.execute("SELECT doc_id FROM core.coding_runs WHERE coded_at > ?",
                                              [max(at for _, at in before.values())]).fetchall()}
    assert recoded == {d for d, (on, _) in before.items() if on == day}


def test_events_backfill_codes_a_range_of_days_in_one_run(demo):
    before = coded_at(demo)
    days = sorted({d for d, _ in before.values()})
    since, until = days[0], days[len(days) // 2]
    run = subprocess.run([sys.executable, "-m", "orchestration.cli", "backfill", "--since", since.isoformat(),
                          "--until", until.isoformat(), "--warehouse", str(demo)], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    expected = {d for d, (on, _) in before.items() if since <= on <= until}
    assert run.stdout.splitlines()[0].startswith(f"coded again: {len(expected)} documents of {since} to {until}")
    after = coded_at(demo)
    assert {d for d in before if after[d][1] > before[d][1]} == expected


def test_a_whole_pipeline_run_records_the_days_it_coded(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    (tmp_path / "home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        result = defs.resolve_job_def("events_job").execute_in_process(instance=instance, run_config={
            "resources": {"inbox": {"config": {"path": str(DEMO)}}, "warehouse": {"config": {"path": str(path)}},
                          "reports": {"config": {"path": ""}}}})
        assert result.success
        recorded = set(instance.get_materialized_partitions(EVENT_MENTIONS_KEY))
    assert recorded == {d.isoformat() for d, _ in coded_at(path).values()}
    assert recorded <= set(DAYS.get_partition_keys())


def test_a_failing_integrity_check_keeps_a_bad_batch_from_the_marts_and_the_readers(demo):
    with db.writer(work_path(demo)) as con:  # a batch that left a sub-event type ACLED does not have
        marts = con.execute("SELECT count(*) FROM marts.acled_export").fetchall()
        con.execute("UPDATE core.event_mentions SET sub_event_type = 'Tea party' WHERE mention_id = "
                    "(SELECT min(mention_id) FROM core.event_mentions)")
    published = demo.read_bytes()
    result = materialize(DEMO, demo, raise_on_error=False)
    assert not result.success
    failed = {e.asset_check_key.name for e in (x.event_specific_data for x in result.all_events
                                                if x.event_type_value == "ASSET_CHECK_EVALUATION")
              if not e.passed}
    assert "vocabularies_valid" in failed
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert "core__event_mentions" in started and "core__events" not in started  # blocked: never started
    ran = {e.event_specific_data.materialization.asset_key for e in result.get_asset_materialization_events()}
    assert not {k for k in ran if k.path[0] == "marts"} and SNAPSHOT not in ran
    assert demo.read_bytes() == published  # readers still have the last good snapshot
    with db.reader(work_path(demo)) as con:
        assert con.execute("SELECT count(*) FROM marts.acled_export").fetchall() == marts


def test_tables_declare_daily_freshness_and_the_instance_evaluates_it():
    graph = defs.resolve_asset_graph()
    fresh = {k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).freshness_policy is not None}
    assert {"core/events", "warehouse/snapshot", "marts/acled_export"} <= fresh
    assert yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())["freshness"] == {"enabled": True}


@pytest.mark.parametrize("now", [None, dt.datetime(2000, 2, 29, 13), dt.datetime(1980, 1, 1), dt.datetime(1979, 6, 1)])
def test_the_days_list_the_same_partition_keys_as_dagsters_daily_partitions(now):
    ours, dagsters = DAYS, dg.DailyPartitionsDefinition(start_date="1980-01-01", end_offset=1)
    assert ours.get_partition_keys(current_time=now) == dagsters.get_partition_keys(current_time=now)
    assert ours == dagsters  # same definition (equality, snapshots): only the listing is quicker
