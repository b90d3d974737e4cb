"""Build warehouse/data/acled_fields.json: what ACLED's `source_scale` and `admin3` columns need to be filled.

* `sources`: each outlet's usual source scale (National, Subnational, International, Regional, New media,
  Other, Local partner-...), the most frequent scale on the training rows that cite it alone, with how many
  rows that was out of how many.
* `scale_order`: the order ACLED writes the parts of a combined scale in ("Other-Subnational",
  "Subnational-National", "National-International"), read off the combined scales the rows carry: A comes
  before B when rows say "A-B". An event reported by several outlets takes the first two parts of its
  outlets' scales in this order (how ACLED combines them; the script prints how often that rule gives the
  rows' own value).
* `admin3`: for each (country, admin1, location) the training rows give a third-level unit for, the most
  frequent one (a location ACLED codes without admin3 more often than with it is left out).

Names and counts only, no notes. Reads only training files (never acled_global_2020.csv, the measuring stick):

    uv run python scripts/build_acled_fields.py                # rebuild the file
    uv run python scripts/build_acled_fields.py --check        # fail unless it equals the committed file
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "warehouse" / "data" / "acled_fields.json"
DATA = ROOT.parent / "shared" / "data"
TRAINING = (DATA / "acled_usa_2020.csv", DATA / "acled_bangladesh_2022_2024.csv")
MEASURE_ONLY = "acled_global_2020.csv"
COLUMNS = ("source", "source_scale", "country", "admin1", "admin3", "location")


def read(paths: list[Path]) -> pl.DataFrame:
    """The columns this script needs from every file (headers in any case), as strings, blanks as nulls."""
    frames = []
    for path in paths:
        if path.name == MEASURE_ONLY:
            sys.exit(f"{path} is the measuring stick; build from the training files only")
        frame = pl.read_csv(path, infer_schema_length=0)
        frame = frame.rename({c: c.strip().lower() for c in frame.columns})
        frames.append(frame.select(pl.col(c).str.strip_chars().replace("", None) if c in frame.columns
                                   else pl.lit(None, dtype=pl.String).alias(c) for c in COLUMNS))
    return pl.concat(frames)


def sources(rows: pl.DataFrame) -> list[list]:
    """[source, scale, rows with that scale, rows citing the source alone], one per outlet, by name."""
    alone = rows.filter(pl.col("source").is_not_null() & pl.col("source_scale").is_not_null()
                        & ~pl.col("source").str.contains(";"))
    counts = alone.group_by("source", "source_scale").len("n")
    return (counts.with_columns(total=pl.col("n").sum().over("source"))
            .sort("source", "n", "source_scale", descending=[False, True, False])
            .group_by("source", maintain_order=True).first()
            .select("source", "source_scale", "n", "total").rows())


def scale_order(rows: pl.DataFrame) -> list[str]:
    """The parts of ACLED's scales in the order combined scales write them (a topological order of the
    observed 'A-B' pairs; parts never paired keep their first-seen order among equals, broken by name)."""
    scales = rows["source_scale"].drop_nulls().to_list()
    parts = sorted({p for s in scales for p in s.split("-")})
    before: dict[str, set[str]] = defaultdict(set)
    for scale in scales:
        split = scale.split("-")
        for i, a in enumerate(split):
            before[a].update(split[i + 1:])
    order, left = [], set(parts)
    while left:
        free = sorted(p for p in left if not any(p in before[q] for q in left if q != p))
        if not free:
            sys.exit(f"the scales' part order has a cycle among {sorted(left)}")
        order.append(free[0])
        left.remove(free[0])
    return order


def combine(scales: list[str], order: list[str]) -> str | None:
    """ACLED's scale of an event from its outlets' scales: the first two of their parts, in scale order."""
    rank = {p: i for i, p in enumerate(order)}
    parts = sorted({p for s in scales for p in s.split("-")}, key=lambda p: rank.get(p, len(rank)))
    return "-".join(parts[:2]) or None


def admin3(rows: pl.DataFrame) -> list[list]:
    """[country, admin1, location, admin3, rows with it, rows at that location] where admin3 wins."""
    placed = rows.filter(pl.col("country").is_not_null() & pl.col("location").is_not_null())
    counts = placed.group_by("country", "admin1", "location", "admin3").len("n")
    best = (counts.with_columns(total=pl.col("n").sum().over("country", "admin1", "location"))
            .sort("country", "admin1", "location", "n", "admin3", descending=[False, False, False, True, False],
                  nulls_last=True)
            .group_by("country", "admin1", "location", maintain_order=True).first())
    return best.filter(pl.col("admin3").is_not_null()).select(
        "country", "admin1", "location", "admin3", "n", "total").rows()


def build(paths: list[Path]) -> tuple[dict, str]:
    rows = read(paths)
    order = scale_order(rows)
    table = sources(rows)
    usual = {name: scale for name, scale, _, _ in table}
    multi = rows.filter(pl.col("source").str.contains(";") & pl.col("source_scale").is_not_null())
    agree = Counter()
    for source, scale in multi.select("source", "source_scale").rows():
        known = [usual.get(s.strip()) for s in source.split(";")]
        if all(known):
            agree[combine(known, order) == scale] += 1
    places = admin3(rows)
    data = {
        "about": "ACLED source scales per outlet, the order of a combined scale's parts, and admin3 per location, "
                 "counted over the training files; built by scripts/build_acled_fields.py. Names and counts only.",
        "scale_order": order,
        "sources": {"columns": ["source", "source_scale", "n", "total"], "rows": [list(r) for r in table]},
        "admin3": {"columns": ["country", "admin1", "location", "admin3", "n", "total"],
                   "rows": [list(r) for r in places]},
    }
    total = sum(agree.values())
    note = (f"{len(table)} sources, scale order {' < '.join(order)}, {len(places)} admin3 locations; combining the "
            f"outlets' usual scales gives the rows' own scale on {agree[True]} of {total} multi-source rows")
    return data, note


def dumps(data: dict) -> str:
    """One table row per line: small diffs when the training files change."""
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f' "about": {one(data["about"])},', f' "scale_order": {one(data["scale_order"])},']
    tables = [k for k in data if isinstance(data[k], dict)]
    for i, key in enumerate(tables):
        rows = ",\n".join(f"   {one(r)}" for r in data[key]["rows"])
        lines += [f' "{key}": {{', f'  "columns": {one(data[key]["columns"])},', '  "rows": [', rows, "  ]",
                  " }" + ("," if i < len(tables) - 1 else "")]
    return "\n".join(lines) + "\n}\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, default=list(TRAINING), help="ACLED training exports")
    ap.add_argument("--check", action="store_true", help="fail unless the build equals the committed file")
    args = ap.parse_args()
    data, note = build(args.files)
    text = dumps(data)
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'reproduced' if same else 'DIFFERS from the build'} ({note})")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
