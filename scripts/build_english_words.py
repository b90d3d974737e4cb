"""Build extraction/data/english_words.txt: words English news writes in lower case.

In ALL CAPS or lower-cased text capitalisation cannot tell a surname from a town ("RUBEN ZAMORA", "alan
garcia"); a neighbour that is no English word can ("ZAMORA" after "RUBEN" is part of a person's name,
after "IN" a place).  The vocabulary is learned from the ACLED training notes: a word counts when it is
written in lower case mid-sentence at least MIN_COUNT times and in lower case in at least MIN_SHARE of
its occurrences (names are capitalised there, so "garcia" or "norberto" never qualify).

    uv run python scripts/build_english_words.py ../shared/data/acled_training_bundle.csv \\
        ../shared/data/acled_usa_2020.csv ../shared/data/acled_bangladesh_2022_2024.csv [--check]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "extraction" / "data" / "english_words.txt"
MIN_COUNT = 5
MIN_SHARE = 0.8
_WORD = re.compile(r"(?<![\w.])([A-Za-z][a-z]+)(?![\w])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|\n\s*)$")
csv.field_size_limit(sys.maxsize)


def vocabulary(paths: list[str]) -> list[str]:
    """Words written in lower case mid-sentence often enough, and rarely capitalised there."""
    lower: Counter = Counter()
    capital: Counter = Counter()
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                notes = row.get("notes") or ""
                for m in _WORD.finditer(notes):
                    word = m.group(1)
                    if word[0].isupper():
                        if not _SENTENCE_START.search(notes[max(0, m.start() - 3) : m.start()]):
                            capital[word.lower()] += 1
                    else:
                        lower[word] += 1
    return sorted(w for w, n in lower.items()
                  if len(w) >= 2 and n >= MIN_COUNT and n >= MIN_SHARE * (n + capital[w]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="ACLED training CSVs (never the global 2020 dev file)")
    ap.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = ap.parse_args()
    text = "\n".join(vocabulary(args.files)) + "\n"
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is out of date: re-run {Path(__file__).name}")
        print(f"{OUT.name} is up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} words)")


if __name__ == "__main__":
    main()
