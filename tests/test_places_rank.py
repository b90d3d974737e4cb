"""The document-country ranking: evidence features per candidate country, hand-tuned and learned weights."""

from __future__ import annotations

import json
import math

import pytest

from extraction.places import rank
from extraction.places.document import document_evidence, document_place
from extraction.places.rank import FEATURES, HAND_WEIGHTS, Evidence


def _vector(evidence: Evidence, cc: str) -> dict[str, float]:
    codes, rows = evidence.matrix()
    return dict(zip(FEATURES, rows[codes.index(cc)], strict=True))


def test_the_highest_score_wins_and_a_tie_goes_to_the_country_seen_first():
    evidence = Evidence()
    evidence.add("KE", "scanned", 1.0)
    evidence.add("UG", "scanned", 1.0)
    assert evidence.best(HAND_WEIGHTS) == "KE"
    evidence.add("UG", "scanned_where")
    assert evidence.best(HAND_WEIGHTS) == "UG"
    assert Evidence().best(HAND_WEIGHTS) is None


def test_sizes_keep_their_largest_value_and_counts_are_read_as_logs():
    evidence = Evidence()
    evidence.most("PE", "log_population", 0.5)
    evidence.most("PE", "log_population", 0.2)
    for _ in range(3):
        evidence.add("PE", "distinct_places")
    row = _vector(evidence, "PE")
    assert row["log_population"] == 0.5
    assert row["distinct_places"] == pytest.approx(math.log(4))


def test_a_district_chain_is_evidence_for_the_country_it_settles():
    text = "Gunmen shot two traders in Larkana town (Larkana, Sindh) on the highway on Monday."
    evidence = document_evidence(text, None)
    assert _vector(evidence, "PK")["located"] >= 1
    assert evidence.best(HAND_WEIGHTS) == "PK"


def test_the_dateline_is_one_feature_that_the_text_can_outweigh():
    text = ("NAIROBI, 3 March -- Officials here said that soldiers shelled villages around Gulu (Gulu, Northern) "
            "and near Kitgum (Kitgum, Northern) overnight, killing four.")
    evidence = document_evidence(text, "Nairobi")
    assert _vector(evidence, "KE")["dateline"] == 1.0
    assert evidence.best(HAND_WEIGHTS) == "UG"
    country, _, _ = document_place(text, "Nairobi")
    assert country is not None and country.cc == "UG"


def test_demonyms_count_once_per_country_for_the_vote_and_every_time_as_mentions():
    text = "Peruvian troops and Peruvian police met Peruvians and Peruvian farmers in the hills."
    row = _vector(document_evidence(text, None), "PE")
    assert row["demonym"] == 1.0  # singular and plural are one vote, its most telling use
    assert row["demonym_reach"] == 0.0
    assert row["demonym_mentions"] == pytest.approx(math.log1p(4))


def test_a_demonym_only_before_a_force_is_half_a_vote_and_before_a_strike_from_afar_a_feature_of_its_own():
    rows = [_vector(document_evidence(text, None), "TR") for text in (
        "Turkish soldiers patrolled the hills.", "Turkish warplanes struck the hills.",
        "Turkish-backed fighters held it.")]
    assert [(r["demonym"], r["demonym_reach"]) for r in rows] == [(0.5, 0.0), (0.0, 1.0), (0.0, 1.0)]
    weights = dict(zip(FEATURES, rank.learned_weights(), strict=True))
    assert weights["demonym_reach"] < weights["demonym"]  # learned: a strike from afar says little of where


def test_learned_weights_are_read_only_when_fitted_to_these_features(tmp_path, monkeypatch):
    path = tmp_path / "places.json"
    monkeypatch.setattr(rank, "MODEL_PATH", path)
    rank.learned_weights.cache_clear()
    try:
        assert rank.learned_weights() == HAND_WEIGHTS  # no model: the hand-tuned weights
        path.write_text(json.dumps({"features": ["dateline"], "weights": [1.0]}))
        rank.learned_weights.cache_clear()
        assert rank.learned_weights() == HAND_WEIGHTS  # fitted to other features: ignored
        path.write_text(json.dumps({"features": list(FEATURES), "weights": [0.5] * len(FEATURES)}))
        rank.learned_weights.cache_clear()
        assert rank.learned_weights() == (0.5,) * len(FEATURES)
    finally:
        rank.learned_weights.cache_clear()


