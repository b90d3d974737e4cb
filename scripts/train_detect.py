"""Train the event detector (extraction/models/detect.npz): does a candidate sentence report an event?

    uv run python scripts/train_detect.py            # train and write the model
    uv run python scripts/train_detect.py --check    # retrain; fail unless it agrees with the committed model
    uv run python scripts/train_detect.py --eval     # held-out scores only (nothing written)

Examples are the candidate sentences the coder itself would read (staged and split by the coder's own
functions), with the context marks of `extraction.detect`:
- ACLED's notes (the three training files, never acled_global_2020.csv) are positives: every note reports an
  event. A note's first candidate sentence weighs 1, its later ones (often background) less.
- IndiaPoliceEvents' sentence labels (ipe/sents.jsonl): a sentence where the police arrest, use force or kill is
  a positive; one with no label a negative. Other police action ("deployed", "registered a case") is left out.
- MUC's no-incident messages are negatives, at a lower weight: MUC leaves out clashes, protests and arrests
  that ACLED codes, so some of their sentences are events all the same.
- MUC's incident messages: the likeliest candidate sentence of each (by a first fit without them) is a
  positive, since the message reports at least one incident (multiple-instance learning, one round).
MUC and IPE are split by a hash of the message or article id; only TRAIN_SHARE of each trains, and `--eval`
scores the rest. ACLED notes are capped per country and sub-event type; a hashed fifth is held out.
ACLED, MUC and IPE text is never committed: only the n-gram vocabulary and the weights are.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import reproduce  # noqa: E402  (scripts/, beside this file)

from extraction import detect  # noqa: E402
from extraction.coder import document_sentences  # noqa: E402
from extraction.records import stage_records  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
ACLED_FILES = ("acled_training_bundle.csv", "acled_usa_2020.csv", "acled_bangladesh_2022_2024.csv")
VERSION = "1"
SEED = 13
TRAIN_SHARE = 6  # of 10 hash buckets of MUC and IPE ids
ACLED_CAP = 150  # notes per (country, sub-event type)
MAX_FEATURES = 40000
MIN_DF = 3
SOURCES_PER_FEATURE = 1
C = 1.0
W_ACLED_LATER = 0.4  # a note's later candidate sentences
SHARE = {"acled": 0.5, "ipe": 1.0, "muc": 1.0}  # each class of each source, in total
MIL_ROUNDS = 1
MIL_TOP = 2  # sentences of each MUC incident message taken as positives
IPE_EVENT = {"ARREST", "FORCE", "KILL"}
SIZE_TAG = re.compile(r"\s*\[[^\]]*\]\s*$")


def bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10


@dataclass
class Doc:
    source: str  # acled / muc / ipe
    key: str
    train: bool
    label: int  # document: reports an event (1) or not (0)
    rows: list[list[str]] = field(default_factory=list)  # candidate sentences' features
    labels: list[int | None] = field(default_factory=list)  # sentence labels where known


def _staged(records: list[dict]) -> list:
    return stage_records(enumerate(records, 1), "train")


def _candidates(doc) -> tuple[list[int], dict[int, list[str]], list]:
    paragraphs, sentences, flags = document_sentences(doc)
    feats = detect.document_features(paragraphs, sentences, flags)
    return sorted(feats), feats, sentences


def acled_docs(data: Path) -> list[Doc]:
    frames = []
    for name in ACLED_FILES:
        df = pl.read_csv(data / name, infer_schema_length=0)
        df = df.rename({c: c.lower() for c in df.columns})
        frames.append(df.select("notes", "sub_event_type", "country"))
    rows = (pl.concat(frames).drop_nulls(["notes", "sub_event_type"]).filter(pl.col("notes").str.strip_chars() != "")
            .unique("notes", keep="first", maintain_order=True)
            .with_columns(_r=pl.int_range(pl.len()).shuffle(SEED).over("country", "sub_event_type"))
            .filter(pl.col("_r") < ACLED_CAP))
    notes = [SIZE_TAG.sub("", n.strip()) for n in rows["notes"].to_list()]
    out = []
    for note, doc in zip(notes, _staged([{"id": str(i), "text": n} for i, n in enumerate(notes)]), strict=True):
        idx, feats, _ = _candidates(doc)
        d = Doc("acled", note, bucket(note) != 0, 1)
        for k, i in enumerate(idx):
            d.rows.append(feats[i])
            d.labels.append(1 if k == 0 else None)  # later sentences: positives of lower weight
        out.append(d)
    return out


def muc_docs(data: Path) -> list[Doc]:
    rows = [json.loads(line) for line in (data / "muc" / "muc34_dev.jsonl").read_text().splitlines() if line.strip()]
    staged = _staged([{"id": r["id"], "text": r["text"], "published": r["published"]} for r in rows])
    out = []
    for r, doc in zip(rows, staged, strict=True):
        eventful = any(not t["optional"] and {"ACCOMPLISHED", "ATTEMPTED"} & set(t["stages"]) for t in r["templates"])
        if r["templates"] and not eventful:
            continue  # only optional or threatened incidents: neither kind
        idx, feats, _ = _candidates(doc)
        d = Doc("muc", r["id"], bucket(r["id"]) < TRAIN_SHARE, int(eventful))
        d.rows = [feats[i] for i in idx]
        d.labels = [None if eventful else 0 for _ in idx]
        out.append(d)
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def ipe_docs(data: Path) -> list[Doc]:
    """IPE articles with each candidate sentence labelled by the IPE sentences it overlaps."""
    import ftfy

    sents: dict[int, list[dict]] = {}
    for line in (data / "ipe" / "sents.jsonl").read_text().splitlines():
        s = json.loads(line)
        sents.setdefault(s["doc_id"], []).append(s)
    rows = [json.loads(line) for line in (data / "ipe" / "docs.jsonl").read_text().splitlines() if line.strip()]
    staged = _staged([{"id": str(r["doc_id"]), "text": r["doc_text"]} for r in rows])
    out = []
    for r, doc in zip(rows, staged, strict=True):
        labels = r["doc_labels"] if isinstance(r["doc_labels"], list) else json.loads(r["doc_labels"] or "[]")
        idx, feats, sentences = _candidates(doc)
        text = _squash(doc.text)
        spans = []  # (start, end, labels) of each IPE sentence found in the staged text
        pos = 0
        for s in sorted(sents.get(r["doc_id"], []), key=lambda s: s["sent_id"]):
            piece = _squash(ftfy.fix_text(s["sent_text"]))
            if len(piece) < 8:
                continue
            at = text.find(piece, pos)
            if at >= 0:
                spans.append((at, at + len(piece), set(s["sent_labels"])))
                pos = at + len(piece)
        d = Doc("ipe", str(r["doc_id"]), bucket(str(r["doc_id"])) < TRAIN_SHARE, int(bool(IPE_EVENT & set(labels))))
        for i in idx:
            sent = _squash(sentences[i].text)
            at = text.find(sent)
            if at < 0:
                continue
            got = set().union(*[lab for a, b, lab in spans if a < at + len(sent) and at < b])
            d.rows.append(feats[i])
            d.labels.append(1 if got & IPE_EVENT else None if got else 0)
        out.append(d)
    return out


def examples(docs: list[Doc], mil: dict[str, list[int]] | None = None) -> tuple[list[list[str]], np.ndarray,
                                                                                np.ndarray]:
    """Training rows, labels and weights of the training documents; `mil` names the positive sentences of each
    MUC incident message. Each source's positives and negatives weigh SHARE[source] in total (ACLED brings only
    positives), so the model learns what tells an event from a non-event within news, not the style of a source."""
    x, y, w, group = [], [], [], []
    for d in docs:
        if not d.train:
            continue
        for k, (row, lab) in enumerate(zip(d.rows, d.labels, strict=True)):
            if d.source == "acled":
                x.append(row), y.append(1), w.append(1.0 if lab == 1 else W_ACLED_LATER)
            elif d.source == "muc" and lab == 0:
                x.append(row), y.append(0), w.append(1.0)
            elif d.source == "muc" and mil is not None and k in mil.get(d.key, ()):
                x.append(row), y.append(1), w.append(1.0)
            elif d.source == "ipe" and lab is not None:
                x.append(row), y.append(lab), w.append(1.0)
            else:
                continue
            group.append((d.source, y[-1]))
    y_arr, w_arr = np.array(y), np.array(w)
    keys = np.array([f"{s}{c}" for s, c in group])
    for key in set(keys.tolist()):
        mask = keys == key
        w_arr[mask] *= SHARE[key[:-1]] / w_arr[mask].sum()
    return x, y_arr, w_arr * len(w_arr) / w_arr.sum()


def shared_vocabulary(docs: list[Doc]) -> list[str]:
    """Features that occur in the training sentences of at least SOURCES_PER_FEATURE sources, MIN_DF times or
    more: what is said across sources (event words, reporting and quoting), not a source's places and jargon."""
    seen: dict[str, set[str]] = {}
    df: dict[str, int] = {}
    for d in docs:
        if d.train:
            for row in d.rows:
                for f in set(row):
                    seen.setdefault(f, set()).add(d.source)
                    df[f] = df.get(f, 0) + 1
    keep = [f for f, sources in seen.items() if len(sources) >= SOURCES_PER_FEATURE and df[f] >= MIN_DF]
    return sorted(sorted(keep), key=lambda f: -df[f])[:MAX_FEATURES]


