"""Scale-out for real: the partitioned coding job on Dagster's celery executor, with a Redis broker on loopback
started here and two celery worker processes; what they code, loaded by the one writer, equals a serial run."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml

from orchestration.definitions import celery_coding_job_def
from tests.conftest import DEMO, ROOT, materialize
from tests.test_parallel import _ids, _receive_and_stage

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (Debian: apt-get install "
                                                     "redis-server; .ci/run installs it where it can)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"redis-server did not listen on {port}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the worker and its pool process (its own process group)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_until_ready(logs: list[Path], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(" ready." in log.read_text() for log in logs):
            return
        time.sleep(0.5)
    raise TimeoutError("celery workers not ready: " + " | ".join(log.read_text()[-500:] for log in logs))


def test_the_parallel_job_on_celery_workers_equals_a_serial_run(tmp_path, monkeypatch):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    assert materialize(DEMO, serial).success
    assert _receive_and_stage(parallel).success

    port = _free_port()
    config = yaml.safe_load((ROOT / "deploy" / "celery-local.yaml").read_text())
    for name in ("broker", "backend"):
        config["execution"]["config"][name] = config["execution"]["config"][name].replace(":6379/", f":{port}/")
    config_file = tmp_path / "celery.yaml"
    config_file.write_text(yaml.safe_dump(config))
    home = tmp_path / "dagster_home"
    home.mkdir()
    env = {**os.environ, "EVENTS_WAREHOUSE": str(parallel), "EVENTS_PARTITIONS": str(tmp_path / "partitions"),
           "EVENTS_EXECUTOR": "celery", "DAGSTER_HOME": str(home)}
    procs = [subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                               "no"], stdout=subprocess.DEVNULL, start_new_session=True)]
    try:
        _wait_for_port(port)
        bin_dir = Path(sys.executable).parent
        for key in ("EVENTS_WAREHOUSE", "EVENTS_PARTITIONS"):
            monkeypatch.setenv(key, env[key])
        # The instance's storage exists before the workers start (two creating it at once would race).
        with dg.instance_for_test(temp_dir=str(home)) as instance:
            for n in (1, 2):  # two workers, one task at a time each, started one after the other
                log = tmp_path / f"worker{n}.log"
                procs.append(subprocess.Popen(
                    [str(bin_dir / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app", "-y",
                     str(config_file), "-n", f"w{n}", "--", "--concurrency=1"], cwd=ROOT, env=env,
                    stdout=subprocess.DEVNULL, stderr=log.open("w"), start_new_session=True))
                _wait_until_ready([log])
            result = dg.execute_job(dg.reconstructable(celery_coding_job_def), instance, run_config=config)
            assert result.success, [(tmp_path / f"worker{n}.log").read_text()[-2000:] for n in (1, 2)]
            pids = {e.pid for e in result.all_events if e.is_step_success and "code_bucket" in e.step_key}
            assert len(pids) == 2 and os.getpid() not in pids  # the bucket steps ran in both workers
    finally:
        for proc in reversed(procs):
            _stop(proc)
    assert len(list((tmp_path / "partitions").rglob("log.parquet"))) == 4

    assert materialize(DEMO, parallel).success  # the one writer loads what the workers left
    for sql in ("SELECT mention_id FROM core.event_mentions", "SELECT event_id_cnty FROM core.events",
                "SELECT doc_id FROM core.coding_runs"):
        assert _ids(parallel, sql) == _ids(serial, sql), sql
