"""The report asset: charts and a Markdown summary of `core.events`, as files and as metadata in the UI.

A run whose events are the same as those the folder's charts were drawn from reuses them (the charts are SVG
written directly, milliseconds to draw; the digest of the events is the stamp).
"""

import base64
import json
from pathlib import Path

import dagster as dg

from assets.pipeline import OWNERS, SNAPSHOT
from assets.resources import Reports, Warehouse
from warehouse import report

STAMP = ".events-fingerprint"  # beside the charts: the events they were drawn from


def fingerprint(con) -> str:
    """A digest of every row of core.events: equal digests, equal charts. Each row is digested alone and the
    digests joined: joining the rows themselves built one string the size of the table."""
    return con.execute("SELECT count(*) || '-' || coalesce(md5(string_agg(md5(CAST(e AS VARCHAR)), '' "
                       "ORDER BY e.event_id_cnty)), '') FROM core.events e").fetchall()[0][0]


def _drawn(folder: Path, stamp: str) -> tuple[dict[str, bytes], dict[str, str], str] | None:
    """The charts already in the folder (their titles, the summary), if they were drawn from these events."""
    try:
        drawn = json.loads((folder / STAMP).read_text())
        current = {chart.file: chart.title for chart in report.CHARTS}  # not charts of an older format
        if drawn["events"] != stamp or drawn["titles"] != current or not (folder / "summary.md").exists():
            return None
        return {name: (folder / name).read_bytes() for name in drawn["titles"]}, drawn["titles"], drawn["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _image(chart: bytes, title: str) -> str:
    """Markdown showing an SVG chart inline (a data URI), so the Dagster UI displays it without reaching the
    file."""
    return f"![{title}](data:image/svg+xml;base64,{base64.b64encode(chart).decode('ascii')})"


@dg.asset(
    key=dg.AssetKey(["reports", "summary"]), deps=[SNAPSHOT], group_name="reports",
    kinds={"duckdb", "svg", "markdown"}, owners=OWNERS,
)
def report_summary(warehouse: Warehouse, reports: Reports) -> dg.MaterializeResult:
    """Charts of the events (per ISO week by event type, a map by coordinates, the top actors) as SVG files and
    a Markdown summary (totals, date range, events by type, top countries and actors), written to the reports
    folder and shown in the UI. Reads the published snapshot; redraws only when the events changed."""
    folder = reports.folder(warehouse.path)
    with warehouse.reader() as con:
        stamp = fingerprint(con)
        drawn = _drawn(folder, stamp)
        if drawn is None:
            events = report.read_events(con)
    if drawn is None:
        charts = report.write_report(folder, events)
        summary, rows = report.summary_markdown(events), events.height
        titles = {chart.file: chart.title for chart in report.CHARTS}
        (folder / STAMP).write_text(json.dumps({"events": stamp, "titles": titles, "summary": summary}))
    else:
        (charts, titles, summary), rows = drawn, int(stamp.split("-")[0])
    return dg.MaterializeResult(metadata={
        "rows": rows, "redrawn": drawn is None,
        "summary": dg.MetadataValue.md(summary),
        **{f"chart_{name.removesuffix('.svg')}": dg.MetadataValue.md(_image(chart, titles[name]))
           for name, chart in charts.items()},
        "folder": dg.MetadataValue.path(str(folder)),
        "files": dg.MetadataValue.json(sorted([*charts, "summary.md"])),
    })


REPORT_ASSETS = [report_summary]
