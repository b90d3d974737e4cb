"""ACLED's columns the coder cannot fill from one sentence: `source`, `source_scale`, `tags` and `admin3`.

They need the documents behind each canonical event, or what ACLED's own rows say about outlets and places,
so they are filled after mentions are merged into `core.events` (and every export reads them from there):

* `source`: the outlets of the event's documents (`raw.documents.source`), distinct, sorted, joined by "; "
  as ACLED joins them. A document without a source adds nothing; no outlet at all leaves it empty.
* `source_scale`: each outlet's usual scale from ACLED's training rows (`warehouse/data/acled_fields.json`,
  built by `scripts/build_acled_fields.py`), matched by name (case, spacing, a leading "The" and a trailing
  "(Country)" ignored); several outlets give ACLED's combined form, the first two parts in ACLED's order
  ("Other-Subnational", "National-International"). An outlet ACLED never cited stays unknown: the column is
  left empty rather than guessed.
* `tags`: ACLED's crowd size for demonstrations and riots, as the text words it when the evidence sentence
  gives the event's participants count ("crowd size=hundreds", "crowd size=at least 50"), else from the count
  ("crowd size=around 3,000"), else "crowd size=no report".
* `admin3`: where the event is placed at a town (geo_precision 1) that ACLED's rows code with a third-level
  unit in the same country and admin1.

Pure Polars over the events and documents; a value the coder already set is kept.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import polars as pl

from extraction.counts import find_counts
from schemas.acled import CountKind, EventType, Qualifier

DATA = Path(__file__).resolve().parent / "data" / "acled_fields.json"
CROWD_TYPES = (EventType.PROTESTS.value, EventType.RIOTS.value)
NO_REPORT = "crowd size=no report"
# How ACLED words a count in its crowd-size tags, by our qualifier.
QUALIFIER_WORDS = {Qualifier.EXACT: "", Qualifier.APPROX: "around ", Qualifier.AT_LEAST: "at least ",
                   Qualifier.OVER: "more than ", Qualifier.AT_MOST: "up to ", Qualifier.UNDER: "fewer than "}


@cache
def tables() -> dict:
    """The built table: {'scale_order': [...], 'sources': frame, 'admin3': frame}."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    frames = {key: pl.DataFrame(data[key]["rows"], schema=data[key]["columns"], orient="row")
              for key in ("sources", "admin3")}
    return {"scale_order": data["scale_order"], **frames}


def name_key(expr: pl.Expr) -> pl.Expr:
    """An outlet or place name as a look-up key: lower case, single spaces, no leading 'the'."""
    return (expr.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
            .str.replace(r"^the ", ""))


@cache
def scale_lookup() -> pl.DataFrame:
    """key -> source_scale. A name without its '(Country)' is a key too, unless outlets of different scales
    share it; the full name wins over such a shortened one."""
    table = tables()["sources"]
    full = table.select(key=name_key(pl.col("source")), source_scale="source_scale", _prio=pl.lit(0))
    bare = table.select(key=name_key(pl.col("source").str.replace(r"\s*\([^)]*\)\s*$", "")),
                        source_scale="source_scale", _prio=pl.lit(1))
    keys = pl.concat([full, bare]).filter(pl.col("key") != "")
    best = keys.filter(pl.col("_prio") == pl.col("_prio").min().over("key")).unique(["key", "source_scale"])
    return best.filter(pl.len().over("key") == 1).select("key", "source_scale")