def test_the_committed_model_keeps_every_kind_of_evidence_in_favour_of_its_country():
    model = json.loads(rank.MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(model["features"]) == FEATURES
    weights = dict(zip(FEATURES, model["weights"], strict=True))
    penalties = {"towns_only_abroad"}  # the one feature that says what evidence is missing: it only counts against
    assert all(math.isfinite(w) and (w <= 0 if name in penalties else w >= 0) for name, w in weights.items())
    # ACLED's notes have no dateline, a strike from afar is often a force abroad's: only these may fall
    unfloored = {"dateline", "demonym_reach"}
    for name, hand in zip(FEATURES, HAND_WEIGHTS, strict=True):
        if name not in unfloored and name not in penalties:
            assert weights[name] >= hand - 1e-9
    # groups learned from the training notes cannot be weighed on those notes: they keep the tuned weight
    assert weights["group_learned"] == HAND_WEIGHTS[FEATURES.index("group_learned")]


def test_a_story_filed_abroad_counts_the_other_countries_evidence_apart():
    text = ("SAN JOSE, 4 May -- Guatemalan officials said that Guatemalan soldiers were killed in an ambush "
            "in Guatemala on Sunday.")
    evidence = document_evidence(text, "San Jose")
    home, abroad = _vector(evidence, "CR"), _vector(evidence, "GT")
    assert home["dateline"] == 1.0 and home["abroad_demonyms"] == 0.0
    assert abroad["abroad_demonyms"] == pytest.approx(math.log1p(2))
    assert abroad["abroad_where"] >= 1.0
    assert _vector(document_evidence(text, None), "GT")["abroad_demonyms"] == 0.0  # no dateline: nothing abroad
    assert evidence.best(rank.learned_weights()) == "GT"  # the learned weights follow the story abroad


def test_the_coder_ranks_by_the_weights_ranking_names(monkeypatch):
    monkeypatch.setattr(rank, "RANKING", "hand")
    assert rank.current_weights() == HAND_WEIGHTS
    monkeypatch.setattr(rank, "RANKING", "learned")
    assert rank.current_weights() == rank.learned_weights()


def test_a_country_only_town_names_vote_for_in_a_story_filed_elsewhere_is_marked():
    text = ("MANAGUA, 3 MAR 90 -- [TEXT] REBELS CLASHED WITH TROOPS IN SAN RAMON AND IN BLUEFIELDS TODAY, "
            "THE NICARAGUAN ARMY SAID.")
    evidence = document_evidence(text, "Managua")
    codes, _ = evidence.matrix()
    assert _vector(evidence, "NI")["towns_only_abroad"] == 0.0  # the dateline's own country
    assert [cc for cc in codes if _vector(evidence, cc)["towns_only_abroad"]] == [
        cc for cc in codes if cc != "NI" and not _vector(evidence, cc)["demonym"]]
    assert all(_vector(document_evidence(text.removeprefix("MANAGUA, 3 MAR 90 -- "), None), cc)["towns_only_abroad"]
               == 0.0 for cc in codes if cc in document_evidence(text, None).rows)  # no dateline: no mark


def test_a_region_named_with_its_kind_word_votes_for_its_own_country_beside_its_towns():
    text = ("SAN SALVADOR, 3 MAR 90 -- [TEXT] GUERRILLAS ATTACKED POSTS IN SOYAPANGO AND APOPA AND IN SAN MIGUEL "
            "DEPARTMENT, WHILE EXILES MET IN LOS ANGELES.")
    evidence = document_evidence(text, "San Salvador")
    assert _vector(evidence, "SV")["scanned"] >= 2.0 + 1.5 + 1.5  # the department (2) and both towns
    assert evidence.best() == "SV"


def test_a_place_given_by_its_distance_and_bearing_is_where_things_happen():
    text = "Shelling hit a post 8 km west of Kobani on Tuesday."
    assert _vector(document_evidence(text, None), "SY")["scanned_where"] == 1.0


def test_a_village_of_the_filing_country_after_in_votes_for_it_in_capitals():
    text = ("SAN SALVADOR, 3 MAR 90 -- [TEXT] GUERRILLAS ATTACKED A POST IN SUCHITOTO TODAY, WHILE THE TALKS "
            "GO ON IN GENEVA (SWITZERLAND).")
    home = _vector(document_evidence(text, "San Salvador"), "SV")
    assert home["scanned_where"] == 1.0 and home["distinct_places"] > 0  # the village, read within El Salvador
    body = text.removeprefix("SAN SALVADOR, 3 MAR 90 -- ")
    assert "SV" not in document_evidence(body, None).rows  # no filing country: a village in capitals is too vague
    assert _vector(document_evidence(text.replace(" IN SUCHITOTO", " AND SUCHITOTO"), "San Salvador"),
                   "SV")["scanned_where"] == 0.0  # only where things happen


def test_where_parties_meet_or_talk_is_no_vote_for_a_country():
    text = ("SAN SALVADOR, 3 MAR 90 -- [TEXT] THE PRESIDENT SAID THE MEETING WITH THE REBELS SCHEDULED FOR "
            "20 MARCH IN CARACAS, VENEZUELA, WOULD GO AHEAD. A SALVADORAN SOLDIER DIED IN AN AMBUSH.")
    evidence = document_evidence(text, "San Salvador")
    assert "VE" not in evidence.rows and evidence.best() == "SV"
    statement = "PARIS, 3 MAR 90 -- [TEXT] IN A DECLARATION ISSUED IN HAVANA, STUDENTS CONDEMNED THE MURDER."
    assert "CU" not in document_evidence(statement, "Paris").rows  # nor where they speak
    clash = "Rebels attacked a post in Caracas, Venezuela, after the talks had failed."
    assert document_evidence(clash, None).best() == "VE"  # a place of its own clause still counts
