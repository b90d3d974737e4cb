"""The one `Definitions` the Dagster UI and the `events` CLI both load: assets, checks, jobs, schedule, sensor.

Configuration reaches the code through the resources: an `EVENTS_*` environment variable that is set is read
at run time through `dg.EnvVar`; one that is not set gives the documented default (orchestration.settings).
Nothing here writes the environment.
"""


import os

import dagster as dg

from assets.parallel import KEY, PARALLEL_ASSETS
from assets.pipeline import ASSETS, EVENT_MENTIONS_KEY, SNAPSHOT
from assets.report import REPORT_ASSETS
from assets.resources import Inbox, Reports, Warehouse
from orchestration.settings import DEFAULTS
from warehouse.uptodate import inbox_fingerprint


def setting(name: str) -> str | dg.EnvVar:
    """The environment variable through dg.EnvVar when it is set, else its documented default."""
    return dg.EnvVar(name) if os.environ.get(name) else DEFAULTS[name]


SINGLETON = {"events/singleton": "events_job"}  # dagster.yaml runs these one at a time: one writer
# The writing jobs run their steps in one process: the writes are one at a time anyway, and spaCy and the
# gazetteer load once instead of once per step. (parallel_coding_job is the one that spreads out.)
IN_PROCESS = dg.in_process_executor

events_job = dg.define_asset_job(
    "events_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(KEY),
    description="Materialize every asset once: receive the inbox, clean, code what is pending on any day, merge, "
                "build marts, publish the snapshot. With a day (or a range), code that day's documents again.",
    tags=SINGLETON,
    executor_def=IN_PROCESS,
)

days_job = dg.define_asset_job(
    "days_job",
    selection=dg.AssetSelection.assets(EVENT_MENTIONS_KEY).downstream(),
    description="Code again the documents of some days (a partition or a range: one run), then merge, build the "
                "marts and publish. What `events backfill --since --until` runs; new inbox files wait for events_job.",
    tags=SINGLETON,
    executor_def=IN_PROCESS,
)

receive_job = dg.define_asset_job(
    "receive_job",
    selection=dg.AssetSelection.groups("raw", "staging") | dg.AssetSelection.assets(SNAPSHOT),
    description="Receive and stage the inbox, then publish the snapshot: the first step of a parallel run (the "
                "coding partitions read the snapshot), before parallel_coding_job and events_job.",
    tags=SINGLETON,
    executor_def=IN_PROCESS,
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
        description="Code the pending staged documents in parallel steps, one per hash bucket, into Parquet "
                    "(reads the published snapshot); then run events_job: its one writer loads them.",
    )


parallel_coding_job = parallel_job(os.environ.get("EVENTS_EXECUTOR") or DEFAULTS["EVENTS_EXECUTOR"])

ACTIVE = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
          dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def run_in_progress(instance: dg.DagsterInstance) -> bool:
    """True while a run that writes the warehouse (events_job, days_job, receive_job) is queued, starting,
    running or being cancelled. The schedule and the sensor then request nothing, so two runs never work on the
    (one) inbox and warehouse at the same time."""
    return bool(instance.get_run_records(dg.RunsFilter(tags=SINGLETON, statuses=ACTIVE), limit=1))


@dg.schedule(
    name="daily_events",
    job=events_job,
    cron_schedule="0 6 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,  # safe: it skips while a run is in progress
    description="Every day at 06:00: pick up whatever the inbox received and refresh every table; skipped "
                "while another run of the job is in progress.",
)
def daily_schedule(context: dg.ScheduleEvaluationContext):
    if run_in_progress(context.instance):
        return dg.SkipReason("a run of events_job is in progress; skipping this tick")
    return dg.RunRequest()


@dg.sensor(
    job=events_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,  # safe: one run per change, never beside a run in progress
    description="Starts a run when files in the inbox are added or changed (checked every minute); never "
                "while another run of the job is in progress.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, inbox: Inbox):
    fingerprint = inbox_fingerprint(inbox.root)
    if fingerprint == context.cursor:
        return dg.SkipReason("inbox unchanged")
    if run_in_progress(context.instance):
        return dg.SkipReason("a run of events_job is in progress; will look again")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


defs = dg.Definitions(
    assets=[*ASSETS, *REPORT_ASSETS, *PARALLEL_ASSETS],
    jobs=[events_job, days_job, receive_job, parallel_coding_job],
    schedules=[daily_schedule],
    sensors=[inbox_sensor],
    resources={
        "inbox": Inbox(path=setting("EVENTS_INBOX")),
        "warehouse": Warehouse(path=setting("EVENTS_WAREHOUSE"), partitions=setting("EVENTS_PARTITIONS")),
        "reports": Reports(path=setting("EVENTS_REPORTS")),
    },
)


def parallel_coding_job_def() -> dg.JobDefinition:
    """The parallel coding job, for `dg.reconstructable` (executors that start each step in its own process)."""
    return defs.resolve_job_def("parallel_coding_job")


def celery_coding_job_def() -> dg.JobDefinition:
    """The parallel coding job on Dagster's celery executor, for `dg.reconstructable`: each bucket step is a
    task that a celery worker (`dagster-celery worker start`) picks from the broker and runs."""
    return dg.Definitions(assets=defs.assets, jobs=[parallel_job("celery")], resources=defs.resources
                          ).resolve_job_def("parallel_coding_job")