def _fit(x, y, w, vocabulary) -> tuple[TfidfVectorizer, LogisticRegression]:
    vec = TfidfVectorizer(analyzer=lambda row: row, sublinear_tf=True, vocabulary=sorted(vocabulary),
                          dtype=np.float64)
    xm = vec.fit_transform(x)
    clf = LogisticRegression(C=C, tol=1e-4, max_iter=2000)
    clf.fit(xm, y, sample_weight=w)
    return vec, clf


def as_model(vec: TfidfVectorizer, clf: LogisticRegression) -> detect.DetectModel:
    vocab = vec.get_feature_names_out().tolist()
    return detect.DetectModel(VERSION, {v: i for i, v in enumerate(vocab)}, vec.idf_, clf.coef_[0],
                              float(clf.intercept_[0]))


def fit(docs: list[Doc]) -> tuple[TfidfVectorizer, LogisticRegression]:
    """A first fit without MUC's incident messages, then MIL_ROUNDS more, each with the likeliest MIL_TOP
    sentences of each incident message (by the fit before) as positives."""
    vocabulary = shared_vocabulary(docs)
    vec, clf = _fit(*examples(docs), vocabulary)
    for _ in range(MIL_ROUNDS):
        current = as_model(vec, clf)
        mil = {d.key: np.argsort(-current.predict_proba(d.rows), kind="stable")[:MIL_TOP].tolist()
               for d in docs if d.train and d.source == "muc" and d.label == 1 and d.rows}
        vec, clf = _fit(*examples(docs, mil), vocabulary)
    return vec, clf


