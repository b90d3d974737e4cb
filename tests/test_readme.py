"""Every command in the README's shell blocks is executed here, in order, as a new user types it (`uv run X` is
X from this environment), in a fresh folder; the few that cannot run inside the suite say why."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [line.split(" #")[0].strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S)
            for line in block.splitlines() if line.split(" #")[0].strip()]
# Not run inside the suite, and why. Each still has a sibling that is run (same script, smaller or checked).
ELSEWHERE = {
    "uv run pytest": "the suite itself (CI runs it: .ci/run)",
    "uv run python benchmarks/bench.py --quick": "minutes: the same steps as --smoke, which runs here",
    "uv run python benchmarks/bench.py": "half an hour: the same steps as --smoke, which runs here",
    'redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes':
        "a broker for the celery workers: tests/test_celery.py starts one on a free port",
    **{f"EVENTS_EXECUTOR=celery uv run dagster-celery worker start -A dagster_celery.app -y deploy/celery-local.yaml "
       f"-n w{n} -d -- --concurrency=1": "a celery worker: tests/test_celery.py starts two" for n in (1, 2)},
    "EVENTS_EXECUTOR=celery uv run events dagster job execute -m orchestration.definitions -j parallel_coding_job "
    "-c deploy/celery-local.yaml": "the job on those workers: tests/test_celery.py runs it",
    "uv run python scripts/train_subevent.py --loco": "an hour of fits: the same script as --check",
    "uv run python scripts/train_subevent.py --check": "run as written by tests/test_subevent.py (needs ../shared)",
}
SLOW = 1200


def argv(command: str) -> list[str]:
    """`uv run events ...` / `uv run python ...` / `uv run dagster ...` as this environment runs them; files of
    the project named by a relative path keep meaning those files."""
    words = shlex.split(command)
    assert words[:2] == ["uv", "run"], f"README commands start with `uv run`: {command}"
    program, *rest = words[2:]
    rest = [str(ROOT / w) if not w.startswith("-") and "/" in w and (ROOT / w).exists() else w for w in rest]
    if program == "events":
        return [sys.executable, "-m", "orchestration.cli", *rest]
    if program == "python":
        return [sys.executable, *rest]
    raise AssertionError(f"no way to run {command!r} here")


def _span(command: str) -> int:
    """Days from --from to --to: a job backfill launches a run for each."""
    first, last = (dt.date.fromisoformat(d) for d in re.search(r"--from (\S+) --to (\S+)", command).groups())
    return (last - first).days + 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runs(home: Path, job: str) -> list:
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        return [r.dagster_run.status for r in instance.get_run_records(dg.RunsFilter(job_name=job))]


def _wait_for(what: str, check, timeout: float = SLOW, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


class UI:
    """`events ui` in the background on a free port, with the commands typed while it runs."""

    def __init__(self, command: str, cwd: Path, env: dict):
        self.port, self.log = _free_port(), cwd / "ui.log"
        self.proc = subprocess.Popen([*argv(command), "-p", str(self.port)], cwd=cwd, env=env,
                                     stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def up(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/server_info", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)


def test_the_readme_lists_its_commands_in_shell_blocks():
    assert COMMANDS[:2] == ["uv run events run", "uv run pytest"]  # its first lines: the two that matter most
    assert set(ELSEWHERE) <= set(COMMANDS), set(ELSEWHERE) - set(COMMANDS)


def test_every_readme_command_runs_as_written(tmp_path):
    home = tmp_path / "dagster-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTS_", "DAGSTER_"))}
    env.update(DAGSTER_HOME=str(home), EVENTS_PROGRESS="off")  # the documented override of .dagster/
    ui = None
    try:
        for command in COMMANDS:
            if command in ELSEWHERE:
                continue
            if command == "uv run events ui":
                ui = UI(command, tmp_path, env)
                _wait_for("the Dagster UI", ui.up, log=ui.log)
                # the sensor is on by default: it runs events_job on the (demo) inbox by itself
                _wait_for("the sensor's run", lambda: dg.DagsterRunStatus.SUCCESS in _runs(home, "events_job"),
                          log=ui.log)
                continue
            done = subprocess.run(argv(command), cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=SLOW)
            assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
            if "job backfill" in command:  # launched: the running UI's daemon does the work
                assert ui is not None, "a backfill through Dagster needs `events ui` running"
                _wait_for("the backfill's runs", lambda c=command: _runs(home, "days_job").count(
                    dg.DagsterRunStatus.SUCCESS) == _span(c), log=ui.log)
                assert set(_runs(home, "days_job")) == {dg.DagsterRunStatus.SUCCESS}
    finally:
        if ui is not None:
            ui.stop()
    assert (tmp_path / "warehouse.duckdb").exists() and home.is_dir()


@pytest.mark.parametrize("command", sorted(ELSEWHERE))
def test_commands_left_to_ci_or_to_a_sibling_are_real(command):
    script = next((w for w in shlex.split(command) if w.endswith(".py")), None)
    assert script is None or (ROOT / script).is_file()
    if "test_subevent.py" in ELSEWHERE[command]:
        assert "train_subevent.py" in (ROOT / "tests" / "test_subevent.py").read_text() and "--check" in command
