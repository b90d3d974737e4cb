"""Train the sub-event classifier (extraction/models/subevent.npz) from the ACLED training exports.

    uv run python scripts/train_subevent.py            # train and write the model
    uv run python scripts/train_subevent.py --check    # retrain; fail unless it agrees with the committed model
    uv run python scripts/train_subevent.py --eval     # held-out notes and sentences (20% of each file)
    uv run python scripts/train_subevent.py --loco     # leave-one-country-out figures

Data: ../shared/data/acled_training_bundle.csv, acled_usa_2020.csv, acled_bangladesh_2022_2024.csv
(never acled_global_2020.csv, the measuring stick). ACLED's notes are not redistributed: only the fitted
weights and the vocabulary of n-grams are committed.

Training rows are whole notes plus their single sentences (news gives the coder one sentence at a time);
rows are capped per country and sub-event type so that the 16,000 American peaceful protests do not drown
the rest, and rarer types get a larger sample weight. Everything is seeded, so a re-run gives the same model.

Model version 1 (note-level, model alone): held-out 20% weighted F1 0.905 bundle / 0.959 USA / 0.976
Bangladesh; leave-one-country-out (8 biggest bundle countries, USA, Bangladesh) mean accuracy 0.779,
weighted F1 0.794 (Ukraine 0.688, Burkina Faso 0.682, Myanmar 0.715 lowest; Kyrgyzstan 0.902, USA 0.921).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import reproduce  # noqa: E402  (scripts/, beside this file)

from extraction.segment import split_sentences  # noqa: E402
from extraction.subevent import MODEL_PATH, features, load, save  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FILES = ("acled_training_bundle.csv", "acled_usa_2020.csv", "acled_bangladesh_2022_2024.csv")
VERSION = "1"
SEED = 13
CAP = 2000  # rows per (country, sub-event type)
MAX_FEATURES = 25000
C = 4.0
SAMPLE = 3000  # training notes in the agreement check
SCORES_PATH = MODEL_PATH.with_suffix(".scores.json")  # held-out scores recorded when the model was written


def load_rows(data: Path = DATA) -> pl.DataFrame:
    """notes, sub_event_type, country and source file of every training row with a note."""
    frames = []
    for name in FILES:
        df = pl.read_csv(data / name, infer_schema_length=0)
        df = df.rename({c: c.lower() for c in df.columns})
        frames.append(df.select("notes", "sub_event_type", "country").with_columns(file=pl.lit(name)))
    return (pl.concat(frames).drop_nulls(["notes", "sub_event_type"])
            .filter(pl.col("notes").str.strip_chars() != "").unique(["notes", "sub_event_type"], keep="first",
                                                                     maintain_order=True))


def cap(rows: pl.DataFrame, limit: int = CAP) -> pl.DataFrame:
    """At most `limit` rows (a seeded sample) of each country and sub-event type."""
    return (rows.with_columns(_r=pl.int_range(pl.len()).shuffle(SEED).over("country", "sub_event_type"))
            .filter(pl.col("_r") < limit).drop("_r"))


# A note about a protest that turned violent or was broken up usually opens with the plain protest: its
# sentences alone would teach the model that a plain protest is one of these.
ESCALATED = {"Protest with intervention", "Violent demonstration", "Excessive force against protesters"}


def examples(rows: pl.DataFrame) -> tuple[list[str], list[str], np.ndarray]:
    """Texts, labels and sample weights: each note, and each sentence of a longer note at half weight."""
    texts, labels, weights = [], [], []
    for note, label in rows.select("notes", "sub_event_type").iter_rows():
        texts.append(note)
        labels.append(label)
        weights.append(1.0)
        sentences = [s.text for s in split_sentences(note) if len(s.text.split()) >= 4]
        if len(sentences) > 1 and label not in ESCALATED:
            for s in sentences:
                texts.append(s)
                labels.append(label)
                weights.append(0.5)
    counts = pl.Series(labels).value_counts()
    freq = dict(zip(counts[:, 0].to_list(), counts["count"].to_list(), strict=True))
    top = max(freq.values())
    w = np.array(weights) * np.array([(top / freq[lab]) ** 0.5 for lab in labels])
    return texts, labels, w / w.mean()


def fit(rows: pl.DataFrame) -> tuple[TfidfVectorizer, LogisticRegression]:
    texts, labels, weights = examples(cap(rows))
    vec = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=3, max_features=MAX_FEATURES, dtype=np.float64)
    x = vec.fit_transform(texts)
    clf = LogisticRegression(C=C, tol=1e-3, max_iter=1000)
    clf.fit(x, labels, sample_weight=weights)
    return vec, clf


def write(vec: TfidfVectorizer, clf: LogisticRegression, path: Path = MODEL_PATH) -> None:
    vocab = vec.get_feature_names_out().tolist()
    path.parent.mkdir(parents=True, exist_ok=True)
    save(path, VERSION, list(clf.classes_), vocab, vec.idf_, clf.coef_.T, clf.intercept_)


def scores(vec, clf, texts: list[str], gold: list[str]) -> str:
    pred = clf.predict(vec.transform(texts))
    return f"n={len(gold)} accuracy={accuracy_score(gold, pred):.3f} " \
           f"weighted_f1={f1_score(gold, pred, average='weighted', zero_division=0):.3f}"


def first_sentences(notes: list[str]) -> list[str]:
    return [split_sentences(n)[0].text for n in notes]


def held_out(rows: pl.DataFrame) -> None:
    """Train on 80% of the rows, score the other 20% (notes, and their first sentence alone)."""
    parts = split(rows)
    vec, clf = fit(parts.filter(~pl.col("_test")))
    for name in FILES:
        test = parts.filter(pl.col("_test") & (pl.col("file") == name))
        notes, gold = test["notes"].to_list(), test["sub_event_type"].to_list()
        print(f"held-out {name}: notes {scores(vec, clf, notes, gold)}; first sentence "
              f"{scores(vec, clf, first_sentences(notes), gold)}")


def leave_one_country_out(rows: pl.DataFrame, n: int = 8) -> None:
    """Train without one country, score on it: the 8 biggest countries of the bundle, the USA, Bangladesh."""
    bundle = rows.filter(pl.col("file") == FILES[0])["country"].value_counts(sort=True)["country"][:n].to_list()
    accs = []
    for country in [*bundle, "United States", "Bangladesh"]:
        vec, clf = fit(rows.filter(pl.col("country") != country))
        test = rows.filter(pl.col("country") == country)
        test = test.sample(min(len(test), 2000), seed=SEED)
        notes, gold = test["notes"].to_list(), test["sub_event_type"].to_list()
        pred = clf.predict(vec.transform(notes))
        accs.append((accuracy_score(gold, pred), f1_score(gold, pred, average="weighted", zero_division=0)))
        print(f"loco {country:<26} {scores(vec, clf, notes, gold)}", flush=True)
    print(f"loco mean accuracy={np.mean([a for a, _ in accs]):.3f} weighted_f1={np.mean([f for _, f in accs]):.3f}")


def split(rows: pl.DataFrame) -> pl.DataFrame:
    """A fixed 80/20 split of every file (seeded): `_test` marks the held-out fifth."""
    return rows.with_columns(_test=pl.int_range(pl.len()).shuffle(SEED).over("file") % 5 == 0)


def held_out_scores(rows: pl.DataFrame) -> dict[str, float]:
    """Fit on the 80% and score the held-out 20% of each file: weighted F1 and accuracy of whole notes."""
    parts = split(rows)
    vec, clf = fit(parts.filter(~pl.col("_test")))
    res = {}
    for name in FILES:
        test = parts.filter(pl.col("_test") & (pl.col("file") == name))
        gold = test["sub_event_type"].to_list()
        pred = clf.predict(vec.transform(test["notes"].to_list()))
        key = name.removesuffix(".csv")
        res[f"{key}_accuracy"] = round(float(accuracy_score(gold, pred)), 4)
        res[f"{key}_weighted_f1"] = round(float(f1_score(gold, pred, average="weighted", zero_division=0)), 4)
    return res


def agreement_sample(rows: pl.DataFrame, n: int = SAMPLE) -> list[str]:
    """A fixed sample of training notes (every k-th), on which a refit must decide as the committed model."""
    notes = rows["notes"].to_list()
    return notes[:: max(1, len(notes) // n)]


def _vocabulary_problems(committed: list[str], fresh: list[str], rows: pl.DataFrame) -> list[str]:
    """The committed and the fresh vocabulary must be the same, except among the n-grams exactly as frequent as
    the last one admitted: sklearn cuts max_features with numpy's unstable argsort, whose order of ties depends
    on the CPU's sort kernels (AVX2 vs AVX-512), so which of those tied n-grams make the cut varies by machine."""
    if committed == fresh:
        return []
    texts = examples(cap(rows))[0]
    counts = CountVectorizer(analyzer=features, min_df=3)
    totals = np.asarray(counts.fit_transform(texts).sum(axis=0)).ravel()
    freq = dict(zip(counts.get_feature_names_out().tolist(), totals.tolist(), strict=True))
    cutoff = min(freq[t] for t in fresh)
    untied = [t for t in set(committed) ^ set(fresh) if freq.get(t) != cutoff]
    return [f"vocabulary differs beyond ties at the cut (e.g. {sorted(untied)[:5]})"] if untied else []