def doc_scores(model: detect.DetectModel, docs: list[Doc]) -> np.ndarray:
    """Each document's likeliest candidate sentence (0 when it has none)."""
    out = []
    for d in docs:
        out.append(float(model.predict_proba(d.rows).max()) if d.rows else 0.0)
    return np.array(out)


def held_out(model: detect.DetectModel, docs: list[Doc]) -> dict[str, float]:
    """Scores on the documents that did not train: MUC messages (incident or not, by their likeliest sentence),
    IPE sentences (police arrest, force or kill, or no label) and articles, ACLED notes (share detected)."""
    res = {}
    test = [d for d in docs if not d.train]
    muc = [d for d in test if d.source == "muc"]
    ds = doc_scores(model, muc)
    lab = np.array([d.label for d in muc])
    res["muc_doc_auc"] = roc_auc_score(lab, ds)
    for t in (detect.DOCUMENT, ):
        res[f"muc_irrelevant_quiet@{t}"] = float((ds[lab == 0] < t).mean())
        res[f"muc_detected@{t}"] = float((ds[lab == 1] >= t).mean())
    ipe = [d for d in test if d.source == "ipe"]
    rows = [r for d in ipe for r, y in zip(d.rows, d.labels, strict=True) if y is not None]
    ys = np.array([y for d in ipe for y in d.labels if y is not None])
    ps = model.predict_proba(rows)
    res["ipe_sentence_auc"] = roc_auc_score(ys, ps)
    res["ipe_sentence_kept_pos"] = float((ps[ys == 1] >= detect.SENTENCE).mean())
    res["ipe_sentence_kept_neg"] = float((ps[ys == 0] >= detect.SENTENCE).mean())
    ids = doc_scores(model, ipe)
    res["ipe_doc_auc"] = roc_auc_score(np.array([d.label for d in ipe]), ids)
    acled = [d for d in test if d.source == "acled"]
    ads = doc_scores(model, acled)
    res["acled_detected"] = float((ads >= detect.DOCUMENT).mean())
    return {k: round(float(v), 4) for k, v in res.items()}


def sample_rows(docs: list[Doc], n: int = 3000) -> list[list[str]]:
    """A fixed sample of candidate sentences for the agreement check (every k-th of all documents)."""
    rows = [r for d in docs for r in d.rows]
    return rows[:: max(1, len(rows) // n)]


def load_docs(data: Path) -> list[Doc]:
    return acled_docs(data) + muc_docs(data) + ipe_docs(data)


def check(model: detect.DetectModel, docs: list[Doc]) -> bool:
    """Does a fresh fit agree with the committed model: same version and vocabulary, the same decision on at
    least 99.5% of a fixed sample of sentences, held-out scores within 0.005 of the committed model's?"""
    committed = detect.load()
    problems = []
    if committed.version != model.version:
        problems.append(f"version {committed.version} != {model.version}")
    if list(committed.vocabulary) != list(model.vocabulary):
        problems.append("vocabulary differs")
    rows = sample_rows(docs)
    agree = float(np.mean((committed.predict_proba(rows) >= detect.SENTENCE)
                          == (model.predict_proba(rows) >= detect.SENTENCE)))
    mine, theirs = held_out(model, docs), held_out(committed, docs)
    problems += reproduce.differences(agree, "decisions of the sample", mine, theirs, "committed")
    return reproduce.verdict(problems, f"agreement {agree:.4f}; held-out (committed) {theirs}")


def main() -> None:
    args = reproduce.arguments(__doc__, DATA, "held-out scores of a fresh fit; nothing written")
    docs = load_docs(args.data)
    model = as_model(*fit(docs))
    if args.check:
        sys.exit(0 if check(model, docs) else 1)
    print("held-out", held_out(model, docs))
    if args.eval:
        return
    detect.save(detect.MODEL_PATH, VERSION, list(model.vocabulary), model.idf, model.coef, model.intercept)
    print(f"wrote {detect.MODEL_PATH} ({detect.MODEL_PATH.stat().st_size // 1024} KB, {len(model.idf)} features, "
          f"version {VERSION})")


if __name__ == "__main__":
    main()
