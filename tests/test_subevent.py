"""The learned sub-event classifier: a safe artifact, its own vectoriser, sensible answers; and how the coder
combines it with the rules."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import numpy as np
import pytest

from extraction import subevent
from extraction.classify import decide
from extraction.coder import EXTRACTOR_VERSION
from schemas.acled import SubEventType
from tests.conftest import ROOT, SHARED

S = SubEventType


def test_artifact_is_plain_arrays_loaded_without_pickle():
    names = zipfile.ZipFile(subevent.MODEL_PATH).namelist()
    assert set(names) == {f"{k}.npy" for k in ("version", "labels", "vocabulary", "idf", "coef", "intercept")}
    with np.load(subevent.MODEL_PATH, allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
    assert subevent.MODEL_PATH.stat().st_size < 5_000_000


def test_model_shapes_and_labels():
    m = subevent.model()
    assert m.version and len(m.labels) == m.coef.shape[1] == len(m.intercept)
    assert len(m.vocabulary) == m.coef.shape[0] == len(m.idf)
    assert set(m.labels) <= {s.value for s in SubEventType}


def test_extractor_version_names_the_model():
    assert EXTRACTOR_VERSION.endswith(f"+subevent-{subevent.model().version}")


def test_normalise_keeps_event_words_only():
    text = "On 3 March 2024, police in Lagos (Lagos, Lagos) arrested 12 traders. [size=no report]"
    assert subevent.normalise(text) == "police in lagos   arrested 00 traders."
    assert subevent.normalise("On Monday, gunmen attacked a bus") == "gunmen attacked a bus"
    assert subevent.normalise("Officials said on Monday, that it ended") == "officials said on monday, that it ended"


def test_features_are_words_bigrams_and_stems():
    assert subevent.features("Soldiers fired") == ["soldiers", "fired", "soldiers fired", "~soldi"]


def test_probabilities_sum_to_one_and_empty_text_is_the_prior():
    p = subevent.model().predict_proba(["Militants ambushed an army patrol.", "", "zzzz qqqq"])
    assert p.shape == (3, len(subevent.model().labels))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p[1], p[2])  # nothing known: the intercepts alone


@pytest.mark.parametrize("text,label", [
    ("Hundreds of teachers marched to the education ministry to demand their unpaid salaries.", "Peaceful protest"),
    ("Artillery shells hit residential districts of the city overnight.", "Shelling/artillery/missile attack"),
    ("Rebel fighters and government troops fought for control of the bridge.", "Armed clash"),
    ("A roadside bomb exploded under a passing military truck.", "Remote explosive/landmine/IED"),
    ("Unknown gunmen shot dead a shopkeeper in front of his store.", "Attack"),
    ("Warplanes bombed a market in the rebel-held town.", "Air/drone strike"),
    ("Rioters set fire to cars and threw stones at the police.", "Violent demonstration"),
    ("Villagers beat a suspected cattle thief to death.", "Mob violence"),
])
def test_sensible_labels_on_sentences_we_wrote(text, label):
    assert subevent.model().predict([text])[0][0] == label


def _decide(text: str):
    m = subevent.model()
    probs = {S(label): float(p) for label, p in zip(m.labels, m.predict_proba([text])[0], strict=True)}
    trig = decide(text, None, probs)
    return trig.sub_event_type if trig else None


def test_rules_stand_where_they_are_sharp():
    assert _decide("The army said its jets carried out airstrikes on militant hideouts.") is S.AIR_DRONE_STRIKE
    assert _decide("The authorities freed 40 prisoners under an amnesty.") is S.AGREEMENT
    assert _decide("Police arrested dozens of protesters who had blocked the highway.") is \
        S.PROTEST_WITH_INTERVENTION


def test_protest_about_an_arrest_is_not_an_intervention():
    assert _decide("Students protested outside the court demanding the release of a detained activist.") is \
        S.PEACEFUL_PROTEST


def test_model_codes_an_event_the_lexicon_misses_but_not_a_plan():
    assert _decide("Soldiers fired small arms at rebel positions near the river.") is not None
    assert _decide("Further marches were announced for later in the month.") is None
    assert _decide("The minister should ban rallies, the editorial argued.") is None


@pytest.mark.skipif(not (SHARED / "data" / "acled_training_bundle.csv").is_file(),
                    reason="../shared/data (the training files) is not beside the project")
def test_training_script_reproduces_the_committed_model():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_subevent.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-1000:] + proc.stderr[-2000:]
