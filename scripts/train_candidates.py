"""Train the ranking of same-named towns (extraction/models/place_candidates.json) from the ACLED training files.

    uv run python scripts/train_candidates.py            # train and write the model and its held-out scores
    uv run python scripts/train_candidates.py --check    # retrain; fail unless it agrees with the committed model
    uv run python scripts/train_candidates.py --eval     # held-out accuracy, hand vs learned weights

Data: ../shared/data/acled_training_bundle.csv, acled_usa_2020.csv, acled_bangladesh_2022_2024.csv (never
acled_global_2020.csv, the measuring stick). Each note is read in its gold country: every town name scanned
there that has several towns of its name in the country, and other places named around it (scanned or in
"Name (district, region)" chains: its context), is a group of candidates with the features of
extraction.places.candidates; a candidate within 25 km of the gold coordinates is a right one. The weights
maximise the likelihood that a right candidate ranks first (a softmax per group) under a Gaussian prior centred
on the hand weights (the gazetteer's choice). Rows are capped per country and file, seeded; 20% of them are
held out and reported. Only the weights are committed, never the texts.

Version 1, held-out share of groups whose first-ranked candidate is right (hand -> learned): in
extraction/models/place_candidates.scores.json.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import reproduce  # noqa: E402  (scripts/, beside this file)

from extraction import places  # noqa: E402
from extraction.places.candidates import (  # noqa: E402
    FEATURES,
    HAND_WEIGHTS,
    MODEL_PATH,
    _km,
    _others,
    candidate_rows,
    features,
)
from extraction.places.index import _gazetteer  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FILES = ("acled_training_bundle.csv", "acled_usa_2020.csv", "acled_bangladesh_2022_2024.csv")
VERSION = "1"
SEED = 13
CAP = 600  # notes per country and file
PRIOR = 1.0  # precision of the Gaussian prior around the hand weights
TEST_SHARE = 0.2
NEAR_KM = 25.0  # the scorer's distance for a right location
SCORES_PATH = MODEL_PATH.with_name("place_candidates.scores.json")


def load_rows(data: Path = DATA) -> list[dict]:
    """Note text, gold country and coordinates, file and held-out flag of a seeded sample of training rows."""
    out = []
    for name in FILES:
        df = pl.read_csv(data / name, infer_schema_length=0)
        df = df.rename({c: c.lower() for c in df.columns}).select("notes", "country", "latitude", "longitude")
        rows = [r for r in df.drop_nulls().iter_rows(named=True) if r["notes"].strip()]
        random.Random(SEED).shuffle(rows)
        seen: Counter = Counter()
        for r in rows:
            seen[r["country"]] += 1
            gold = places.country(r["country"])
            if seen[r["country"]] <= CAP and gold is not None:
                out.append({"text": r["notes"], "cc": gold.cc, "lat": float(r["latitude"]),
                            "lon": float(r["longitude"]), "file": name})
    rng = random.Random(SEED)
    for r in out:
        r["test"] = rng.random() < TEST_SHARE
    return out


def groups(row: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    """(feature matrix, which candidates are right) of every ambiguous town name of a note."""
    text, country = row["text"], places.country(row["cc"])
    scanned = places.scan(text, country)
    context = [p for _, _, p in places.located(text, country)] + [p for _, _, p in scanned]
    g = _gazetteer()
    out = []
    for start, end, place in scanned:
        rows = candidate_rows(text[start:end], place)
        if not rows or not _others(rows, context):  # as at run time: re-ranked only with places around it
            continue
        right = np.array([_km(row["lat"], row["lon"], g.latitude[r], g.longitude[r]) <= NEAR_KM for r in rows])
        if right.any() and not right.all():
            out.append((np.array(features(text[start:end], rows, place, context), dtype=float), right))
    return out


def fit(data: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """MAP weights of the softmax ranking, prior centred on HAND_WEIGHTS (L-BFGS from there)."""
    prior = np.array(HAND_WEIGHTS)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for m, right in data:
            s = m @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = np.where(right, p, 0.0)
            mass = max(float(q.sum()), 1e-300)
            total -= math.log(mass)
            grad += m.T @ p - m.T @ (q / mass)
        diff = w - prior
        return total + 0.5 * PRIOR * float(diff @ diff), grad + PRIOR * diff

    result = minimize(loss, prior.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return np.round(result.x, 4)


def accuracy(data: list[tuple[np.ndarray, np.ndarray]], weights) -> float:
    """Share of groups whose first-ranked candidate (ties: the first) is right."""
    w = np.asarray(weights, dtype=float)
    hits = sum(bool(right[int(np.flatnonzero((s := m @ w) == s.max())[0])]) for m, right in data)
    return hits / max(1, len(data))


def held_out_scores(rows: list[dict], data: list[list]) -> tuple[dict[str, float], np.ndarray]:
    """Fit on the 80% and score the 20% held out, per file, with the hand and the learned weights."""
    weights = fit([grp for r, gs in zip(rows, data, strict=True) if not r["test"] for grp in gs])
    res = {}
    for name in FILES:
        test = [grp for r, gs in zip(rows, data, strict=True) if r["test"] and r["file"] == name for grp in gs]
        key = name.removesuffix(".csv")
        res[f"{key}_groups"] = len(test)
        res[f"{key}_hand"] = round(accuracy(test, HAND_WEIGHTS), 4)
        res[f"{key}_learned"] = round(accuracy(test, weights), 4)
    return res, weights


def check(weights: np.ndarray, rows: list[dict], data: list[list]) -> bool:
    """Does a fresh fit agree with the committed model: same version and features, the same first-ranked
    candidate on 99.5% of the groups, held-out scores within 0.005 of those recorded."""
    committed, problems = reproduce.weights_problems(MODEL_PATH, VERSION, FEATURES)
    every = [m for gs in data for m, _ in gs]
    same = [int(np.argmax(m @ np.asarray(committed["weights"]))) == int(np.argmax(m @ weights)) for m in every]
    agree = float(np.mean(same)) if same else 1.0
    fresh, _ = held_out_scores(rows, data)
    problems += reproduce.differences(agree, "first choices", fresh, reproduce.recorded(SCORES_PATH))
    return reproduce.verdict(problems, f"agreement {agree:.4f}; held-out {fresh}")


def main() -> None:
    args = reproduce.arguments(__doc__, DATA, "held-out accuracy (20%% of the sample)")
    rows = load_rows(args.data)
    data = [groups(r) for r in rows]
    if args.eval:
        scores, weights = held_out_scores(rows, data)
        print(json.dumps(scores, indent=1), dict(zip(FEATURES, weights.tolist(), strict=True)))
        return
    weights = fit([grp for gs in data for grp in gs])
    if args.check:
        sys.exit(0 if check(weights, rows, data) else 1)
    reproduce.write_weights(MODEL_PATH, VERSION, FEATURES, weights.tolist())
    scores, _ = held_out_scores(rows, data)
    reproduce.write_scores(SCORES_PATH, scores)
    print(f"wrote {MODEL_PATH} ({sum(map(len, data))} groups of {len(rows)} notes); held-out {scores}")
    print(dict(zip(FEATURES, weights.tolist(), strict=True)))


if __name__ == "__main__":
    main()
