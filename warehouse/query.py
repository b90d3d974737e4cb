"""The events as a Polars frame, filtered the way ACLED's API and acledR filter them: for notebooks and exports.

    from warehouse.query import events
    kenya = events(country="Kenya", since="2024-01-01", event_type=["Protests", "Riots"])

Filters: `country`, `region`, `admin1` (names, case-insensitive), `iso` (ACLED's numeric code, or the
three letters event ids start with), `event_type`, `sub_event_type` (ACLED's names, case-insensitive; a
name outside ACLED's vocabulary is refused), `actor` (a case-insensitive part of actor1, actor2 or an
associated actor), `since` and `until` (event_date, both inclusive), `no_guesses` (only events whose date and
place were found in their own text, not guessed from the publication date, the file's time, the dateline or
the rest of the document: see `date_from` and `place_from`). Each may be one value or several
(any of them matches); different filters must all hold, together with an optional SQL `where` with `?`
placeholders and its `params`. Every value is bound as a parameter, never pasted into the SQL.

`events()` reads the published snapshot read-only (`EVENTS_WAREHOUSE`, else `warehouse.duckdb`), so a
notebook never holds up a run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl

from schemas.acled import EventType, SubEventType
from schemas.models import OWN_TEXT

Values = str | int | Iterable[str | int] | None
ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
SHAPES = ("all", "acled")


class FilterError(ValueError):
    """A filter value that cannot match anything: not a date, not an ACLED type, not an ISO code."""


def _values(value: Values) -> list:
    if value is None:
        return []
    if isinstance(value, str | int | dt.date):
        return [value]
    return list(value)


def _vocabulary(name: str, values: list, allowed: Iterable[str]) -> list[str]:
    """Values of an ACLED vocabulary, matched case-insensitively and returned as ACLED spells them."""
    known = {a.lower(): a for a in allowed}
    unknown = [v for v in values if str(v).strip().lower() not in known]
    if unknown:
        raise FilterError(f"{name} {unknown[0]!r} is not one of ACLED's: {', '.join(known.values())}")
    return [known[str(v).strip().lower()] for v in values]


def _date(name: str, value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FilterError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _any(clauses: list[str]) -> str:
    return clauses[0] if len(clauses) == 1 else "(" + " OR ".join(clauses) + ")"


def filters(country: Values = None, iso: Values = None, region: Values = None, admin1: Values = None,
            event_type: Values = None, sub_event_type: Values = None, actor: Values = None,
            since: str | dt.date | None = None, until: str | dt.date | None = None,
            no_guesses: bool = False) -> tuple[str | None, list]:
    """The filters as one SQL condition over core.events' (or ACLED's export) columns, with its parameters;
    (None, []) when no filter is given."""
    clauses: list[str] = []
    params: list = []
    for column, value in (("country", country), ("region", region), ("admin1", admin1)):
        if vals := _values(value):
            clauses.append(_any([f"lower({column}) = lower(?)"] * len(vals)))
            params += [str(v).strip() for v in vals]
    if vals := _values(iso):
        parts = []
        for v in vals:
            text = str(v).strip()
            if text.isdigit():
                parts.append("iso = ?")
                params.append(int(text))
            elif len(text) == 3 and text.isalpha():
                parts.append("upper(split_part(event_id_cnty, '-', 1)) = upper(?)")
                params.append(text)
            else:
                raise FilterError(f"iso {v!r} is neither ACLED's numeric code (404) nor three letters (KEN)")
        clauses.append(_any(parts))
    for column, value, allowed in (("event_type", event_type, EventType), ("sub_event_type", sub_event_type,
                                                                            SubEventType)):
        if vals := _values(value):
            clauses.append(_any([f"{column} = ?"] * len(vals)))
            params += _vocabulary(column.replace("_", " "), vals, [a.value for a in allowed])
    if vals := _values(actor):
        per_value = "(" + " OR ".join(f"strpos(lower(coalesce({c}, '')), lower(?)) > 0" for c in ACTOR_COLUMNS) + ")"
        clauses.append(_any([per_value] * len(vals)))
        for v in vals:
            params += [str(v).strip()] * len(ACTOR_COLUMNS)
    if since is not None:
        clauses.append("event_date >= ?")
        params.append(_date("since", since))
    if until is not None:
        clauses.append("event_date <= ?")
        params.append(_date("until", until))
    if no_guesses:
        own = ", ".join(f"'{w}'" for w in sorted(OWN_TEXT))
        clauses.append(f"event_id_cnty IN (SELECT event_id_cnty FROM core.events WHERE date_from IN ({own}) "
                       f"AND place_from IN ({own}))")  # works on ACLED's 31 columns too
    return (" AND ".join(clauses) if clauses else None), params


def combine(where: str | None, params: Sequence, extra: tuple[str | None, list]) -> tuple[str | None, list]:
    """A user's SQL filter (with its parameters) and the flag filters, both required."""
    condition, values = extra
    parts = [f"({c})" for c in (where, condition) if c]
    return (" AND ".join(parts) or None), [*params, *values]


def default_warehouse() -> Path:
    return Path(os.environ.get("EVENTS_WAREHOUSE") or "warehouse.duckdb")


def events(warehouse: str | Path | None = None, *, country: Values = None, iso: Values = None,
           region: Values = None, admin1: Values = None, event_type: Values = None, sub_event_type: Values = None,
           actor: Values = None, since: str | dt.date | None = None, until: str | dt.date | None = None,
           no_guesses: bool = False, where: str | None = None, params: Sequence = (), columns: str = "all",
           wait_s: float = 30.0) -> pl.DataFrame:
    """The (filtered) events of the published snapshot, ordered by date: every column of core.events
    (`columns="all"`), or exactly ACLED's 31 export columns (`columns="acled"`)."""
    from warehouse import db
    from warehouse.export import query

    if columns not in SHAPES:
        raise ValueError(f"columns must be one of {', '.join(SHAPES)}")
    condition, values = combine(where, params, filters(country, iso, region, admin1, event_type, sub_event_type,
                                                       actor, since, until, no_guesses))
    with db.reader(warehouse or default_warehouse(), wait_s=wait_s) as con:
        return db.read(con, query("acled-csv" if columns == "acled" else "parquet", condition), values)
