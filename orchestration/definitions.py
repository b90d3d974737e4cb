"""The one `Definitions` the Dagster UI and the `events` CLI both load: assets, checks, job, schedule, sensor."""


import hashlib
import os
from pathlib import Path

import dagster as dg

from assets.parallel import KEY, PARALLEL_ASSETS
from assets.pipeline import ASSETS, SNAPSHOT
from assets.report import REPORT_ASSETS
from assets.resources import Inbox, Reports, Warehouse
from orchestration.settings import DEFAULTS

for _name, _value in DEFAULTS.items():  # so dg.EnvVar always resolves, with documented defaults
    os.environ.setdefault(_name, _value)

events_job = dg.define_asset_job(
    "events_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(KEY),
    description="Materialize every asset once: receive the inbox, clean, code events, merge, build marts.",
    tags={"events/singleton": "events_job"},  # dagster.yaml limits runs with this tag to one at a time
)

receive_job = dg.define_asset_job(
    "receive_job",
    selection=dg.AssetSelection.groups("raw", "staging") | dg.AssetSelection.assets(SNAPSHOT),
    description="Receive and stage the inbox, then publish the snapshot: the first step of a parallel run (the "
                "coding partitions read the snapshot), before parallel_coding_job and events_job.",
    tags={"events/singleton": "events_job"},  # one writer: never beside a run of events_job
)


def parallel_job(executor: str = "multiprocess"):
    """The partitioned coding job on the executor a deployment uses: multiprocess (one machine), celery
    (dagster-celery workers) or k8s (dagster-k8s, a pod per step). The assets and their code are the same."""
    if executor == "celery":
        from dagster_celery import celery_executor as executor_def
    elif executor == "k8s":
        from dagster_k8s import k8s_job_executor as executor_def
    elif executor == "multiprocess":
        executor_def = dg.multiprocess_executor
    else:
        raise ValueError(f"EVENTS_EXECUTOR must be multiprocess, celery or k8s, not {executor!r}")
    return dg.define_asset_job(
        "parallel_coding_job",
        selection=dg.AssetSelection.assets(KEY),
        executor_def=executor_def,
        description="Code one hash bucket of the staged documents into Parquet (read-only on the warehouse). "
                    "Backfill all buckets to code in parallel, then run events_job: its one writer loads them.",
    )


parallel_coding_job = parallel_job(os.environ.get("EVENTS_EXECUTOR", "multiprocess"))

ACTIVE = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
          dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def run_in_progress(instance: dg.DagsterInstance) -> bool:
    """True while a run of events_job is queued, starting, running or being cancelled. The schedule and the
    sensor then request nothing, so two runs never work on the (one) inbox and warehouse at the same time."""
    return bool(instance.get_run_records(dg.RunsFilter(job_name=events_job.name, statuses=ACTIVE), limit=1))


@dg.schedule(
    name="daily_events",
    job=events_job,
    cron_schedule="0 6 * * *",
    description="Every day at 06:00: pick up whatever the inbox received and refresh every table; skipped "
                "while another run of the job is in progress.",
)
def daily_schedule(context: dg.ScheduleEvaluationContext):
    if run_in_progress(context.instance):
        return dg.SkipReason("a run of events_job is in progress; skipping this tick")
    return dg.RunRequest()


def inbox_fingerprint(root: Path) -> str:
    """A hash of the inbox listing (names, sizes, mtimes): changes when a file arrives or changes. Links are
    listed, never followed; any file name works (bytes that are not UTF-8 included)."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:  # gone since the listing
                continue
            h.update(os.fsencode(os.path.relpath(path, root)) + f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


@dg.sensor(
    job=events_job,
    minimum_interval_seconds=60,
    description="Starts a run when files in the inbox are added or changed (checked every minute); never "
                "while another run of the job is in progress.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    fingerprint = inbox_fingerprint(Path(os.environ["EVENTS_INBOX"]))
    if fingerprint == context.cursor:
        return dg.SkipReason("inbox unchanged")
    if run_in_progress(context.instance):
        return dg.SkipReason("a run of events_job is in progress; will look again")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


defs = dg.Definitions(
    assets=[*ASSETS, *REPORT_ASSETS, *PARALLEL_ASSETS],
    jobs=[events_job, receive_job, parallel_coding_job],
    schedules=[daily_schedule],
    sensors=[inbox_sensor],
    resources={
        "inbox": Inbox(path=dg.EnvVar("EVENTS_INBOX")),
        "warehouse": Warehouse(path=dg.EnvVar("EVENTS_WAREHOUSE"), partitions=dg.EnvVar("EVENTS_PARTITIONS")),
        "reports": Reports(path=dg.EnvVar("EVENTS_REPORTS")),
    },
)


def parallel_coding_job_def() -> dg.JobDefinition:
    """The partitioned coding job, for `dg.reconstructable` (executors that start each step in its own process)."""
    return defs.resolve_job_def("parallel_coding_job")
