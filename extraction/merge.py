"""Merging event mentions: a document's mentions of one event into one row (`merge_in_document`), and the
mentions of one event across documents into a canonical event (`canonical_events`).

Moved out of `extraction.coder`, which reads the events sentence by sentence; this module only groups rows.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import polars as pl

from extraction import gazetteer, subevent
from extraction.classify import CROWD
from extraction.incidents import PLACE_FIELDS
from schemas.acled import PRECEDENCE, EventType, Inter
from schemas.models import OWN_TEXT
from schemas.tables import EVENT_MENTIONS, EVENTS


def short_hash(*parts) -> str:
    """A 16-hex-digit content hash of the parts (mention and event ids are the same on any machine)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


_RANK = {s.value: i for i, s in enumerate(PRECEDENCE)}
_VIOLENT_FAMILY = "violence"


def _merge(frame: pl.DataFrame, by: list[str], across_sources: bool) -> pl.DataFrame:
    """Collapse rows sharing `by` into one: the highest-ranked row (ACLED precedence unless the frame brings
    its own `_rank`) stands for the group; counts merged. Within a document sentences add detail, so the
    largest figure is kept; across sources ACLED keeps the lowest reported fatalities."""
    fatal = pl.col("_fatal").min() if across_sources else pl.col("_fatal").max()
    precedence = pl.col("sub_event_type").replace_strict(_RANK, return_dtype=pl.Int64)
    # Across sources a tie is broken by the mention's id, never by the order the mentions arrive in: an event
    # updated from some of its mentions (warehouse.incremental) equals the one merged from all of them.
    ties = ["mention_id"] if across_sources else []
    frame = frame.with_columns(
        _rank=pl.col("_rank") if "_rank" in frame.columns else precedence,
        _group=pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in by], separator="\x1f"),
        _n_counts=pl.col("counts").list.len(),
    ).sort("_rank", "_n_counts", "confidence", "evidence_start", *ties,
           descending=[False, True, True, False, *[False] * len(ties)])
    counts = (
        frame.select("_group", "counts").explode("counts").drop_nulls("counts").unnest("counts")
        .group_by("_group", "kind")
        .agg(pl.when((pl.col("kind").first() == "killed") & across_sources).then(pl.col("value").min())
             .otherwise(pl.col("value").max()).alias("value"),
             pl.col("qualifier").sort_by("value", descending=True).first())
        .sort("_group", "kind")
        .group_by("_group").agg(counts=pl.struct("kind", "value", "qualifier"))
    )
    subs = frame.group_by("_group").agg(
        _subs=pl.col("sub_event_type").unique(),
        _fatal_min=fatal,
        doc_ids=pl.col("doc_id").unique().sort(),
        confidence=pl.col("confidence").max(),
    )
    place = list(PLACE_FIELDS)
    most_specific = (frame.sort(pl.col("geo_precision").fill_null(9), "evidence_start", *ties)
                     .group_by("_group", maintain_order=True).first().select("_group", *place))
    first = frame.group_by("_group", maintain_order=True).first().drop("counts", "confidence", *place)
    return (first.join(most_specific, on="_group").join(subs, on="_group").join(counts, on="_group", how="left")
            .with_columns(counts=pl.col("counts").fill_null(pl.lit([], dtype=EVENT_MENTIONS.schema["counts"])),
                          fatalities=pl.col("_fatal_min").fill_null(0)))


# A protest "against the arrest of" someone, "demanding the release of" them: the arrest is its cause.
_OVER_ARREST = re.compile(r"\b(?:against|over|condemn\w*|denounc\w*|protest\w*)\s+(?:the\s+)?(?:\S+\s+){0,3}?"
                          r"(?:arrests?|detentions?|jailing|imprisonment|abductions?)\b|\brelease of\b", re.I)


