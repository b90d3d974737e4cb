"""The Definitions the UI loads: asset keys and groups, checks, job, schedule and sensor."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import defs, inbox_fingerprint, inbox_sensor

EXPECTED = {
    "raw/receipts", "raw/documents", "staging/documents", "core/event_mentions", "core/events",
    "marts/events_by_country_month", "marts/acled_export", "reports/summary",
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


def test_checks_schedule_and_sensor_are_defined():
    checks = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    assert {"every_receipt_explained", "schema_valid", "vocabularies_valid", "dates_plausible",
            "event_ids_unique", "acled_columns"} <= checks
    assert defs.resolve_schedule_def("daily_events").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "events_job"
    assert defs.resolve_job_def("events_job") is not None


def test_sensor_requests_a_run_only_when_the_inbox_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTS_INBOX", str(tmp_path))
    (tmp_path / "a.txt").write_text("Police arrested two men in Kano on Monday.")
    instance = dg.DagsterInstance.ephemeral()
    first = inbox_sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(first, dg.RunRequest)
    unchanged = inbox_sensor(dg.build_sensor_context(instance=instance, cursor=inbox_fingerprint(tmp_path)))
    assert isinstance(unchanged, dg.SkipReason)
    (tmp_path / "b.txt").write_text("Protesters marched in Lima on Tuesday.")
    changed = inbox_sensor(dg.build_sensor_context(instance=instance, cursor=first.run_key))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key
