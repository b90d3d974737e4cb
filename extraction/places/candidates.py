"""Which gazetteer entry a town name stands for when the document's country has several towns of that name: a
learned ranking of the candidates by their size, how the name is written and the places named around it (a
region of the candidate's named, the document's place or another place named near it). ACLED's "San Pedro",
"Rampur" or "Springfield" is the one in the region the text names, not always the biggest.

The weights are learned on the gold coordinates of the ACLED training files (``extraction/models/
place_candidates.json``, written by ``scripts/train_candidates.py``); without the model (or fitted to other
features) the hand weights keep the gazetteer's own choice."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from extraction.places.index import _gazetteer, _usable_candidates
from extraction.places.names import Place, normalize
from extraction.places.rank import population_feature

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "place_candidates.json"

FEATURES = (
    "population",    # log10 of the population over 7
    "primary",       # the name is the town's own name, not an alternate one
    "chosen",        # the gazetteer's own choice (by population, capitals first, alternate names last)
    "capital",       # a national or regional capital (ranked above its population)
    "region_named",  # a region (admin1 or admin2) the text names contains the candidate
    "near",          # closeness to the nearest other place named: 1 at 0 km, 0.5 at 90 km, 0 at 1,000 km
)
HAND_WEIGHTS = (0.0, 0.0, 1.0, 0.0, 0.0, 0.0)  # the gazetteer's choice, whatever the context
MAX_CANDIDATES = 30  # a name with more towns than this in one country ("San Jose") is not re-ranked


def _km(a: float, b: float, c: float, d: float) -> float:
    p = math.pi / 180
    h = math.sin((c - a) * p / 2) ** 2 + math.cos(a * p) * math.cos(c * p) * math.sin((d - b) * p / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def closeness(km: float) -> float:
    """1 at 0 km, 0.5 at 90 km, 0 from 990 km on."""
    return max(0.0, 1.0 - math.log10(1.0 + km / 10.0) / 2.0)


def candidate_rows(name: str, place: Place) -> list[int]:
    """Town rows of the gazetteer named `name` in `place`'s country, when `place` (a scanned town) is one of
    them and there are 2 to MAX_CANDIDATES of them; else none."""
    if place.kind != "town":
        return []
    g = _gazetteer()
    rows = [row for row, _ in _usable_candidates(g, normalize(name), upper=name.isupper(), scanning=True)
            if g.cc[row] == place.country.cc and g.kind[row] == "town"]
    rows = list(dict.fromkeys(rows))
    if not 2 <= len(rows) <= MAX_CANDIDATES:
        return []
    if not any(g.latitude[r] == place.latitude and g.longitude[r] == place.longitude for r in rows):
        return []
    return rows


def _others(rows: list[int], context: Sequence[Place]) -> list[Place]:
    """The places of `context` that say where a name is: no country, none at a candidate's own coordinates
    (the name itself, read as the document's place)."""
    g = _gazetteer()
    spots = {(g.latitude[r], g.longitude[r]) for r in rows}
    return [p for p in context if (p.latitude, p.longitude) not in spots and p.kind != "country"]


def features(name: str, rows: list[int], chosen: Place, context: Sequence[Place]) -> list[list[float]]:
    """The feature vector (FEATURES) of each candidate row, `chosen` the gazetteer's reading; `context` are the
    other places the text names (those at a candidate's own coordinates are left out: the name itself, read
    as the document's place)."""
    g = _gazetteer()
    key = normalize(name)
    primary = dict(_usable_candidates(g, key, upper=name.isupper(), scanning=True))
    others = _others(rows, context)
    regions = {(p.admin1, p.admin2 if p.kind == "admin2" else None) for p in others if p.kind in ("admin1", "admin2")}
    gazetteer_choice = (chosen.latitude, chosen.longitude)
    out = []
    for r in rows:
        lat, lon = g.latitude[r], g.longitude[r]
        near = max((closeness(_km(lat, lon, p.latitude, p.longitude)) for p in others), default=0.0)
        named = any(a1 == g.admin1[r] and (a2 is None or a2 == g.admin2[r]) for a1, a2 in regions)
        out.append([population_feature(g.population[r]), float(primary.get(r, False)),
                    float((lat, lon) == gazetteer_choice), float(g.rank[r] > g.population[r]), float(named), near])
    return out


def best(matrix: list[list[float]], weights: Sequence[float] | None = None) -> int:
    """Index of the highest-scoring candidate (ties: the first)."""
    w = weights if weights is not None else learned_weights()
    scores = [sum(a * b for a, b in zip(w, row, strict=True)) for row in matrix]
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def resolve(name: str, place: Place, context: Sequence[Place]) -> Place:
    """The town `name` stands for among its namesakes in `place`'s country, given the places named around it;
    `place` itself when it has no namesakes, is no town or the text names no other place (the gazetteer's
    choice knows the towns of ACLED's conflict zones better than population does)."""
    rows = candidate_rows(name, place)
    if not rows or not _others(rows, context):  # nothing named around it: the gazetteer's choice stands
        return place
    row = rows[best(features(name, rows, place, context))]
    g = _gazetteer()
    if g.latitude[row] == place.latitude and g.longitude[row] == place.longitude:
        return place
    return g.place(row)


@cache
def _model() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8")) if MODEL_PATH.is_file() else {}


def model_version() -> str:
    """The same-named-town model's version ("0": none, the hand weights)."""
    return str(_model().get("version", "0")) if learned_weights() != HAND_WEIGHTS else "0"


@cache
def learned_weights() -> tuple[float, ...]:
    """The learned weights, or HAND_WEIGHTS when the model is absent or was fitted to other features."""
    model = _model()
    if tuple(model.get("features", ())) != FEATURES:
        return HAND_WEIGHTS
    return tuple(float(w) for w in model["weights"])
