"""The run-time place index (name -> candidate rows, ranked by kind, population and country) and the
public look-ups: :func:`lookup`, :func:`capital`, :func:`admin1_names`."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

import polars as pl

from extraction.files import write_atomic
from extraction.places.build import _ALT_PENALTY, cache_path, load_tables
from extraction.places.names import _NO_SCAN_ALIASES, Country, Place, _as_country, _countries, country, normalize

# --------------------------------------------------------------------------------------------------
# Run-time index and candidate ranking
# --------------------------------------------------------------------------------------------------

# Transliterations double letters at will ("Wassit", "Hassakeh"): regions and towns this big are also found with
# doubled letters made single; not "hh" ("Chhatra", aspirated, is not Chatra).
_RESPELLED_TOWN = 20_000
_DOUBLED = re.compile(r"([a-gi-z])\1+")
_DOUBLING = "abcdefgijklmnopqrstuvwxyz"  # the letters _DOUBLED collapses

# "X city" / "X province" forms: which kind of place the suffix asks for.
_SUFFIX_KINDS = {
    "regency": None,
    "city": "town",
    "town": "town",
    "village": "town",
    "district": None,
    "county": "admin1",
    "province": "admin1",
    "state": "admin1",
    "region": "admin1",
    "governorate": "admin1",
    "division": "admin1",
    "oblast": "admin1",
    "department": "admin1",
    "prefecture": "admin1",
}


# Suffixes that may name an admin2 region: "Seluma regency", "Akwapem North district".
_ADMIN2_WORDS = frozenset({"district", "county", "regency", "province", "department", "prefecture"})


class _Gazetteer:
    """Column lists of the places table plus a dict from normalised name to its candidate rows."""

    def __init__(self, places: pl.DataFrame, names: pl.DataFrame) -> None:
        self.places = places
        self._names = names
        # Python lists of the columns ranking reads for every candidate.
        self.kind: list[str] = places["kind"].to_list()
        self.cc: list[str] = places["cc"].to_list()
        self.admin1: list[str | None] = places["admin1"].to_list()
        self.population: list[int] = places["population"].to_list()
        self.rank: list[int] = places["rank"].to_list()
        keys = names["key"]
        first = keys.ne_missing(keys.shift(1)).fill_null(True)
        distinct = keys.filter(first)
        self._keys = distinct
        self.index: dict[str, int] = dict(zip(distinct.to_list(), range(len(distinct)), strict=True))
        self.starts: list[int] = [*first.arg_true().to_list(), names.height]
        self.rows: list[int] = names["row"].to_list()
        self.primary: list[bool] = names["primary"].to_list()
        self.max_tokens = int(distinct.str.count_matches(" ").max() or 0) + 1
        upper_names = _countries().upper_names.values()
        self.upper_keys = frozenset(normalize(alias) for aliases in upper_names for alias in aliases)
        self._respelled: dict[str, str | None] = {}
        self._places: dict[int, Place] = {}

    @functools.cached_property
    def prefixes(self) -> frozenset[str]:
        """Every name's leading words ("dar", "dar es"): a scan stops extending a name no key begins with."""
        words = self._keys.filter(self._keys.str.contains(" ", literal=True)).str.split(" ")
        longest = int(words.list.len().max() or 0)
        heads = [words.filter(words.list.len() > i).list.head(i).list.join(" ") for i in range(1, longest)]
        return frozenset(pl.concat(heads).unique().to_list()) if heads else frozenset()

    @functools.cached_property
    def undoubled(self) -> dict[str, str]:
        """Names of regions and big towns with doubled letters made single -> the name, when only one name does
        so: "Wassit" is Wasit, "Hassakeh" Hasakeh (transliterations double letters at will)."""
        big = self.places.with_row_index("row").filter(
            (pl.col("kind") == "admin1") | ((pl.col("kind") == "town") & (pl.col("population") >= _RESPELLED_TOWN)))
        keys = self._names.join(big.select(pl.col("row").cast(self._names["row"].dtype)), on="row")["key"].unique()
        single = pl.col("key")
        for letter in _DOUBLING:  # _DOUBLED.sub(r"\1", key), one letter at a time (Rust regexes lack \1)
            single = single.str.replace_all(f"{letter}{letter}+", letter)
        frame = keys.filter(keys.str.len_chars() >= 5).to_frame("key")
        doubled = pl.col("key").str.contains("|".join(letter * 2 for letter in _DOUBLING))
        # most names double no letter: only the others are rewritten
        both = pl.concat([frame.filter(doubled).with_columns(single=single),
                          frame.filter(~doubled).with_columns(single=pl.col("key"))])
        unique = both.group_by("single").agg(pl.col("key").first(), pl.len()).filter(pl.col("len") == 1)
        return dict(zip(unique["single"].to_list(), unique["key"].to_list(), strict=True))

    def respelled(self, key: str) -> str | None:
        """The known name a name not in the index is a doubled-letter spelling of, if any."""
        if len(key) < 5 or key in self.index:
            return None
        if key not in self._respelled:
            self._respelled[key] = self.undoubled.get(_DOUBLED.sub(r"\1", key))
        return self._respelled[key]

    @functools.cached_property
    def region_skeletons(self) -> dict[str, tuple[int, ...]]:
        """Admin1 rows by the consonant skeleton of each of their names (see :func:`_skeleton`)."""
        admin1 = self._names.join(self.places.with_row_index("row").filter(pl.col("kind") == "admin1")
                                  .select(pl.col("row").cast(self._names["row"].dtype)), on="row")
        out: dict[str, list[int]] = {}
        for key, row in admin1.select("key", "row").iter_rows():
            out.setdefault(_skeleton(key), []).append(row)
        return {key: tuple(dict.fromkeys(rows)) for key, rows in out.items()}

    @functools.cached_property
    def names(self) -> list[str]:  # these columns are read per resolved row only: converted on first use
        return self.places["name"].to_list()

    @functools.cached_property
    def admin2(self) -> list[str | None]:
        return self.places["admin2"].to_list()

    @functools.cached_property
    def latitude(self) -> list[float]:
        return self.places["latitude"].to_list()

    @functools.cached_property
    def longitude(self) -> list[float]:
        return self.places["longitude"].to_list()

    def name(self, row: int) -> str:
        return self.names[row] if "names" in self.__dict__ else self.places["name"][row]

    def candidates(self, key: str) -> list[tuple[int, bool]]:
        """(row, is_primary_name) of every place with this normalised name."""
        pos = self.index.get(key)
        if pos is None:
            return []
        start, stop = self.starts[pos], self.starts[pos + 1]
        return list(zip(self.rows[start:stop], self.primary[start:stop], strict=True))

    def place(self, row: int) -> Place:
        """The Place for a row of the places table (read as one row: a short run resolves a few dozen rows,
        and turning four whole columns into lists for them cost it 0.2 s)."""
        if row not in self._places:
            values = dict(zip(self.places.columns, self.places.row(row), strict=True))
            kind = values["kind"]
            self._places[row] = Place(
                name=values["name"],
                country=_countries().by_cc[values["cc"]],
                admin1=values["admin1"],
                admin2=values["admin2"],
                latitude=values["latitude"],
                longitude=values["longitude"],
                population=values["population"],
                kind=kind,
                geo_precision={"town": 1, "admin2": 2}.get(kind, 3),
            )
        return self._places[row]

    def choose(
        self,
        candidates: Iterable[tuple[int, bool]],
        *,
        cc: str | None = None,
        admin1: str | None = None,
        kind: str | None = None,
        prefer: str | None = None,
        min_town_population: int = 0,
        min_alternate_population: int = 0,
    ) -> int | None:
        """Best candidate row: an exact country name first, else the highest-ranked town or admin1.

        Rank is population (capitals boosted), a quarter of the population for alternate-name matches; an admin1
        region ranks as its largest town.  A region loses to a same-named town inside it that is at
        least a tenth of that size ("Kano", "Chihuahua", "Tel Aviv" are the cities).
        """
        pool = [
            (row, primary)
            for row, primary in candidates
            if (cc is None or self.cc[row] == cc)
            and (admin1 is None or self.admin1[row] == admin1)
            and (kind is None or self.kind[row] == kind)
            and (
                self.kind[row] != "town"
                or self.population[row] >= (min_town_population if primary else min_alternate_population)
            )
        ]
        if prefer and any(self.kind[row] == prefer for row, _ in pool):
            pool = [(row, primary) for row, primary in pool if self.kind[row] == prefer]
        if not pool:
            return None
        countries = [row for row, _ in pool if self.kind[row] == "country"]
        if countries:
            return max(countries, key=self.rank.__getitem__)
        towns = [row for row, _ in pool if self.kind[row] == "town"]

        def shadowed(row: int) -> bool:
            return self.kind[row] == "admin1" and any(
                self.cc[t] == self.cc[row]
                and self.admin1[t] == self.admin1[row]
                and self.population[t] * 10 >= self.rank[row]
                for t in towns
            )

        pool = [(row, primary) for row, primary in pool if not shadowed(row)]

        def score(item: tuple[int, bool]) -> tuple[float, bool, bool, int]:
            row, primary = item
            # a capital's old or foreign name ("Salem" for Jerusalem) gets no capital boost
            rank = self.rank[row] if primary or self.kind[row] != "town" else self.population[row] * _ALT_PENALTY
            return rank, self.kind[row] == "town", primary, self.population[row]

        return max(pool, key=score)[0]


