"""Learned sub-event classifier: TF-IDF word n-grams + multinomial logistic regression, in plain numpy.

The weights are trained from ACLED exports by `scripts/train_subevent.py` and committed as an .npz that is
loaded with `allow_pickle=False` (no code runs at load). Training and prediction share `features`, so the
vectoriser here is the one the model was fitted with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "models" / "subevent.npz"

_SIZE_TAG = re.compile(r"\s*\[[^\]]*\]\s*$")
# Some ACLED exports open a note with its own category ("Displacement: ..."): a label, not news text.
_CATEGORY = re.compile(r"^\s*(?:displacement|other|non-violent activity|movement of forces|looting|"
                       r"property destruct\w*|"
                       r"interception|security measures|training|recruitment|weapons seizure|arrests|change to armed "
                       r"group|defusal|agreement|mass grave|detonation|strikes|land seizure|formation of armed group)"
                       r"\s*:\s*", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# "On 9 May 2020," / "Around 3-4 June 2021 (as reported)," / "On Monday," - when, not what.
_LEAD_DATE = re.compile(rf"^\s*(?:(?:on|around|between|from|during|in|by|as of|since|overnight|late|early|at)\s+"
                        rf"|(?=\d|{_MONTH}\s|\w+day\b))[^,.;]{{0,40}}?(?:\b\d{{4}}\b|\b{_MONTH}\s*\d+(?:,\s*\d{{4}})?"
                        rf"|\b\d+\s*{_MONTH}|day\b)[^,.;]{{0,25}}[,.]\s*", re.I)
_PARENS = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[a-z0]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower-cased event words: no ACLED category or size tags, no leading date phrase, no parenthesised place names,
    digits as 0 (so the model learns what happened, not where, when or how many)."""
    text = _CATEGORY.sub("", _SIZE_TAG.sub("", text))
    text = _LEAD_DATE.sub("", text, count=1)
    text = _PARENS.sub(" ", text)
    return re.sub(r"\d", "0", text.lower())


def features(text: str) -> list[str]:
    """Word unigrams, bigrams and 5-letter stems of a normalised text."""
    words = _WORD.findall(normalise(text))
    stems = [f"~{w[:5]}" for w in words if len(w) > 5]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] + stems


@dataclass(frozen=True)
class SubEventModel:
    version: str
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,)

    def vectorise(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse TF-IDF rows as (row index, column index, value): sublinear tf, L2-normalised like sklearn."""
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            counts: dict[int, int] = {}
            for f in features(text):
                j = self.vocabulary.get(f)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            w = tf * self.idf[idx]
            w /= np.linalg.norm(w)
            rows.append(np.full(len(idx), i))
            cols.append(idx)
            vals.append(w)
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(len(texts), len(labels)) class probabilities (softmax of the linear scores)."""
        scores = np.tile(self.intercept, (len(texts), 1))
        r, c, v = self.vectorise(texts)
        np.add.at(scores, r, v[:, None] * self.coef[c])
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """Most likely label and its probability for each text."""
        p = self.predict_proba(texts)
        best = p.argmax(axis=1)
        return [(self.labels[k], float(p[i, k])) for i, k in enumerate(best)]


def save(path: Path, version: str, labels: list[str], vocabulary: list[str], idf: np.ndarray, coef: np.ndarray,
         intercept: np.ndarray) -> None:
    """Write the model as plain arrays (strings as fixed-width unicode, weights as float32)."""
    np.savez_compressed(path, version=np.array(version), labels=np.array(labels), vocabulary=np.array(vocabulary),
                        idf=idf.astype(np.float32), coef=coef.astype(np.float32),
                        intercept=intercept.astype(np.float32))


def load(path: Path = MODEL_PATH) -> SubEventModel:
    """Read a model written by `save`; refuses pickled objects."""
    with np.load(path, allow_pickle=False) as z:
        vocab = [str(v) for v in z["vocabulary"]]
        return SubEventModel(version=str(z["version"]), labels=tuple(str(v) for v in z["labels"]),
                             vocabulary={v: i for i, v in enumerate(vocab)}, idf=z["idf"].astype(np.float64),
                             coef=z["coef"].astype(np.float64), intercept=z["intercept"].astype(np.float64))


@cache
def model() -> SubEventModel:
    """The committed model, loaded once per process."""
    return load()
