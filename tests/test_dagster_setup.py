"""A Dagster set-up that keeps its state: a persistent instance folder with the project's dagster.yaml, the
schedule and the sensor running by default, configuration only through resources (no environment writes)."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from orchestration import cli
from orchestration.definitions import daily_schedule, defs, inbox_sensor
from tests.conftest import DEMO, ROOT

EVENTS = [sys.executable, "-m", "orchestration.cli"]
# Outside the project root on purpose: `dagster dev` warns about a dagster.yaml beside it that is not in
# DAGSTER_HOME.
SETTINGS = ROOT / "deploy" / "dagster.yaml"


def test_importing_the_definitions_writes_nothing_to_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTS_")}
    probe = ("import os; before = dict(os.environ); import orchestration.definitions, orchestration.cli; "
             "print(sorted(k for k, _ in set(os.environ.items()) ^ set(before.items()) "
             "if k.startswith(('EVENTS_', 'DAGSTER_'))))")  # ours; libraries may tune their own (jemalloc)
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_settings_reach_the_resources_through_env_vars_or_their_defaults(monkeypatch):
    from orchestration.definitions import setting

    monkeypatch.delenv("EVENTS_INBOX", raising=False)
    assert setting("EVENTS_INBOX") == str(DEMO)
    monkeypatch.setenv("EVENTS_INBOX", "/srv/news")
    assert setting("EVENTS_INBOX") == dg.EnvVar("EVENTS_INBOX")


def test_the_schedule_and_the_sensor_run_by_default():
    assert daily_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert inbox_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert "inbox" in inbox_sensor.required_resource_keys  # reads the Inbox resource, not EVENTS_INBOX


def test_the_project_instance_is_dot_dagster_with_the_projects_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "dagster.yaml").write_text(SETTINGS.read_text())
    monkeypatch.setattr("orchestration.settings.PROJECT_ROOT", tmp_path)
    home = cli.dagster_home()
    assert home == tmp_path / ".dagster" and (home / "dagster.yaml").read_text() == SETTINGS.read_text()
    (tmp_path / "deploy" / "dagster.yaml").write_text("concurrency:\n  pools:\n    default_limit: 2\n")  # changed
    assert (cli.dagster_home() / "dagster.yaml").read_text().endswith("default_limit: 2\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "mine"))  # a home of one's own: made, its settings its own
    assert cli.dagster_home() == tmp_path / "mine" and not (tmp_path / "mine" / "dagster.yaml").exists()


def test_runs_are_kept_in_the_instance_across_processes(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(SETTINGS.read_text())
    env = {**os.environ, "DAGSTER_HOME": str(home), "EVENTS_INBOX": str(DEMO),
           "EVENTS_WAREHOUSE": str(tmp_path / "warehouse.duckdb")}
    first = subprocess.run([*EVENTS, "dagster", "job", "execute", "-m", "orchestration.definitions", "-j",
                            "receive_job"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    assert (tmp_path / "warehouse.duckdb").exists()  # EVENTS_* paths mean what they mean here
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:  # a later process
        runs = instance.get_run_records(dg.RunsFilter(job_name="receive_job"))
        assert [r.dagster_run.status for r in runs] == [dg.DagsterRunStatus.SUCCESS]
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_every_job_that_writes_runs_in_one_process_and_the_parallel_one_spreads_out():
    for name in ("events_job", "days_job", "receive_job"):
        assert defs.resolve_job_def(name).executor_def.name == "in_process", name
    assert defs.resolve_job_def("parallel_coding_job").executor_def.name != "in_process"


def test_a_new_clone_keeps_the_instance_out_of_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".dagster/" in ignored and SETTINGS.is_file() and not (ROOT / "dagster.yaml").exists()
