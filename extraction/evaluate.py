"""`events evaluate GOLD.csv`: the coder measured against an ACLED export, field by field.

Each `notes` paragraph is one document published the day after its gold event; the predicted event that
stands for the gold one is the one with the same sub-type, else the same event type, else the first. Fields
are compared as ACLED users compare them (case, accents, punctuation and "(2013-)" suffixes ignored;
a location counts when the name matches or the point lies within 25 km), so the numbers match the
project's scorer on the same sample. One difference: a gold fatality figure written "4.0" is read as 4
(the scorer counts such rows as misses).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from extraction.records import event_dicts, stage_records

DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%y", "%d-%m-%y", "%d %B %Y", "%d-%b-%Y", "%d/%m/%Y")
FIELDS = ("detected", "event_type", "sub_event_type", "event_date", "country", "admin1", "location", "actor1",
          "actors_any", "inter1", "fatalities")
GOLD_COLUMNS = ("notes", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "inter1", "country",
                "admin1", "location", "latitude", "longitude", "fatalities")
NO_EVENT = "(no event)"
# Fields shown for each of the worst examples (gold, predicted, whether the scorer counted it right).
EXAMPLE_FIELDS = ("sub_event_type", "event_date", "country", "admin1", "location", "actor1", "fatalities")
_SIZE_TAG = re.compile(r"\s*\[[^\]]*\]\s*$")


class GoldError(ValueError):
    """The gold file cannot be read as an ACLED export."""


def parse_date(raw: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read_gold(path: Path, limit: int | None = None, seed: int = 13) -> pl.DataFrame:
    """Rows with notes and a readable date (headers in any case), sampled like the scorer samples them."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"notes", "event_date"} <= {h.strip().lower() for h in reader.fieldnames}:
            raise GoldError(f"{path} has no 'notes' and 'event_date' columns; is it an ACLED export?")
        rows = [{k.strip().lower(): v for k, v in r.items() if k} for r in reader]
    rows = [r for r in rows if (r.get("notes") or "").strip() and parse_date(r.get("event_date") or "")]
    if limit and len(rows) > limit:
        rows = random.Random(seed).sample(rows, limit)
    frame = pl.DataFrame([{c: r.get(c) or "" for c in GOLD_COLUMNS} for r in rows],
                         schema=dict.fromkeys(GOLD_COLUMNS, pl.String))
    return frame.with_row_index("i").with_columns(
        doc_id=pl.format("g{}", "i"),
        text=pl.col("notes").str.strip_chars().str.replace(_SIZE_TAG.pattern, ""),
        date=pl.Series([parse_date(d) for d in frame["event_date"]], dtype=pl.Date),
    )


def predict(gold: pl.DataFrame) -> pl.DataFrame:
    """Code each gold document; one row per predicted event, in output order."""
    records = ((i, {"id": d, "text": t, "published": (day + dt.timedelta(days=1)).isoformat()})
               for i, d, t, day in gold.select("i", "doc_id", "text", "date").iter_rows())
    events = list(event_dicts(stage_records(records, "gold")))
    schema = {"doc_id": pl.String, "event_date": pl.String, "event_type": pl.String, "sub_event_type": pl.String,
              "actor1": pl.String, "actor2": pl.String, "inter1": pl.Int64, "country": pl.String,
              "admin1": pl.String, "location": pl.String, "latitude": pl.Float64, "longitude": pl.Float64,
              "fatalities": pl.Int64, "evidence": pl.String}
    return pl.DataFrame([{k: e.get(k) for k in schema} for e in events], schema=schema).with_row_index("n")


def norm(col: str | pl.Expr) -> pl.Expr:
    """Lower-case ASCII words: accents, punctuation and ACLED's "(2013-)" actor suffixes dropped."""
    expr = pl.col(col) if isinstance(col, str) else col
    return (expr.cast(pl.String).fill_null("").str.normalize("NFKD").str.replace_all(r"[^\x00-\x7f]", "")
            .str.to_lowercase().str.replace_all(r"\(\d{4}-\d{0,4}\)", " ").str.replace_all(r"[^a-z0-9]+", " ")
            .str.strip_chars())


def _km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    p1, p2 = lat1.radians(), lat2.radians()
    a = ((p2 - p1) / 2).sin() ** 2 + p1.cos() * p2.cos() * ((lon2 - lon1).radians() / 2).sin() ** 2
    return 6371.0 * 2 * a.clip(0.0, 1.0).sqrt().arcsin()


def compare(gold: pl.DataFrame, pred: pl.DataFrame) -> pl.DataFrame:
    """One row per gold document: its standing-for prediction and an `ok_<field>` column per field."""
    pred = pred.rename({c: f"p_{c}" for c in pred.columns if c != "doc_id"})
    joined = gold.join(pred, on="doc_id", how="left").with_columns(
        _rank=pl.when(norm("p_sub_event_type") == norm("sub_event_type")).then(0)
        .when(norm("p_event_type") == norm("event_type")).then(1).otherwise(2),
        n_events=pl.col("p_n").count().over("doc_id"),
    )
    best = joined.sort("i", "_rank", "p_n").group_by("i", maintain_order=True).first()
    detected = pl.col("p_n").is_not_null()
    glat, glon = (pl.col(c).cast(pl.Float64, strict=False) for c in ("latitude", "longitude"))
    near = _km(glat, glon, pl.col("p_latitude"), pl.col("p_longitude")) <= 25
    gold_fatal = pl.col("fatalities").cast(pl.Float64, strict=False).fill_null(0).cast(pl.Int64)

    def same(field: str) -> pl.Expr:
        return detected & (norm(f"p_{field}") == norm(field))

    actors = [norm(c) for c in ("actor1", "actor2")]
    predicted_actors = [norm(c) for c in ("p_actor1", "p_actor2")]
    return best.with_columns(
        ok_detected=detected,
        ok_event_type=same("event_type"),
        ok_sub_event_type=same("sub_event_type"),
        ok_event_date=detected & (pl.col("p_event_date").str.slice(0, 10) == pl.col("date").cast(pl.String)),
        ok_country=same("country"),
        ok_admin1=same("admin1") & (norm("admin1") != ""),
        ok_location=detected & (near.fill_null(False) | ((norm("location") != "") & (norm("p_location")
                                                                                  == norm("location")))),
        ok_actor1=same("actor1"),
        ok_actors_any=detected & pl.any_horizontal([(g != "") & (g == p) for g in actors for p in predicted_actors]),
        ok_inter1=detected & (norm("p_inter1") == norm("inter1")),
        ok_fatalities=detected & (pl.col("p_fatalities").fill_null(0) == gold_fatal),
        predicted_sub=pl.when(detected).then(pl.col("p_sub_event_type")).otherwise(pl.lit(NO_EVENT)),
    )