# Bump when the derived look-ups (prefixes, undoubled, region_skeletons) are computed differently.
DERIVED_VERSION = 1


def derived_frame(g: _Gazetteer) -> pl.DataFrame:
    """The gazetteer's derived look-ups as one table (what, key, value, rows), to cache beside the tables."""
    skeletons = g.region_skeletons
    parts = [
        pl.DataFrame({"key": sorted(g.prefixes)}).with_columns(what=pl.lit("prefixes")),
        pl.DataFrame({"key": list(g.undoubled), "value": list(g.undoubled.values())}, schema={
            "key": pl.String, "value": pl.String}).with_columns(what=pl.lit("undoubled")),
        pl.DataFrame({"key": list(skeletons), "rows": [list(rows) for rows in skeletons.values()]}, schema={
            "key": pl.String, "rows": pl.List(pl.Int64)}).with_columns(what=pl.lit("region_skeletons")),
    ]
    return pl.concat(parts, how="diagonal").select("what", "key", "value", "rows")


def adopt_derived(g: _Gazetteer, frame: pl.DataFrame) -> None:
    """Set the derived look-ups from a cached table (what derived_frame wrote), so they are not computed."""
    part = {what: frame.filter(pl.col("what") == what) for what in ("prefixes", "undoubled", "region_skeletons")}
    g.__dict__["prefixes"] = frozenset(part["prefixes"]["key"].to_list())
    g.__dict__["undoubled"] = dict(zip(part["undoubled"]["key"].to_list(), part["undoubled"]["value"].to_list(),
                                       strict=True))
    skeletons = part["region_skeletons"]
    g.__dict__["region_skeletons"] = dict(zip(skeletons["key"].to_list(), map(tuple, skeletons["rows"].to_list()),
                                              strict=True))


