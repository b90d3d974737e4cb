"""The document's country as a ranking of candidate countries: every country the text gives evidence for gets
a vector of evidence features (the dateline as the filing place, "Name (district, region)" chains, places
named after "in"/"at", in sentences the detector finds to report an event, demonyms, armed groups, the size
and number of its places) and the highest score wins.  Two weightings of the same features: the hand-tuned
one the vote used to be, and the one learned on the gold countries of the ACLED training files and of half of
MUC (the default, see :data:`RANKING`; ``extraction/models/places.json``, written by
``scripts/train_places.py``)."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "places.json"

FEATURES = (
    "dateline",          # the dateline names a place of the country (the filing place)
    "located",           # "Name (district, region)" chains that settled on the country
    "located_event",     # ... times the detector's probability of their sentence
    "scanned",           # names scanned, by kind (country/admin1 2, admin2 1.5, town of 100k 1.5, town 1)
    "scanned_where",     # ... after "in", "near", "at"
    "scanned_first",     # the first name scanned
    "scanned_paren",     # ... inside brackets, "(Jaffna district)"
    "scanned_event",     # "in X" weight times the probability of its sentence, for regions and towns of 10k+
    "demonym",           # the country's demonyms, once per country (half when only before a force noun)
    "group_table",       # armed groups that act in one country (data/group_countries.json)
    "group_learned",     # groups learned from the training files, shared between their countries
    "log_population",    # log10 of the country's biggest town named, over 7
    "distinct_places",   # log of 1 + the number of distinct places of the country named
    "demonym_mentions",  # log of 1 + every mention of the country's demonyms
    "country_named",     # the country is named by its own name
    "country_event",     # ... times the probability of its sentence ("killed in El Salvador")
    "demonym_event",     # every demonym mention times the probability of its sentence ("Salvadoran minister")
    "abroad_demonyms",   # demonym mentions (a log) of a country other than the dateline's (a story filed abroad)
    "abroad_where",      # "in X" mentions of a country other than the dateline's
    "towns_only_abroad", # 1 when the only evidence for a country other than the dateline's is town names (no
                         # region, country name, demonym, chain or group): a namesake abroad of a village GeoNames
                         # lacks at home ("SAN RAMON" filed in San Salvador is not the Californian town)
    "demonym_reach",     # the country's demonyms, once, named only before a force that strikes from afar or
                         # through others ("Turkish warplanes", "Saudi-led"): as often an attack abroad as at home
)
# The hand-tuned vote: weights the features had in the original sum (a located chain 5 and 10 times its
# probability, the dateline 6, "in X" 2 more, ...); the demonyms of a strike from afar
# counted half as those of a force; the rest were not part of it.
HAND_WEIGHTS = (6.0, 5.0, 10.0, 1.0, 2.0, 1.0, 2.0, 2.0, 1.0, 3.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                0.0, 0.5)
# Which weights the coder ranks by: the learned ones (trained on ACLED notes and half of MUC) place more wire
# stories filed abroad in the right country and do as well as the hand-tuned ones elsewhere ("hand" is kept
# for the ablation; figures in scripts/train_places.py).
RANKING = "learned"


class Evidence:
    """Feature sums per candidate country code, in the order countries were first seen (ties: the first)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[float]] = {}

    def add(self, cc: str, feature: str, value: float = 1.0) -> None:
        row = self.rows.setdefault(cc, [0.0] * len(FEATURES))
        row[FEATURES.index(feature)] += value

    def most(self, cc: str, feature: str, value: float) -> None:
        """Keep the largest value seen (a size, not a count)."""
        row = self.rows.setdefault(cc, [0.0] * len(FEATURES))
        i = FEATURES.index(feature)
        row[i] = max(row[i], value)

    def filed_abroad(self, filed: str, towns_only: set[str] = frozenset()) -> None:
        """Mark the evidence for countries other than ``filed``, the dateline's, as that of a story filed abroad;
        ``towns_only``: the countries only town names are evidence for."""
        mentions, where = FEATURES.index("demonym_mentions"), FEATURES.index("scanned_where")
        for cc, row in self.rows.items():
            if cc != filed:
                row[FEATURES.index("abroad_demonyms")] = row[mentions]
                row[FEATURES.index("abroad_where")] = row[where]
                row[FEATURES.index("towns_only_abroad")] = float(cc in towns_only)

    def matrix(self) -> tuple[list[str], list[list[float]]]:
        """Candidate codes and their feature vectors, with counts turned into the logs FEATURES names."""
        out = []
        for row in self.rows.values():
            row = list(row)
            for name in ("distinct_places", "demonym_mentions", "abroad_demonyms"):
                i = FEATURES.index(name)
                row[i] = math.log1p(row[i])
            out.append(row)
        return list(self.rows), out

    def best(self, weights: tuple[float, ...] | None = None) -> str | None:
        """The code with the highest score (by :func:`weights` unless given); ties go to the first seen."""
        codes, rows = self.matrix()
        if not codes:
            return None
        w = weights if weights is not None else current_weights()
        scores = [sum(a * b for a, b in zip(w, row, strict=True)) for row in rows]
        return codes[max(range(len(codes)), key=lambda i: (scores[i], -i))]


def current_weights() -> tuple[float, ...]:
    """The weights :data:`RANKING` names."""
    return learned_weights() if RANKING == "learned" else HAND_WEIGHTS


@cache
def learned_weights() -> tuple[float, ...]:
    """The learned weights (``places.json``), or the hand-tuned ones when the model is absent or was fitted
    to other features."""
    if not MODEL_PATH.is_file():
        return HAND_WEIGHTS
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if tuple(model.get("features", ())) != FEATURES:
        return HAND_WEIGHTS
    return tuple(float(w) for w in model["weights"])


def population_feature(population: int) -> float:
    """log10 of a population over 7 (a town of ten million is 1)."""
    return math.log10(max(1, population)) / 7.0
