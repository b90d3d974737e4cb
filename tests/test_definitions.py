"""The Definitions the UI loads: asset keys and groups, checks, job, schedule and sensor."""

from __future__ import annotations

import os

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from assets.pipeline import POOL
from assets.resources import Inbox
from orchestration.definitions import daily_schedule, defs, inbox_fingerprint, inbox_sensor
from tests.conftest import ROOT

EXPECTED = {
    "raw/receipts", "raw/documents", "staging/documents", "core/event_mentions", "core/events",
    *(f"marts/{p.stem}" for p in (ROOT / "warehouse" / "sql").glob("*.sql")), "reports/summary", "parallel/coded",
    "warehouse/snapshot",
}


def test_asset_keys_and_groups():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == EXPECTED
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name == key.path[0]
        assert node.description
        assert node.owners
        assert node.kinds


def test_checks_schedule_and_sensor_are_defined():
    checks = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    assert {"every_receipt_explained", "schema_valid", "vocabularies_valid", "dates_plausible",
            "event_ids_unique", "acled_columns"} <= checks
    assert defs.resolve_schedule_def("daily_events").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "events_job"
    assert defs.resolve_job_def("events_job") is not None


def test_sensor_requests_a_run_only_when_the_inbox_changes(tmp_path):
    (tmp_path / "a.txt").write_text("Police arrested two men in Kano on Monday.")
    instance = dg.DagsterInstance.ephemeral()
    resources = {"inbox": Inbox(path=str(tmp_path))}  # the sensor reads the Inbox resource, not the environment
    first = inbox_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    assert isinstance(first, dg.RunRequest)
    unchanged = inbox_sensor(dg.build_sensor_context(instance=instance, cursor=inbox_fingerprint(tmp_path),
                                                     resources=resources))
    assert isinstance(unchanged, dg.SkipReason)
    (tmp_path / "b.txt").write_text("Protesters marched in Lima on Tuesday.")
    changed = inbox_sensor(dg.build_sensor_context(instance=instance, cursor=first.run_key, resources=resources))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key


def test_one_run_at_a_time_one_writer_at_a_time(tmp_path):
    """The instance `events ui` makes from deploy/dagster.yaml limits the writer pool and events_job runs to one;
    the schedule and the sensor start nothing while a run is in progress."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.txt").write_text("Police arrested two men in Kano on Monday.")
    ref = InstanceRef.from_dir(str(tmp_path / "home"), config_dir=str(ROOT / "deploy"))
    with dg.DagsterInstance.from_ref(ref) as instance:
        config = instance.get_concurrency_config()
        assert config.pool_config.default_pool_limit == 1
        writers = [n for n in defs.resolve_asset_graph().asset_nodes  # reports and parallel only read DuckDB
                   if n.key.path[0] not in ("reports", "parallel")]
        assert writers and all(node.pools == {POOL} for node in writers)
        tags = defs.resolve_job_def("events_job").tags
        limits = config.run_queue_config.tag_concurrency_limits
        assert any(limit["key"] in tags and limit["limit"] == 1 for limit in limits)

        def tick():
            return daily_schedule(dg.build_schedule_context(instance=instance))

        def sense():
            return inbox_sensor(dg.build_sensor_context(instance=instance,
                                                        resources={"inbox": Inbox(path=str(tmp_path / "inbox"))}))

        assert isinstance(tick(), dg.RunRequest)
        for status, job in zip((dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
                                dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING),
                               ("events_job", "days_job", "receive_job", "events_job"), strict=True):
            job_def = defs.resolve_job_def(job)  # every job that writes the warehouse counts
            run = instance.create_run_for_job(job_def=job_def, status=status, tags=job_def.tags)
            assert isinstance(tick(), dg.SkipReason), status
            assert isinstance(sense(), dg.SkipReason), status
            instance.report_run_failed(run)  # once it is over, the next tick and the sensor start a run again
            assert isinstance(tick(), dg.RunRequest) and isinstance(sense(), dg.RunRequest)


def test_inbox_fingerprint_survives_odd_entries_and_never_looks_through_links(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (outside / "a.txt").write_text("outside")
    (inbox / "linked").symlink_to(outside, target_is_directory=True)
    (inbox / "link.txt").symlink_to(outside / "a.txt")
    os.mkfifo(inbox / "pipe.txt")
    with open(os.path.join(os.fsencode(inbox), b"caf\xe9.txt"), "wb") as fh:  # a name that is not UTF-8
        fh.write(b"Police arrested two men in Kano.")
    first = inbox_fingerprint(inbox)
    (outside / "a.txt").write_text("outside, changed and longer")
    (outside / "b.txt").write_text("new outside")
    assert inbox_fingerprint(inbox) == first
    (inbox / "new.txt").write_text("Protesters marched in Lima.")
    assert inbox_fingerprint(inbox) != first
