"""The GeoNames gazetteer under its historical name: the code lives in :mod:`extraction.places`."""

from extraction import places
from extraction.places import *  # noqa: F403  (the package's public API, re-exported)
from extraction.places.build import _acled_admin_table
from extraction.places.names import _countries

__all__ = [*places.__all__, "_acled_admin_table", "_countries"]