def check(vec: TfidfVectorizer, clf: LogisticRegression, rows: pl.DataFrame) -> bool:
    """Does a fresh fit agree with the committed model on what matters, on any CPU? The same version,
    vocabulary and labels; the same label for at least 99.5% of a fixed sample of training notes; held-out
    scores within 0.005 of those recorded at training. Raw weights differ between BLAS kernels, so they are
    not compared."""
    committed = load()
    problems = []
    if committed.version != VERSION:
        problems.append(f"version {committed.version} != {VERSION}")
    if list(committed.labels) != list(clf.classes_):
        problems.append("labels differ")
    problems += _vocabulary_problems(list(committed.vocabulary), vec.get_feature_names_out().tolist(), rows)
    sample = agreement_sample(rows)
    theirs = np.array(committed.labels)[committed.predict_proba(sample).argmax(axis=1)]
    agree = float(np.mean(theirs == clf.predict(vec.transform(sample))))
    fresh = held_out_scores(rows)
    problems += reproduce.differences(agree, f"labels of {len(sample)} notes", fresh, reproduce.recorded(SCORES_PATH))
    return reproduce.verdict(problems, f"agreement {agree:.4f} on {len(sample)} notes; held-out {fresh}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="retrain and compare with the committed model")
    ap.add_argument("--eval", action="store_true", help="held-out scores (20%% of each file)")
    ap.add_argument("--loco", action="store_true", help="leave-one-country-out scores")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    rows = load_rows(args.data)
    if args.eval:
        held_out(rows)
    if args.loco:
        leave_one_country_out(rows)
    if args.eval or args.loco:
        return
    vec, clf = fit(rows)
    if args.check:
        sys.exit(0 if check(vec, clf, rows) else 1)
    write(vec, clf)
    SCORES_PATH.write_text(json.dumps(held_out_scores(rows), indent=1, sort_keys=True) + "\n")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB, {len(vec.idf_)} features, "
          f"{len(clf.classes_)} labels, version {VERSION})")


if __name__ == "__main__":
    main()