def background_arrests(frame: pl.DataFrame) -> pl.DataFrame:
    """`_background`: arrest rows that tell a protest's cause, not an intervention at it. In a document whose
    protest is about an arrest, an arrest sentence with no date of its own and no word of a crowd ("He was
    arrested on charges of ...") is that earlier arrest: its own event, not merged into the protest."""
    evidence = frame["evidence"].to_list()
    marked = frame.with_columns(
        _about=pl.Series([bool(_OVER_ARREST.search(e)) for e in evidence], dtype=pl.Boolean),
        _crowd=pl.Series([bool(CROWD.search(e)) for e in evidence], dtype=pl.Boolean))
    about = ((pl.col("event_type") == EventType.PROTESTS.value) & pl.col("_about")).any().over("doc_id")
    return marked.with_columns(_background=(pl.col("sub_event_type") == "Arrests") & about & ~pl.col("_crowd") & (
        pl.col("date_from") != "sentence")).drop("_about", "_crowd")


def merge_in_document(frame: pl.DataFrame) -> pl.DataFrame:
    """One event per day and place in a document: violent and protest mentions merge under ACLED precedence
    (arrests at a protest make it a protest with intervention); strategic developments merge by sub-type."""
    strategic = pl.col("event_type") == EventType.STRATEGIC.value
    frame = background_arrests(frame)
    frame = frame.with_columns(_place=pl.coalesce("location", "country", pl.lit("")))
    protest_keys = frame.filter(pl.col("event_type") == EventType.PROTESTS.value).select(
        "doc_id", "event_date", "_place").unique().with_columns(_protest=pl.lit(True))
    frame = frame.join(protest_keys, on=["doc_id", "event_date", "_place"], how="left").with_columns(
        _family=pl.when(strategic & ~((pl.col("sub_event_type") == "Arrests") & pl.col("_protest").fill_null(False)
                                      & ~pl.col("_background")))
        .then(pl.col("sub_event_type")).otherwise(pl.lit(_VIOLENT_FAMILY)))
    # A demonstration (with any arrests at it) and an armed attack on the same day and place stay apart.
    demonstration = (pl.col("event_type") == EventType.PROTESTS.value) | (
        pl.col("sub_event_type") == "Violent demonstration") | ((pl.col("_family") == _VIOLENT_FAMILY) & strategic)
    frame = frame.with_columns(_family=pl.when(demonstration).then(pl.lit("demonstration")).otherwise("_family"))
    key = ["doc_id", "event_date", "_place", "_family"]
    # A state force's killing the parse attributes is an event of its own actor pair (police firing on a mob is
    # not the mob's riot): it does not merge into an event of the same day and place that another side leads. A
    # side nobody named ("gunmen", "unidentified men") may be that force itself, or the one it fought: one event.
    named = ~pl.col("actor1").fill_null(_GENERIC_ACTOR).str.starts_with(_GENERIC_ACTOR)
    others = ((pl.col("inter1") != int(Inter.STATE_FORCES)) & ~pl.col("_state_killing") & named).any().over(key)
    frame = frame.with_columns(_family=pl.when(pl.col("_state_killing") & others).then(pl.lit("state killing"))
                               .otherwise("_family"))
    frame = _contained_by_the_day(_placed_by_the_day(frame, key), key)
    merged = _merge(frame.with_columns(_rank=_violence_rank(frame, key)), key, across_sources=False)
    upgraded = pl.col("_subs").list.contains("Arrests") & (pl.col("sub_event_type") == "Peaceful protest")
    # An abduction told beside a graver act of the same event ("kidnapped and later shot") leaves its trace in the
    # counts: at least one person abducted.
    taken = pl.col("_subs").list.contains("Abduction/forced disappearance") & ~pl.col("counts").list.eval(
        pl.element().struct.field("kind") == "abducted").list.any()
    abducted = pl.lit([{"kind": "abducted", "value": 1, "qualifier": "at_least"}],
                      dtype=EVENT_MENTIONS.schema["counts"])
    merged = merged.with_columns(counts=pl.when(taken).then(pl.col("counts").list.concat(abducted)).otherwise("counts"))
    merged = merged.with_columns(
        sub_event_type=pl.when(upgraded).then(pl.lit("Protest with intervention")).otherwise("sub_event_type"),
        actor2=pl.when(upgraded & pl.col("actor2").is_null()).then(
            pl.concat_str(pl.lit("Police Forces of "), pl.col("country"))).otherwise("actor2"),
    ).with_columns(
        inter2=pl.when(pl.col("actor2").is_not_null() & (pl.col("inter2") == 0)).then(1).otherwise("inter2"),
    ).with_columns(interaction=_interaction_expr())
    # Sorted, so the output (and which event comes first in a document) never depends on hashing.
    return merged.select(EVENT_MENTIONS.columns).cast(EVENT_MENTIONS.schema).sort("doc_id", "evidence_start")