def event_sources(events: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """event_id_cnty -> source and source_scale, from the outlets of the event's documents."""
    order = tables()["scale_order"]
    rank = {part: i for i, part in enumerate(order)}
    outlets = (events.select("event_id_cnty", doc_id=pl.col("doc_ids")).explode("doc_id")
               .join(documents.select("doc_id", "source"), on="doc_id", how="inner")
               .with_columns(pl.col("source").str.split(";")).explode("source")
               .with_columns(pl.col("source").str.strip_chars().replace("", None)).drop_nulls("source")
               .with_columns(key=name_key(pl.col("source")))
               .join(scale_lookup(), on="key", how="left"))
    parts = (outlets.select("event_id_cnty", part=pl.col("source_scale").str.split("-")).explode("part")
             .drop_nulls("part").unique()
             .with_columns(_rank=pl.col("part").replace_strict(rank, default=len(rank), return_dtype=pl.Int64))
             .sort("event_id_cnty", "_rank", "part")
             .group_by("event_id_cnty").agg(source_scale=pl.col("part").head(2).str.join("-")))
    names = outlets.group_by("event_id_cnty").agg(source=pl.col("source").unique().sort().str.join("; "))
    return names.join(parts, on="event_id_cnty", how="left")


def _number(value: int) -> str:
    return f"{value:,}"


def crowd_phrase(evidence: str, value: int, qualifier: str) -> str:
    """A crowd of `value` people as ACLED's tag words it: the evidence's own words when it gives this count
    ("hundreds", "at least 50"), else the count with its qualifier ("around 3,000")."""
    for count in find_counts(evidence):
        if count.kind is CountKind.PARTICIPANTS and count.value == value:
            words = evidence[count.start:count.end].strip().lower()
            words = words.removesuffix(" of").strip()
            if words:
                return words
    return QUALIFIER_WORDS.get(Qualifier(qualifier), "") + _number(value)


def crowd_tags(events: pl.DataFrame) -> pl.Series:
    """ACLED's crowd-size tag of each event: demonstrations and riots only, null for other types."""
    participants = pl.col("counts").list.eval(
        pl.element().filter(pl.element().struct.field("kind") == CountKind.PARTICIPANTS.value)).list.first()
    frame = events.select(
        crowd=pl.col("event_type").is_in(CROWD_TYPES),
        evidence="evidence", value=participants.struct.field("value"),
        qualifier=participants.struct.field("qualifier"))
    phrase = frame.select(pl.when(pl.col("crowd") & pl.col("value").is_not_null()).then(pl.struct(
        "evidence", "value", "qualifier")).map_elements(
        lambda r: crowd_phrase(r["evidence"], r["value"], r["qualifier"]), return_dtype=pl.String,
        skip_nulls=True))
    return (frame.select(pl.when(pl.col("crowd")).then(
        pl.concat_str(pl.lit("crowd size="), phrase.to_series()).fill_null(pl.lit(NO_REPORT))))
        .to_series().alias("tags"))


def event_admin3(events: pl.DataFrame) -> pl.Series:
    """The admin3 ACLED's rows give the event's town (in its country and admin1), where it is at a town."""
    table = tables()["admin3"].select(
        _country=name_key(pl.col("country")), _admin1=name_key(pl.col("admin1")),
        _location=name_key(pl.col("location")), _admin3="admin3").unique(
        ["_country", "_admin1", "_location"], keep="first", maintain_order=True)
    keyed = events.select(
        _row=pl.int_range(pl.len()), _town=pl.col("geo_precision") == 1,
        _country=name_key(pl.col("country")), _admin1=name_key(pl.col("admin1")),
        _location=name_key(pl.col("location")))
    joined = keyed.join(table, on=["_country", "_admin1", "_location"], how="left").sort("_row")
    return joined.select(pl.when(pl.col("_town")).then(pl.col("_admin3"))).to_series().alias("admin3")


def fill_acled_fields(events: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """`events` (core.events rows) with source, source_scale, tags and admin3 filled where the coder left them
    empty; `documents` needs doc_id and source (raw.documents). Same rows, same order, same schema."""
    if events.is_empty():
        return events
    sources = event_sources(events, documents)
    filled = events.join(sources.rename({"source": "_source", "source_scale": "_scale"}), on="event_id_cnty",
                         how="left", maintain_order="left")
    return filled.with_columns(
        source=pl.coalesce("source", "_source"),
        source_scale=pl.coalesce("source_scale", "_scale"),
        tags=pl.coalesce(pl.col("tags"), crowd_tags(filled)),
        admin3=pl.coalesce(pl.col("admin3"), event_admin3(filled)),
    ).select(events.columns)
