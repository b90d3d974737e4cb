"""A report on `core.events`: three charts as SVG bytes (drawn by warehouse.charts) and a Markdown summary,
from one Polars frame.

Pure functions: `read_events` is the only one that touches DuckDB, `write_report` the only one that writes
files. The aggregates here feed both the charts and the summary; the same events give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from schemas.acled import CountKind, EventType

COLUMNS = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
           "location", "latitude", "longitude", "fatalities", "counts", "doc_ids"]
TOP_ACTORS = 15
TOP_ROWS = 10  # rows of the summary's country table


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

def _type_order(present) -> list[str]:
    """Event types in ACLED's order, then any other alphabetically."""
    known = [t.value for t in EventType if t.value in set(present)]
    return known + sorted(set(present) - set(known))


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


# ---------------------------------------------------------------- charts (drawn by warehouse.charts)

def chart_weekly(events: pl.DataFrame) -> bytes:
    """Events per ISO week by event type, with the week's fatalities below (SVG)."""
    from warehouse import charts

    return charts.weekly(events)


def chart_map(events: pl.DataFrame) -> bytes:
    """The map of events (SVG)."""
    from warehouse import charts

    return charts.map_chart(events)


def chart_actors(events: pl.DataFrame) -> bytes:
    """The most frequent actors, as actor1 and as actor2 (SVG)."""
    from warehouse import charts

    return charts.actors(events)


CHARTS = (
    Chart("events_per_week.svg", "Events per ISO week, by event type", chart_weekly),
    Chart("events_map.svg", "Events by location", chart_map),
    Chart("top_actors.svg", "Top actors", chart_actors),
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
    """Every chart as SVG bytes, by file name."""
    return {chart.file: chart.draw(events) for chart in CHARTS}


def write_report(folder: str | Path, events: pl.DataFrame) -> dict[str, bytes]:
    """Write every chart and summary.md (linking the charts by relative path) into folder; returns the
    charts' bytes by file name."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for chart in CHARTS:  # the PNG a report of an earlier version drew in its place, no longer linked
        (folder / Path(chart.file).with_suffix(".png")).unlink(missing_ok=True)
    charts = render(events)
    for name, png in charts.items():
        (folder / name).write_bytes(png)
    (folder / "summary.md").write_text(summary_markdown(events, {name: name for name in charts}), encoding="utf-8")
    return charts