@functools.cache
def _gazetteer() -> _Gazetteer:
    """The process-wide gazetteer, loaded (or built) on first use, with its derived look-ups read from their
    cache (computing them costs every short run about half a second), or computed and cached."""
    g = _Gazetteer(*load_tables())
    path = cache_path(f"derived{DERIVED_VERSION}")
    try:
        adopt_derived(g, pl.read_parquet(path))
    except (OSError, pl.exceptions.PolarsError):  # missing or unreadable: compute them, cache them
        frame = derived_frame(g)
        write_atomic(path, frame.write_parquet)
    return g


# --------------------------------------------------------------------------------------------------
# Public look-ups
# --------------------------------------------------------------------------------------------------


def lookup(name: str, country: str | Country | None = None) -> Place | None:
    """Resolve a place name to a town, admin1 region or country (accent- and case-insensitive).

    Exact country names win ("Lebanon" is the country, not Lebanon, PA); otherwise the best-ranked
    town or admin1 region (see :meth:`_Gazetteer.choose`).  With ``country`` only places in that
    country are considered (an unrecognised country string is ignored).  Also accepted: "X city",
    "X province", ... suffix forms and "X, Y" where Y is a region or country containing X; if X is
    unknown there, Y itself is returned (a town Y with ACLED geo_precision 2, "near Y").
    """
    if not name or not name.strip():
        return None
    context = _as_country(country)
    g = _gazetteer()
    text = name.strip()
    place = _lookup_text(g, text, context)
    if place is None and "," in text:
        head, tail = (part.strip() for part in text.split(",", 1))
        container = lookup(tail, context)
        if container is not None and head:
            inner = _lookup_text(g, head, container.country, admin1=container.admin1)
            if inner is not None:
                return inner
            return container if container.kind != "town" else dataclasses.replace(container, geo_precision=2)
    return place