def weighted_f1(gold: Iterable[str], pred: Iterable[str]) -> tuple[float, pl.DataFrame]:
    """Support-weighted F1 over the gold labels (predictions outside them only cost precision), and the
    per-type table behind it."""
    frame = pl.DataFrame({"gold": list(gold), "pred": list(pred)}, schema={"gold": pl.String, "pred": pl.String})
    labels = frame.group_by("gold").len("support")
    tp = frame.filter(pl.col("gold") == pl.col("pred")).group_by("gold").len("tp")
    predicted = frame.group_by("pred").len("predicted").rename({"pred": "gold"})
    table = (labels.join(tp, on="gold", how="left").join(predicted, on="gold", how="left").fill_null(0)
             .with_columns(precision=pl.when(pl.col("predicted") > 0).then(pl.col("tp") / pl.col("predicted"))
                           .otherwise(0.0),
                           recall=pl.col("tp") / pl.col("support"))
             .with_columns(f1=pl.when(pl.col("precision") + pl.col("recall") > 0)
                           .then(2 * pl.col("precision") * pl.col("recall")
                                 / (pl.col("precision") + pl.col("recall")))
                           .otherwise(0.0))
             .rename({"gold": "sub_event_type"}).sort("support", descending=True))
    total = (table["f1"] * table["support"]).sum() / max(1, frame.height)
    return float(total), table


def evaluate(path: Path, limit: int | None = None, seed: int = 13, worst: int = 15) -> dict:
    """Per-field accuracy, sub-type F1 and confusions, and the worst-coded examples of one gold file."""
    gold = read_gold(path, limit, seed)
    if gold.is_empty():
        raise GoldError(f"{path} has no rows with notes and a readable event_date")
    started = dt.datetime.now()
    scored = compare(gold, predict(gold))
    seconds = (dt.datetime.now() - started).total_seconds()
    n = scored.height
    result: dict = {"docs": n, "seconds": round(seconds, 2), "docs_per_s": round(n / seconds, 1) if seconds else None}
    result.update({f: round(scored[f"ok_{f}"].sum() / n, 3) for f in FIELDS})
    f1, per_type = weighted_f1(scored["sub_event_type"], scored["predicted_sub"])
    result["sub_event_weighted_f1"] = round(f1, 3)
    result["events_per_doc"] = round(scored["n_events"].sum() / n, 2)
    confusions = (scored.filter(pl.col("sub_event_type") != pl.col("predicted_sub"))
                  .group_by("sub_event_type", "predicted_sub").len("n")
                  .sort("n", "sub_event_type", descending=[True, False]))
    wrong = scored.with_columns(misses=pl.sum_horizontal((~pl.col(f"ok_{f}")).cast(pl.Int32) for f in FIELDS))
    examples = wrong.sort("misses", "i", descending=[True, False]).head(worst).select(
        "doc_id", "misses", pl.col("text").str.slice(0, 300),
        *(pl.struct(gold=c, predicted=f"p_{c}", ok=f"ok_{c}").alias(c) for c in EXAMPLE_FIELDS))
    return {"gold": str(path), "result": result, "per_sub_event_type": per_type.to_dicts(),
            "top_confusions": confusions.head(40).to_dicts(), "worst_examples": examples.to_dicts()}


def render(report: dict) -> str:
    """The report as text for a terminal."""
    result = report["result"]
    width = max(map(len, result))
    lines = [f"gold: {report['gold']}", *(f"{k:<{width}}  {v}" for k, v in result.items()), "",
             "sub-event type                           support  precision  recall  f1"]
    lines += [f"{r['sub_event_type'][:40]:<40} {r['support']:>7}  {r['precision']:>9.2f}  {r['recall']:>6.2f}  "
              f"{r['f1']:.2f}" for r in report["per_sub_event_type"]]
    lines += ["", "most frequent confusions (gold -> predicted)"]
    lines += [f"{c['n']:>5}  {c['sub_event_type']} -> {c['predicted_sub']}" for c in report["top_confusions"][:15]]
    lines += ["", "worst examples (fields missed)"]
    for ex in report["worst_examples"][:10]:
        # a field is shown where the scorer counted it a miss, not where the strings differ ("9-May-20" and
        # "2020-05-09" are the same day; a location within 25 km counts)
        diffs = ", ".join(f"{k}: {ex[k]['gold']!s} / {ex[k]['predicted']!s}" for k in EXAMPLE_FIELDS
                          if not ex[k]["ok"])
        lines.append(f"  {ex['doc_id']} missed {ex['misses']}: {diffs}\n      {ex['text'][:160]}")
    lines.append("SCORE " + " ".join(f"{k}={v}" for k, v in result.items()))
    return "\n".join(lines)
