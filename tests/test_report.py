"""The report: charts as SVG files of a fixed size that draw the events' figures, a Markdown summary whose totals
are the warehouse's, the same in the UI's metadata; an empty warehouse gives charts that say so."""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import zlib
from xml.etree import ElementTree

import dagster as dg
import numpy as np
import polars as pl
import pytest

from tests.conftest import DEMO, materialize
from warehouse import charts, db, report, svg

KEY = dg.AssetKey(["reports", "summary"])
NS = "{http://www.w3.org/2000/svg}"


def _svg(data: bytes) -> ElementTree.Element:
    root = ElementTree.fromstring(data)
    assert root.tag == f"{NS}svg"
    return root


def _svg_size(data: bytes) -> tuple[int, int]:
    root = _svg(data)
    return int(root.get("width")), int(root.get("height"))


def _png_pixels(data: bytes) -> np.ndarray:
    """The RGB pixels of a PNG written by svg.png (one IDAT chunk, filter 0 on every row)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    length = struct.unpack(">I", data[33:37])[0]
    assert data[37:41] == b"IDAT"
    rows = np.frombuffer(zlib.decompress(data[41 : 41 + length]), np.uint8).reshape(height, 1 + 3 * width)
    assert not rows[:, 0].any()
    return rows[:, 1:].reshape(height, width, 3)


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


def test_charts_are_svgs_of_the_fixed_size(demo_report):
    _, folder, _ = demo_report
    assert (charts.WIDTH, charts.HEIGHT) == (1200, 600)
    for chart in report.CHARTS:
        data = (folder / chart.file).read_bytes()
        assert chart.file.endswith(".svg") and _svg_size(data) == (1200, 600)
        assert len(_svg(data)) > 20  # something was drawn


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
        markdown = metadata[f"chart_{chart.file.removesuffix('.svg')}"].value
        encoded = re.fullmatch(r"!\[[^\]]+\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", markdown).group(1)
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
        data = (tmp_path / "out" / chart.file).read_bytes()
        assert _svg_size(data) == (1200, 600) and b"No events in the warehouse yet" in data


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
    assert _svg_size(report.chart_map(unlocated)) == (1200, 600)
    undated = SAMPLE.with_columns(event_date=None)
    assert _svg_size(report.chart_weekly(undated)) == (1200, 600)
    assert "Date range:** no dates" in report.summary_markdown(undated)
    untyped = SAMPLE.with_columns(event_type=None, location=None)
    assert _svg_size(report.chart_map(untyped)) == (1200, 600)
    assert report.type_counts(untyped).filter(pl.col("events") > 0).rows() == [("Unknown", 4, 7)]


def test_map_extent_stays_on_the_globe():
    x0, x1, y0, y1 = charts._extent([178.0, 179.5], [-89.0, -88.0], aspect=2.0)
    assert -180 <= x0 < 178 and 179.5 < x1 <= 180 and -90 <= y0 < -89 and -88 < y1 <= 90
    assert charts._extent([-170.0, 170.0], [-60.0, 70.0], aspect=2.0) == (-180, 180, -90, 90)


def test_events_at_one_place_show_as_separate_dots():
    located = SAMPLE.drop_nulls("latitude")  # two Nairobi events at the very same coordinates
    frame = charts.map_frame(located)
    dots = charts.spread(frame, located).select("_x", "_y").rows()
    assert len(dots) == 3
    assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) >= 4 for i, a in enumerate(dots) for b in dots[i + 1:]), dots
    box = frame.box
    assert all(box.x <= x <= box.right and box.y <= y <= box.bottom for x, y in dots)


def test_map_draws_each_event_where_it_happened():
    """The map's raster holds a dot of the event type's colour at each event's position, and its legend counts
    the events of each type."""
    located = SAMPLE.drop_nulls("latitude")
    root = _svg(report.chart_map(SAMPLE))
    (image,) = root.iter(f"{NS}image")
    pixels = _png_pixels(base64.b64decode(image.get("href").split(",", 1)[1]))
    frame = charts.map_frame(located)
    for row in charts.spread(frame, located).iter_rows(named=True):
        x, y = round(row["_x"] - frame.box.x), round(row["_y"] - frame.box.y)
        color = svg.rgb(charts._color(row["event_type"]))
        assert np.abs(pixels[y, x].astype(float) - color).max() < 70, (row["location"], pixels[y, x], color)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Protests (2)" in texts and "Battles (1)" in texts
    assert "Nairobi (2)" in texts and "Garissa (1)" in texts


def test_legend_labels_stay_inside_the_figure():
    long_type = "Violence against civilians, as reported by several different and rather wordy sources"
    events = SAMPLE.with_columns(event_type=pl.when(pl.col("location") == "Garissa").then(pl.lit(long_type))
                                 .otherwise("event_type"))
    for data in (report.chart_map(events), report.chart_weekly(events)):
        texts = [t for t in _svg(data).iter(f"{NS}text") if t.get("text-anchor") == "start"]
        assert any("wordy" in t.text for t in texts)
        for text in texts:
            right = float(text.get("x")) + svg.text_width(text.text, float(text.get("font-size")))
            assert right <= charts.WIDTH, text.text


def test_weekly_chart_shows_events_and_fatalities_per_week():
    rects = list(_svg(report.chart_weekly(SAMPLE)).iter(f"{NS}rect"))
    deaths = {r.get("data-week"): int(r.get("data-fatalities")) for r in rects if r.get("data-fatalities")}
    assert deaths == {"2025-03-03": 2, "2025-03-24": 5}  # SAMPLE's fatalities by ISO week
    bars = [(r.get("data-week"), r.get("data-type"), int(r.get("data-events"))) for r in rects if r.get("data-type")]
    assert sorted(bars) == [("2025-03-03", "Protests", 2), ("2025-03-24", "Battles", 1)]  # the three dated events
    heights = {r.get("data-week"): float(r.get("height")) for r in rects if r.get("data-type")}
    assert heights["2025-03-03"] == pytest.approx(2 * heights["2025-03-24"])


def test_actor_chart_bars_are_the_actor_counts():
    rects = [r for r in _svg(report.chart_actors(SAMPLE)).iter(f"{NS}rect") if r.get("data-actor")]
    drawn: dict[str, int] = {}
    for rect in rects:
        drawn[rect.get("data-actor")] = drawn.get(rect.get("data-actor"), 0) + int(rect.get("data-events"))
    assert drawn == dict(report.actor_counts(SAMPLE).select("actor", "total").rows())


def test_a_report_replaces_the_png_charts_of_an_earlier_version(tmp_path):
    for chart in report.CHARTS:
        (tmp_path / chart.file.replace(".svg", ".png")).write_bytes(b"old")
    (tmp_path / "notes.png").write_bytes(b"someone else's")
    report.write_report(tmp_path, SAMPLE)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*(c.file for c in report.CHARTS), "notes.png",
                                                                 "summary.md"])


def test_svg_helpers():
    assert svg.ticks(7) == [0, 2, 4, 6, 8] and svg.ticks(0) == [0, 1] and svg.ticks(230, 4)[-1] >= 230
    image = np.zeros((3, 4, 3), np.uint8)
    image[1, 2] = (10, 20, 30)
    assert (_png_pixels(svg.png(image)) == image).all()
    assert svg.text_width("iii", 10) < svg.text_width("mmm", 10)
    canvas = svg.Canvas(10, 10)
    canvas.text(1, 1, "a < b & c", 5)
    assert [t.text for t in _svg(canvas.svg()).iter(f"{NS}text")] == ["a < b & c"]


def _report_metadata(result: dg.ExecuteInProcessResult) -> dict:
    return next(e.event_specific_data.materialization.metadata for e in result.get_asset_materialization_events()
                if e.event_specific_data.materialization.asset_key.path == ["reports", "summary"])


def test_charts_are_redrawn_only_when_the_events_change(demo_inbox, tmp_path):
    path, folder = tmp_path / "w.duckdb", tmp_path / "reports"
    first = _report_metadata(materialize(demo_inbox, path, folder))
    drawn = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.svg")}
    again = _report_metadata(materialize(demo_inbox, path, folder))  # nothing new: the same events
    assert first["redrawn"].value and not again["redrawn"].value
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.svg")} == drawn  # untouched
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
