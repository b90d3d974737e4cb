"""The GeoNames gazetteer under its historical name: the code lives in :mod:`extraction.places`."""

from extraction.places import (
    Country,
    Place,
    admin1_names,
    base_towns,
    capital,
    country,
    is_demonym,
    load_tables,
    located,
    lookup,
    normalize,
    scan,
)
from extraction.places.build import _acled_admin_table
from extraction.places.names import _countries

__all__ = [
    "Country",
    "Place",
    "_acled_admin_table",
    "_countries",
    "admin1_names",
    "base_towns",
    "capital",
    "country",
    "is_demonym",
    "load_tables",
    "located",
    "lookup",
    "normalize",
    "scan",
]
