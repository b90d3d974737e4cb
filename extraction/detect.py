"""Event detection: does a sentence report a specific event that happened?

A candidate sentence holds an event word, but most such sentences in news do not report an event: a reaction, a
quote, a demand, history, a plan, an opinion, or a word in its sporting, financial or figurative sense ("the
minister attacked the opposition", "the peso rallied"). A binary logistic regression over TF-IDF word n-grams of
the sentence and a few marks of where it stands in its document (inside a quotation, the lead sentence, what
the sentences around it say) gives the probability that it reports an event. It is trained by
`scripts/train_detect.py` on real news with real negatives (IndiaPoliceEvents' sentence labels, MUC's
no-incident messages) and ACLED's notes as positives, and committed as plain arrays (`models/detect.npz`,
loaded without pickle). The coder drops a candidate sentence the model finds unlikely, and a whole document
whose likeliest sentence is unlikely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from extraction import subevent
from extraction.clean import DATELINE
from extraction.segment import Sentence

MODEL_PATH = Path(__file__).resolve().parent / "models" / "detect.npz"

# Editorial insertions ("[TEXT]", "[FMLN]", "[words indistinct]") and wire tags say nothing of what happened.
_BRACKETS = re.compile(r"\[[^\]]*\]")
_DASHES = re.compile(r"^\W*[-—–]+\s*")
# A wire dateline with its date and agency: "LIMA, 3 JAN 90 (EFE) --", "Kabul, May 4 (Reuters) -".
_WIRE_DATELINE = re.compile(r"^[^\W\d][^,\n]{0,60},\s*(?:\d{1,2}\s+[A-Za-z]{3,9}\.?(?:\s+\d{2,4})?|[A-Za-z]{3,9}\.?\s+"
                            r"\d{1,2}(?:,?\s+\d{4})?)\s*(?:\([^)]{0,40}\))?\s*[-—–:]+\s*")
# A candidate sentence is coded when the model gives it SENTENCE or more, and a document at all only when its
# likeliest candidate reaches DOCUMENT (one clear report carries the weaker sentences that go with it).
SENTENCE = 0.2
DOCUMENT = 0.3
# Day and month names: ACLED's notes give dates (removed), news gives weekdays; as features they teach the style.
_CALENDAR = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:january|february|march|april|may|june|"
                       r"july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
                       r"(?=\W*0)|(?<=0 )(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b", re.I)
_QUOTES = "\"“”«»"
_WORD = re.compile(r"[a-z0]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower-cased event words: no dateline, no bracketed insertions, no day or month names, and what
    `subevent.normalise` removes (ACLED's labels and tags, a leading date, parenthesised names, digits as 0)."""
    text = _BRACKETS.sub(" ", text)
    if (m := _WIRE_DATELINE.match(text) or DATELINE.match(text)) is not None:
        text = text[m.end() :]
    text = _DASHES.sub("", text)
    return _CALENDAR.sub(" ", subevent.normalise(text))


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def sentence_features(text: str, context: tuple[str, ...] = ()) -> list[str]:
    """Word unigrams, bigrams and 5-letter stems of the sentence, plus its context marks (`context` below)."""
    w = words(text)
    return w + [f"{a} {b}" for a, b in zip(w, w[1:], strict=False)] + [f"~{x[:5]}" for x in w if len(x) > 5] \
        + list(context)


def _in_quotation(paragraph_text: str, offset: int) -> bool:
    """Does the sentence starting at `offset` of its paragraph sit inside an open quotation?"""
    before = paragraph_text[:offset]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly


# Marks of a sentence's place in its document. Each is a feature token, so the model learns what it means.
def context(sentences: list[Sentence], i: int, paragraph_text: str, paragraph_start: int,
            flags: list[bool]) -> tuple[str, ...]:
    """Where sentence i stands: '_quoted' (it opens inside a quotation), '_quotes' (it holds one), '_lead' (the
    document's first sentence), '_alone' (no other candidate sentence in its paragraph), and the words of the
    sentence before it ('<w'), which often says whether what follows is a report, a quote or a recollection."""
    s = sentences[i]
    marks = []
    if _in_quotation(paragraph_text, s.start - paragraph_start) or s.text[:1] in _QUOTES:
        marks.append("_quoted")
    elif any(q in s.text for q in _QUOTES):
        marks.append("_quotes")
    if i == 0:
        marks.append("_lead")
    same = [j for j in range(len(sentences)) if sentences[j].paragraph == s.paragraph and j != i and flags[j]]
    if not same:
        marks.append("_alone")
    if i > 0 and sentences[i - 1].paragraph == s.paragraph:
        marks.extend(f"<{w}" for w in dict.fromkeys(words(sentences[i - 1].text)))
    else:
        marks.append("<_start")
    return tuple(marks)


def document_features(paragraphs: list[str], sentences: list[Sentence], flags: list[bool]) -> dict[int, list[str]]:
    """Features of each candidate sentence of a document (index -> tokens)."""
    starts = []
    offset = 0
    for para in paragraphs:
        starts.append(offset)
        offset += len(para) + 2
    return {i: sentence_features(s.text, context(sentences, i, paragraphs[s.paragraph], starts[s.paragraph], flags))
            for i, s in enumerate(sentences) if flags[i]}


@dataclass(frozen=True)
class DetectModel:
    version: str
    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features,)
    intercept: float

    def vectorise(self, rows: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse TF-IDF rows as (row index, column index, value): sublinear tf, L2-normalised like sklearn."""
        r_out, c_out, v_out = [], [], []
        for i, tokens in enumerate(rows):
            counts: dict[int, int] = {}
            for f in tokens:
                j = self.vocabulary.get(f)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
            w = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[idx]
            w /= np.linalg.norm(w)
            r_out.append(np.full(len(idx), i))
            c_out.append(idx)
            v_out.append(w)
        if not r_out:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(r_out), np.concatenate(c_out), np.concatenate(v_out)

    def predict_proba(self, rows: list[list[str]]) -> np.ndarray:
        """Probability that each feature row is a report of an event (logistic of the linear score)."""
        scores = np.full(len(rows), self.intercept)
        r, c, v = self.vectorise(rows)
        np.add.at(scores, r, v * self.coef[c])
        return 1.0 / (1.0 + np.exp(-scores))


def save(path: Path, version: str, vocabulary: list[str], idf: np.ndarray, coef: np.ndarray, intercept: float) -> None:
    """Write the model as plain arrays (strings as fixed-width unicode, weights as float32)."""
    np.savez_compressed(path, version=np.array(version), vocabulary=np.array(vocabulary),
                        idf=idf.astype(np.float32), coef=coef.astype(np.float32),
                        intercept=np.array(intercept, dtype=np.float32))


def load(path: Path = MODEL_PATH) -> DetectModel:
    """Read a model written by `save`; refuses pickled objects."""
    with np.load(path, allow_pickle=False) as z:
        vocab = [str(v) for v in z["vocabulary"]]
        return DetectModel(version=str(z["version"]), vocabulary={v: i for i, v in enumerate(vocab)},
                           idf=z["idf"].astype(np.float64), coef=z["coef"].astype(np.float64),
                           intercept=float(z["intercept"]))


@cache
def model() -> DetectModel:
    """The committed model, loaded once per process."""
    return load()