def _lookup_text(
    g: _Gazetteer, text: str, context: Country | None, admin1: str | None = None
) -> Place | None:
    """Exact name, then "the X", then "X city"/"X province"/... with the kind the suffix asks for."""
    key = normalize(text)
    where = {"cc": context.cc if context else None, "admin1": admin1}
    row = g.choose(_usable_candidates(g, key, upper=text.isupper(), scanning=False), **where)
    if row is None and key.startswith("the "):
        key = key[4:]
        row = g.choose(_usable_candidates(g, key, upper=False, scanning=False), **where)
    if row is None:
        head, _, last = key.rpartition(" ")
        if head and last in _SUFFIX_KINDS:
            wanted = _SUFFIX_KINDS[last]
            candidates = _usable_candidates(g, head, upper=False, scanning=False)
            if wanted == "town":
                row = g.choose(candidates, kind="town", **where)
            else:
                row = g.choose(candidates, prefer=wanted, **where)
    return g.place(row) if row is not None else None


def _usable_candidates(
    g: _Gazetteer, key: str, *, upper: bool, scanning: bool, admin2: bool = False
) -> list[tuple[int, bool]]:
    """Candidates for a key, minus upper-case-only country aliases ("US") written in lower case and,
    when scanning free text, aliases too ambiguous there ("America") and admin2 regions unless asked
    for ("Day" is a US county; "Seluma regency" asks)."""
    candidates = g.candidates(key)
    if (key in g.upper_keys and not upper) or (scanning and key in _NO_SCAN_ALIASES):
        candidates = [(row, primary) for row, primary in candidates if g.kind[row] != "country"]
    if scanning and not admin2:
        candidates = [(row, primary) for row, primary in candidates if g.kind[row] != "admin2"]
    return candidates


def capital(country: str | Country) -> Place | None:
    """The national capital of a country (None if GeoNames names none)."""
    resolved = _as_country(country)
    if resolved is None:
        return None
    name = _countries().capitals.get(resolved.cc)
    return lookup(name, resolved) if name else None


def admin1_names(cc: str) -> list[str]:
    """Sorted admin1 region names of a country, by ISO alpha-2 code (or any name :func:`country` knows)."""
    code = cc.upper() if len(cc) == 2 and cc.isalpha() else None
    if code not in _countries().by_cc:
        resolved = country(cc)
        code = resolved.cc if resolved else None
    if code is None:
        return []
    places = _gazetteer().places
    admin1 = places.filter((pl.col("kind") == "admin1") & (pl.col("cc") == code))["name"]
    return sorted(admin1.unique().to_list())


# Arabic articles, and the consonant skeleton of a name without them, to match region spellings.
_ARTICLES = frozenset("al el ad ar as at an ash az ed er es et ez ul".split())
_MIN_SKELETON = 3


def _glued_article(word: str) -> bool:
    """Does a word begin with an article written onto it ("almargeb", "elobeid")?"""
    return word[:2] in ("al", "el") and len(word) > 5


def _has_article(key: str) -> bool:
    """Does a normalised name begin with an Arabic article ("al marqab", "almargeb", "el obeid")?"""
    first = key.split()[0]
    return first in _ARTICLES or _glued_article(first)


def _skeleton(key: str) -> str:
    """A normalised name without articles, vowels, a final h and doubled letters, with q, g and k as one:
    Arabic names transliterated apart meet ("aljfara" and "al jafarah" are "jfr")."""
    text = "".join(word for word in key.split() if word not in _ARTICLES)
    if _glued_article(text):
        text = text[2:]
    text = re.sub(r"[qg]", "k", re.sub(r"[aeiouy'\s-]", "", re.sub(r"h$", "", text)))
    return re.sub(r"(.)\1+", r"\1", text)