def _placed_by_the_day(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """A mention whose place is only a guess (the dateline, the document's place) tells of the event its document
    placed in its own words on the same day, when there is one such place that day (of the same kind of event, in
    the same country): it takes that place, so the merge makes one event of them."""
    day = [k for k in key if k != "_place"] + ["country"]  # never moved abroad
    own = pl.col("place_from").is_in(list(OWN_TEXT))
    places = (frame.filter(own).group_by(day).agg(pl.col("_place").unique().alias("_own_places"))
              .filter(pl.col("_own_places").list.len() == 1).select(*day, _own=pl.col("_own_places").list.first()))
    if places.is_empty():
        return frame
    donors = (frame.filter(own).join(places, on=day).filter(pl.col("_place") == pl.col("_own"))
              .group_by(day, maintain_order=True).first().select(*day, *[pl.col(c).alias(f"_d_{c}")
                                                                          for c in (*PLACE_FIELDS, "_place")]))
    joined = frame.join(donors, on=day, how="left", maintain_order="left")
    return _take_place(joined, ~own & pl.col("_d__place").is_not_null())


def _take_place(joined: pl.DataFrame, take: pl.Expr) -> pl.DataFrame:
    """Rows where `take` holds get the donor's place (the `_d_` columns joined beside them); the donor's columns go."""
    fields = (*PLACE_FIELDS, "_place")
    return joined.with_columns(
        [pl.when(take).then(pl.col(f"_d_{c}")).otherwise(pl.col(c)).alias(c) for c in fields]
    ).drop([f"_d_{c}" for c in fields])


_GENERIC_ACTOR = "Unidentified"  # "Unidentified Armed Group (X)", "Unidentified Gang (X)": nobody named yet


def _contained_by_the_day(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """A mention placed only vaguely (a region, or a guess such as the dateline) tells of the event of the same
    type its document placed at a town inside that region on the same day, when there is one such town and the
    two actors can be one ("gunmen" and a named group; not two named groups): it takes that town, so the merge
    makes one event of them ("Clashes in Region 1 ... Three soldiers died near Town C")."""
    day = [k for k in key if k != "_place"] + ["country", "event_type"]
    own = pl.col("place_from").is_in(list(OWN_TEXT))
    vague = ~own | (pl.col("geo_precision").fill_null(3) >= 3)
    frame = frame.with_row_index("_row")
    base = pl.col("actor1").fill_null("").str.replace(r"\s*\([^()]*\)$", "")
    rows = frame.filter(vague & pl.col("admin1").is_not_null()).select("_row", *day, "admin1", "_place",
                                                                      _actor=base)
    donors = frame.filter(~vague).select(*day, "admin1", *[pl.col(c).alias(f"_d_{c}") for c in PLACE_FIELDS],
                                         _d__place=pl.col("_place"), _d_actor=base)
    if rows.is_empty() or donors.is_empty():
        return frame.drop("_row")
    generic = pl.col("_actor").str.starts_with(_GENERIC_ACTOR) | pl.col("_d_actor").str.starts_with(_GENERIC_ACTOR)
    pairs = rows.join(donors, on=[*day, "admin1"]).filter(
        (pl.col("_d__place") != pl.col("_place")) & (generic | (pl.col("_actor") == pl.col("_d_actor"))
                                                     | (pl.col("_actor") == "") | (pl.col("_d_actor") == "")))
    chosen = (pairs.filter(pl.col("_d__place").n_unique().over("_row") == 1)
              .group_by("_row", maintain_order=True).first()
              .select("_row", *[f"_d_{c}" for c in (*PLACE_FIELDS, "_place")]))
    if chosen.is_empty():
        return frame.drop("_row")
    joined = frame.join(chosen, on="_row", how="left", maintain_order="left")
    return _take_place(joined, pl.col("_d__place").is_not_null()).drop("_row")


# How much more likely the model must find a type, reading all of a violent event's sentences together, than
# the type ACLED's precedence would pick, before it stands for the event.
GROUP_MARGIN = 0.15


def _violence_rank(frame: pl.DataFrame, key: list[str]) -> pl.Series:
    """Rank of each row within its event. A violent event told in several sentences gets a type per sentence
    ("clashed", then "shelled the town"); precedence picks the gravest, but ACLED types the whole account, so
    the sub-event model reads the sentences together and its choice among their types goes first (unless a
    sentence named its type outright: then precedence stands)."""
    precedence = frame["sub_event_type"].replace_strict(_RANK, return_dtype=pl.Int64)
    groups = (frame.filter(pl.col("_family") == _VIOLENT_FAMILY).sort("evidence_start")
              .group_by(key, maintain_order=True)
              .agg(pl.col("evidence").unique(maintain_order=True), _subs=pl.col("sub_event_type").unique(),
                   _sharp=pl.col("_sharp").any())
              .filter((pl.col("_subs").list.len() > 1) & ~pl.col("_sharp")))
    if groups.is_empty():
        return precedence
    model = subevent.model()
    column = {label: i for i, label in enumerate(model.labels)}
    picks = []
    for p, subs in zip(model.predict_proba([" ".join(e) for e in groups["evidence"]]), groups["_subs"], strict=True):
        score = {s: p[column[s]] if s in column else 0.0 for s in subs}
        gravest = min(subs, key=_RANK.get)
        best = max(subs, key=score.get)
        picks.append(best if score[best] > score[gravest] + GROUP_MARGIN else gravest)
    chosen = frame.join(groups.select(key).with_columns(_choice=pl.Series(picks, dtype=pl.String)), on=key,
                        how="left", maintain_order="left")["_choice"]
    return pl.Series("_rank", [-1 if c == s else r for c, s, r in zip(chosen, frame["sub_event_type"], precedence,
                                                                         strict=True)], dtype=pl.Int64)


def _interaction_expr() -> pl.Expr:
    low = pl.min_horizontal("inter1", "inter2")
    high = pl.max_horizontal("inter1", "inter2")
    return pl.when(low == 0).then(high * 10).otherwise(low * 10 + high)


def canonical_events(mentions: pl.DataFrame) -> pl.DataFrame:
    """Mentions of the same event across documents merged (ACLED: one event per day, place, sub-type and
    actor pair); event_id_cnty = ISO3 + content hash, so ids are the same on any machine."""
    if mentions.is_empty():
        return EVENTS.empty()
    frame = mentions.with_columns(_fatal=pl.col("fatalities"))
    merged = _merge(frame, ["event_date", "country", "location", "sub_event_type", "actor1"], across_sources=True)
    iso3 = pl.col("country").map_elements(_iso3, return_dtype=pl.String).fill_null("XXX")  # no country: XXX
    key = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in
                         ("event_date", "country", "location", "sub_event_type", "actor1")], separator="|")
    merged = merged.with_columns(
        event_id_cnty=pl.concat_str(iso3, pl.lit("-"), key.map_elements(lambda k: short_hash(k)[:10],
                                                                          return_dtype=pl.String)),
        n_sources=pl.col("doc_ids").list.len(),
    )
    return merged.select(EVENTS.columns).cast(EVENTS.schema).sort("event_date", "event_id_cnty")


@cache
def _iso3(country: str | None) -> str:
    c = gazetteer.country(country) if country else None
    return c.iso3 if c else "XXX"
