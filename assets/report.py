"""The report asset: charts and a Markdown summary of `core.events`, as files and as metadata in the UI."""

import base64

import dagster as dg

from assets.pipeline import OWNERS, SNAPSHOT
from assets.resources import Reports, Warehouse
from warehouse import report


def _image(png: bytes, title: str) -> str:
    """Markdown showing a PNG inline (a data URI), so the Dagster UI displays it without reaching the file."""
    return f"![{title}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"


@dg.asset(
    key=dg.AssetKey(["reports", "summary"]), deps=[SNAPSHOT], group_name="reports",
    kinds={"duckdb", "matplotlib", "markdown"}, owners=OWNERS,
)
def report_summary(warehouse: Warehouse, reports: Reports) -> dg.MaterializeResult:
    """Charts of the events (per ISO week by event type, a map by coordinates, the top actors) as PNG files and
    a Markdown summary (totals, date range, events by type, top countries and actors), written to the reports
    folder and shown in the UI. Reads the published snapshot."""
    with warehouse.reader() as con:
        events = report.read_events(con)
    folder = reports.folder(warehouse.path)
    charts = report.write_report(folder, events)
    titles = {chart.file: chart.title for chart in report.CHARTS}
    return dg.MaterializeResult(metadata={
        "rows": events.height,
        "summary": dg.MetadataValue.md(report.summary_markdown(events)),
        **{f"chart_{name.removesuffix('.png')}": dg.MetadataValue.md(_image(png, titles[name]))
           for name, png in charts.items()},
        "folder": dg.MetadataValue.path(str(folder)),
        "files": dg.MetadataValue.json(sorted([*charts, "summary.md"])),
    })


REPORT_ASSETS = [report_summary]
