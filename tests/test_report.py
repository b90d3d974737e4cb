"""The report: charts as PNG files of a fixed size, a Markdown summary whose totals are the warehouse's, the same
in the UI's metadata; an empty warehouse gives charts that say so."""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct

import dagster as dg
import polars as pl
import pytest
from matplotlib.dates import date2num

from tests.conftest import DEMO, materialize
from warehouse import db, report

KEY = dg.AssetKey(["reports", "summary"])
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (the first chunk, right after the signature)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _number(text: str, label: str) -> int:
    return int(re.search(rf"\*\*{label}:\*\* ([\d,]+)", text).group(1).replace(",", ""))


def _table(text: str, heading: str) -> list[list[str]]:
    """The body rows of the Markdown table under a '## heading'."""
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def _materialization(result: dg.ExecuteInProcessResult) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == KEY]
    return event.materialization.metadata


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The demo corpus materialized with the report written to a folder of its own."""
    root = tmp_path_factory.mktemp("report")
    result = materialize(DEMO, root / "w.duckdb", reports=root / "out")
    assert result.success
    return root / "w.duckdb", root / "out", _materialization(result)


def test_charts_are_pngs_of_the_fixed_size(demo_report):
    _, folder, _ = demo_report
    expected = (int(report.SIZE[0] * report.DPI), int(report.SIZE[1] * report.DPI))
    assert expected == (1200, 600)
    for chart in report.CHARTS:
        data = (folder / chart.file).read_bytes()
        assert _png_size(data) == expected
        assert len(data) > 10_000  # something was drawn
        assert b"tIME" not in data and b"Software" not in data  # nothing that changes from run to run


def test_summary_totals_match_the_warehouse(demo_report):
    path, folder, _ = demo_report
    text = (folder / "summary.md").read_text()
    with db.reader(path) as con:
        n, fatalities, first, last = con.execute(
            "SELECT count(*), sum(fatalities), min(event_date), max(event_date) FROM core.events").fetchone()
        by_type = dict(con.execute("SELECT event_type, count(*) FROM core.events GROUP BY ALL").fetchall())
        (top_country,) = con.execute("SELECT country FROM core.events GROUP BY ALL "
                                     "ORDER BY count(*) DESC, sum(fatalities) DESC, country LIMIT 1").fetchone()
        actor1 = dict(con.execute("SELECT actor1, count(*) FROM core.events GROUP BY ALL").fetchall())
    assert n >= 12
    assert _number(text, "Events") == n
    assert _number(text, "Fatalities") == fatalities
    assert f"{first} to {last}" in text
    types = {row[0]: int(row[1]) for row in _table(text, "Events by type")}
    assert {t: c for t, c in types.items() if c} == by_type
    assert _table(text, f"Top {report.TOP_ROWS} countries")[0][0] == top_country
    for actor, as_actor1, _, _ in _table(text, f"Top {report.TOP_ACTORS} actors"):
        assert int(as_actor1) == actor1.get(actor, 0)
    for chart in report.CHARTS:  # linked by relative path, so the folder can be moved or published as is
        assert f"]({chart.file})" in text


def test_metadata_shows_summary_and_charts_in_the_ui(demo_report):
    path, folder, metadata = demo_report
    with db.reader(path) as con:
        n = con.execute("SELECT count(*) FROM core.events").fetchone()[0]
    assert metadata["rows"].value == n
    assert metadata["summary"].value.startswith("# Events report")
    assert metadata["folder"].value == str(folder)
    for chart in report.CHARTS:
        markdown = metadata[f"chart_{chart.file.removesuffix('.png')}"].value
        encoded = re.fullmatch(r"!\[[^\]]+\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", markdown).group(1)
        assert base64.b64decode(encoded) == (folder / chart.file).read_bytes()


def test_reports_default_to_a_folder_beside_the_warehouse(demo_warehouse):
    folder = demo_warehouse.parent / "reports"
    shown = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))  # not the hidden stamp
    assert shown == sorted([*(c.file for c in report.CHARTS), "summary.md"])


def test_empty_warehouse_gives_charts_that_say_so(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    result = materialize(inbox, tmp_path / "w.duckdb", reports=tmp_path / "out")
    assert result.success
    assert _materialization(result)["rows"].value == 0
    assert "No events in the warehouse yet" in (tmp_path / "out" / "summary.md").read_text()
    for chart in report.CHARTS:
        assert _png_size((tmp_path / "out" / chart.file).read_bytes()) == (1200, 600)


# ---------------------------------------------------------------- the pure functions, on events written here

def _events(rows: list[dict]) -> pl.DataFrame:
    """Events with the columns read_events returns; unspecified fields are empty."""
    schema = {"event_id_cnty": pl.String, "event_date": pl.Date, "event_type": pl.String,
              "sub_event_type": pl.String, "actor1": pl.String, "actor2": pl.String, "country": pl.String,
              "location": pl.String, "latitude": pl.Float64, "longitude": pl.Float64, "fatalities": pl.Int64,
              "counts": pl.List(pl.Struct({"kind": pl.String, "value": pl.Int64, "qualifier": pl.String})),
              "doc_ids": pl.List(pl.String)}
    assert list(schema) == report.COLUMNS
    filled = [{"event_id_cnty": f"E{i}", "doc_ids": [f"d{i}"], "counts": [], **row} for i, row in enumerate(rows)]
    return pl.DataFrame(filled, schema=schema)


SAMPLE = _events([
    {"event_date": dt.date(2025, 3, 3), "event_type": "Protests", "actor1": "Protesters (Kenya)",
     "country": "Kenya", "location": "Nairobi", "latitude": -1.28, "longitude": 36.82, "fatalities": 0,
     "counts": [{"kind": "arrested", "value": 14, "qualifier": "exact"}]},
    {"event_date": dt.date(2025, 3, 9), "event_type": "Protests", "actor1": "Protesters (Kenya)",
     "actor2": "Police Forces of Kenya", "country": "Kenya", "location": "Nairobi", "latitude": -1.28,
     "longitude": 36.82, "fatalities": 2, "counts": [{"kind": "killed", "value": 2, "qualifier": "at_least"},
                                                     {"kind": "arrested", "value": 3, "qualifier": "exact"}]},
    {"event_date": dt.date(2025, 3, 26), "event_type": "Battles", "actor1": "Police Forces of Kenya",
     "actor2": "Unidentified Armed Group (Kenya)", "country": "Kenya", "location": "Garissa", "latitude": -0.45,
     "longitude": 39.65, "fatalities": 5},
    {"event_date": None, "event_type": "Riots", "actor1": "Rioters (Kenya)", "country": "Kenya", "fatalities": 0},
])


def test_weekly_counts_start_on_monday_and_keep_empty_weeks():
    weekly = report.weekly_counts(SAMPLE)
    weeks = sorted(set(weekly["week"]))
    assert weeks == [dt.date(2025, 3, 3), dt.date(2025, 3, 10), dt.date(2025, 3, 17), dt.date(2025, 3, 24)]
    assert all(w.isoweekday() == 1 for w in weeks)
    per_week = dict(weekly.group_by("week").agg(pl.col("events").sum()).rows())
    assert per_week == {weeks[0]: 2, weeks[1]: 0, weeks[2]: 0, weeks[3]: 1}  # the undated riot is left out


def test_actor_and_people_counts():
    actors = {row["actor"]: (row["as_actor1"], row["as_actor2"]) for row in report.actor_counts(SAMPLE).to_dicts()}
    assert actors["Protesters (Kenya)"] == (2, 0)
    assert actors["Police Forces of Kenya"] == (1, 1)
    assert report.actor_counts(SAMPLE)["actor"][0] in {"Protesters (Kenya)", "Police Forces of Kenya"}
    people = report.people_counts(SAMPLE)
    assert people["arrested"] == 17 and people["killed"] == 2 and people["displaced"] == 0


def test_charts_are_deterministic_and_survive_missing_fields():
    assert report.render(SAMPLE) == report.render(SAMPLE)
    unlocated = SAMPLE.with_columns(latitude=None, longitude=None)
    assert _png_size(report.chart_map(unlocated)) == (1200, 600)
    undated = SAMPLE.with_columns(event_date=None)
    assert _png_size(report.chart_weekly(undated)) == (1200, 600)
    assert "Date range:** no dates" in report.summary_markdown(undated)
    untyped = SAMPLE.with_columns(event_type=None, location=None)
    assert _png_size(report.chart_map(untyped)) == (1200, 600)
    assert report.type_counts(untyped).filter(pl.col("events") > 0).rows() == [("Unknown", 4, 7)]


def test_map_extent_stays_on_the_globe():
    x0, x1, y0, y1 = report._extent([178.0, 179.5], [-89.0, -88.0], aspect=2.0)
    assert -180 <= x0 < 178 and 179.5 < x1 <= 180 and -90 <= y0 < -89 and -88 < y1 <= 90
    assert report._extent([-170.0, 170.0], [-60.0, 70.0], aspect=2.0) == (-180, 180, -90, 90)


def test_events_at_one_place_show_as_separate_dots():
    fig = report.map_figure(SAMPLE)  # two Nairobi events at the very same coordinates
    ax = fig.axes[0]
    dots = [tuple(p) for c in ax.collections[1:] for p in ax.transData.transform(c.get_offsets())]
    assert len(dots) == 3  # the three located events (the backdrop is the first collection)
    assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) >= 4 for i, a in enumerate(dots) for b in dots[i + 1:]), dots


def test_legend_labels_stay_inside_the_figure():
    long_type = "Violence against civilians, as reported by several different and rather wordy sources"
    events = SAMPLE.with_columns(event_type=pl.when(pl.col("location") == "Garissa").then(pl.lit(long_type))
                                 .otherwise("event_type"))
    for figure in (report.map_figure(events), report.weekly_figure(events)):
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        legends = [*figure.legends, *(a.get_legend() for a in figure.axes if a.get_legend())]
        texts = [t for legend in legends for t in legend.get_texts()]
        assert any("wordy" in t.get_text() for t in texts)
        for text in texts:
            box = text.get_window_extent(renderer)
            assert 0 <= box.x0 and box.x1 <= figure.bbox.x1, text.get_text()


def test_weekly_chart_shows_fatalities_per_week():
    fig = report.weekly_figure(SAMPLE)
    events_ax, deaths_ax = fig.axes
    weeks = {dt.date(2025, 3, 3): 2, dt.date(2025, 3, 24): 5}  # SAMPLE's fatalities by ISO week
    bars = sorted((round(p.get_x()), p.get_height()) for p in deaths_ax.patches)
    assert bars == sorted((round(date2num(w)), n) for w, n in weeks.items())
    assert sum(p.get_height() for p in events_ax.patches) == 3  # the three dated events


def _report_metadata(result: dg.ExecuteInProcessResult) -> dict:
    return next(e.event_specific_data.materialization.metadata for e in result.get_asset_materialization_events()
                if e.event_specific_data.materialization.asset_key.path == ["reports", "summary"])


def test_charts_are_redrawn_only_when_the_events_change(demo_inbox, tmp_path):
    path, folder = tmp_path / "w.duckdb", tmp_path / "reports"
    first = _report_metadata(materialize(demo_inbox, path, folder))
    drawn = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.png")}
    again = _report_metadata(materialize(demo_inbox, path, folder))  # nothing new: the same events
    assert first["redrawn"].value and not again["redrawn"].value
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.png")} == drawn  # untouched
    assert again["summary"] == first["summary"] and again["rows"] == first["rows"]
    assert {k for k in again if k.startswith("chart_")} == {k for k in first if k.startswith("chart_")}
    (demo_inbox / "new.txt").write_text("On 2 May 2024, gunmen killed four farmers near Jos, Nigeria.")
    third = _report_metadata(materialize(demo_inbox, path, folder))
    assert third["redrawn"].value and third["rows"].value == first["rows"].value + 1


def test_events_fingerprint_follows_every_row_without_joining_the_rows(tmp_path):
    from assets.report import fingerprint

    with db.writer(tmp_path / "w.duckdb") as con:
        empty = fingerprint(con)
        con.execute("INSERT INTO core.events (event_id_cnty, notes) VALUES ('KEN-1', 'a'), ('KEN-2', 'b')")
        two = fingerprint(con)
        assert two.startswith("2-") and two != empty and fingerprint(con) == two
        con.execute("UPDATE core.events SET notes = 'c' WHERE event_id_cnty = 'KEN-2'")
        assert fingerprint(con) not in {two, empty}
