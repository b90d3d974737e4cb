"""Place accuracy of the coder on an ACLED export: country, admin1 and location (name or within 25 km).

Each `notes` paragraph is one document, as in ../shared/eval/score.py (same sample for the same
--limit/--seed).  Reported twice:

* ``coded``: over documents the coder detected, the event picked like the scorer does (same sub-type,
  else same type, else first);
* ``places``: over all documents, the place the coder would give an event in the first sentence
  (document context, the sentence's places, earlier towns of its paragraph), so detection does not
  hide place errors.

    uv run python scripts/eval_places.py ../shared/data/acled_training_bundle.csv --limit 1000 --show 20

``--show N`` prints N misses of the place-only answer (for development files only).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import re
import sys
import time
import unicodedata
from collections import Counter

csv.field_size_limit(sys.maxsize)


def norm(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def gold_date(raw: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d-%b-%y", "%d-%m-%y", "%d %B %Y", "%d-%b-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def as_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_rows(path: str, limit: int | None, seed: int, per_country: int | None = None,
              countries: list[str] | None = None) -> list[dict]:
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        rows = [{k.lower(): v for k, v in r.items()} for r in csv.DictReader(fh)]
    rows = [r for r in rows if (r.get("notes") or "").strip() and gold_date(r.get("event_date", ""))]
    if countries:
        rows = [r for r in rows if r.get("country") in countries]
    if per_country:  # a mix of many countries, like a global export, from a file dominated by a few
        random.Random(seed).shuffle(rows)
        seen: Counter = Counter()
        kept = []
        for r in rows:
            seen[r.get("country")] += 1
            if seen[r.get("country")] <= per_country:
                kept.append(r)
        rows = kept
    if limit and len(rows) > limit:
        rows = random.Random(seed).sample(rows, limit)
    return rows


def hits(gold: dict, pred: dict) -> dict[str, bool]:
    """The scorer's comparison of the three place fields."""
    glat, glon = as_float(gold.get("latitude")), as_float(gold.get("longitude"))
    plat, plon = as_float(pred.get("latitude")), as_float(pred.get("longitude"))
    near = None not in (glat, glon, plat, plon) and km(glat, glon, plat, plon) <= 25
    return {
        "country": norm(pred.get("country")) == norm(gold.get("country")),
        "admin1": bool(norm(gold.get("admin1"))) and norm(pred.get("admin1")) == norm(gold.get("admin1")),
        "location": near or (bool(norm(gold.get("location"))) and norm(pred.get("location")) == norm(gold["location"])),
    }


def pick(events: list[dict], sub: str, etype: str) -> dict | None:
    for key, want in (("sub_event_type", sub), ("event_type", etype)):
        for ev in events:
            if norm(ev.get(key)) == norm(want):
                return ev
    return events[0] if events else None


def place_only(doc, ctx) -> dict:
    """The place an event in the document's first sentence would get."""
    from extraction.coder import event_place, places_in
    from extraction.segment import split_document

    paragraphs = doc.text.split("\n\n") if doc.text else []
    sentences = split_document(paragraphs)
    if not sentences:
        place = ctx.place
    else:
        place, *_ = event_place(places_in(sentences[0].text, ctx), ctx, [])
    country = place.country if place else ctx.country
    return {
        "country": country.name if country else None,
        "admin1": place.admin1 if place else None,
        "location": place.name if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-country", type=int, help="at most this many rows of each country")
    ap.add_argument("--country", action="append", help="only rows of this gold country (repeatable)")
    ap.add_argument("--show", type=int, default=0, help="print this many place-only misses")
    ap.add_argument("--no-coder", action="store_true", help="place-only numbers (faster)")
    ap.add_argument("--lower", action="store_true", help="lower-case the notes (as some news feeds deliver text)")
    args = ap.parse_args()

    from extraction.clean import stage
    from extraction.coder import code_documents, document_context
    from schemas.models import RawDocument

    rows = read_rows(args.gold, args.limit, args.seed, args.per_country, args.country)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    docs = []
    for i, r in enumerate(rows):
        text = re.sub(r"\s*\[[^\]]*\]\s*$", "", r["notes"].strip())
        text = text.lower() if args.lower else text
        published = gold_date(r["event_date"]) + dt.timedelta(days=1)
        raw = RawDocument(doc_id=f"g{i}", path="eval", line=i, media_type="jsonl", encoding="utf-8", title=None,
                          published=published, source=None, text=text, received_at=now)
        docs.append(stage(raw))

    started = time.perf_counter()
    only = Counter()
    shown = 0
    for r, doc in zip(rows, docs, strict=True):
        pred = place_only(doc, document_context(doc))
        result = hits(r, pred)
        only.update(k for k, v in result.items() if v)
        if not all(result.values()) and shown < args.show:
            shown += 1
            gold = (r.get("country"), r.get("admin1"), r.get("admin2"), r.get("location"))
            got = (pred["country"], pred["admin1"], pred["location"])
            print(f"gold {gold}\n got {got}\n     {doc.text[:300]!r}\n")
    seconds = time.perf_counter() - started
    n = len(rows)
    line = " ".join(f"{k}={only[k] / n:.3f}" for k in ("country", "admin1", "location"))
    print(f"places  docs={n} {line} docs_per_s={n / seconds:.0f}")
    if args.no_coder:
        return

    frame = code_documents(docs)
    events: dict[str, list[dict]] = {}
    for ev in frame.iter_rows(named=True):
        events.setdefault(ev["doc_id"], []).append(ev)
    coded = Counter()
    detected = 0
    for i, r in enumerate(rows):
        ev = pick(events.get(f"g{i}", []), r.get("sub_event_type", ""), r.get("event_type", ""))
        if ev is None:
            continue
        detected += 1
        coded.update(k for k, v in hits(r, ev).items() if v)
    among = " ".join(f"{k}={coded[k] / max(1, detected):.3f}" for k in ("country", "admin1", "location"))
    overall = " ".join(f"{k}={coded[k] / n:.3f}" for k in ("country", "admin1", "location"))
    print(f"coded   detected={detected / n:.3f} among detected: {among} | over all: {overall}")


if __name__ == "__main__":
    main()
