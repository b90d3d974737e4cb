"""The ranking of same-named towns of one country: the biggest by default, the one in the region or near the
places the text names when it names them (extraction.places.candidates, scripts/train_candidates.py)."""

from __future__ import annotations

import dataclasses

import pytest

from extraction import places
from extraction.places import candidates
from extraction.places.candidates import FEATURES, HAND_WEIGHTS


def _portland():
    return places.lookup("Portland", "US")


def test_a_town_with_namesakes_has_candidates_and_a_unique_name_none():
    assert len(candidates.candidate_rows("Portland", _portland())) >= 2
    assert candidates.candidate_rows("Oregon", places.lookup("Oregon", "US")) == []  # a region: not re-ranked


def test_without_context_the_biggest_namesake_stays():
    assert candidates.resolve("Portland", _portland(), []) == _portland()


def test_a_region_named_around_the_name_picks_the_namesake_inside_it():
    maine = candidates.resolve("Portland", _portland(), [places.lookup("Maine", "US")])
    assert maine.admin1 == "Maine" and maine.name == "Portland"
    assert candidates.resolve("Portland", _portland(), [places.lookup("Oregon", "US")]).admin1 == "Oregon"


def test_a_nearby_town_named_points_to_the_namesake_close_to_it():
    """A town (no region) at the coordinates of Maine's capital region: only closeness speaks."""
    maine = places.lookup("Maine", "US")
    town = dataclasses.replace(maine, kind="town", name="Somewhere", latitude=43.9, longitude=-70.1)
    assert candidates.resolve("Portland", _portland(), [town]).admin1 == "Maine"


def test_features_name_the_gazetteers_choice_and_the_region_named():
    rows = candidates.candidate_rows("Portland", _portland())
    matrix = candidates.features("Portland", rows, _portland(), [places.lookup("Maine", "US")])
    biggest = [row[FEATURES.index("chosen")] for row in matrix]
    named = [row[FEATURES.index("region_named")] for row in matrix]
    assert sum(biggest) == 1.0 and sum(named) >= 1.0
    assert candidates.best(matrix, HAND_WEIGHTS) == biggest.index(1.0)


def test_closeness_falls_with_distance():
    assert candidates.closeness(0) == 1.0
    assert candidates.closeness(90) == pytest.approx(0.5)
    assert candidates.closeness(5000) == 0.0


def test_the_committed_model_fits_the_features():
    assert len(candidates.learned_weights()) == len(FEATURES)
    assert candidates.learned_weights() != HAND_WEIGHTS


def test_the_model_version_is_part_of_the_extractor_version():
    from extraction import version

    assert f"+places-{candidates.model_version()}+" in version.extractor_version()
    assert candidates.model_version() == "1"
