"""The one `Definitions` the Dagster UI and the `events` CLI both load: assets, checks, job, schedule, sensor."""


import hashlib
import os
from pathlib import Path

import dagster as dg

from assets.pipeline import ASSETS
from assets.report import REPORT_ASSETS
from assets.resources import Inbox, Reports, Warehouse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_INBOX = PROJECT_ROOT / "data" / "demo"
DEFAULTS = {"EVENTS_INBOX": str(DEMO_INBOX), "EVENTS_WAREHOUSE": "warehouse.duckdb"}
DEFAULTS["EVENTS_REPORTS"] = ""  # empty: reports/ beside the warehouse file
for _name, _value in DEFAULTS.items():  # so dg.EnvVar always resolves, with documented defaults
    os.environ.setdefault(_name, _value)

events_job = dg.define_asset_job(
    "events_job",
    selection=dg.AssetSelection.all(),
    description="Materialize every asset once: receive the inbox, clean, code events, merge, build marts.",
    tags={"dagster/concurrency_key": "events_inbox"},
)

daily_schedule = dg.ScheduleDefinition(
    name="daily_events",
    job=events_job,
    cron_schedule="0 6 * * *",
    description="Every day at 06:00: pick up whatever the inbox received and refresh every table.",
)


def inbox_fingerprint(root: Path) -> str:
    """A hash of the inbox listing (names, sizes, mtimes): changes when a file arrives or changes."""
    h = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            stat = path.stat()
            h.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
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
    active = context.instance.get_runs(filters=dg.RunsFilter(
        job_name=events_job.name, statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED,
                                            dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]), limit=1)
    if active:
        return dg.SkipReason("a run of events_job is in progress; will look again")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


defs = dg.Definitions(
    assets=[*ASSETS, *REPORT_ASSETS],
    jobs=[events_job],
    schedules=[daily_schedule],
    sensors=[inbox_sensor],
    resources={
        "inbox": Inbox(path=dg.EnvVar("EVENTS_INBOX")),
        "warehouse": Warehouse(path=dg.EnvVar("EVENTS_WAREHOUSE")),
        "reports": Reports(path=dg.EnvVar("EVENTS_REPORTS")),
    },
)
