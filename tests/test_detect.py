"""The event detector: a safe artifact, its features and context marks, sensible answers on sentences we wrote,
its place in the coder; and the script that reproduces it."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import numpy as np
import pytest

from extraction import coder, detect
from extraction.segment import split_document
from tests.conftest import ROOT, SHARED, staged_text


def test_artifact_is_plain_arrays_loaded_without_pickle():
    names = zipfile.ZipFile(detect.MODEL_PATH).namelist()
    assert set(names) == {f"{k}.npy" for k in ("version", "vocabulary", "idf", "coef", "intercept")}
    with np.load(detect.MODEL_PATH, allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
    assert detect.MODEL_PATH.stat().st_size < 2_000_000
    m = detect.model()
    assert len(m.vocabulary) == len(m.idf) == len(m.coef)


def test_normalise_drops_dateline_brackets_and_digits():
    text = "LIMA, 3 JAN 90 (EFE) -- [TEXT] Rebels [of the front] attacked 2 posts."
    assert detect.words(text) == ["rebels", "attacked", "0", "posts"]
    assert detect.words("Kabul, May 4 (Reuters) - Gunmen fired.") == ["gunmen", "fired"]
    assert detect.words("Police in Kabul, the capital, said nothing.")[:3] == ["police", "in", "kabul"]


def test_context_marks_quotation_lead_and_the_sentence_before():
    para = 'Troops shelled the town. "We will burn every house," the commander said. Nobody was hurt.'
    sentences = split_document([para])
    flags = [True, True, False]
    feats = detect.document_features([para], sentences, flags)
    assert set(feats) == {0, 1}
    assert "_lead" in feats[0] and "<_start" in feats[0] and "_quoted" not in feats[0]
    assert "_quoted" in feats[1] and "<shelled" in feats[1] and "_lead" not in feats[1]
    assert "_alone" not in feats[0]


def test_probabilities_are_probabilities_and_empty_rows_the_prior():
    p = detect.model().predict_proba([detect.sentence_features("Gunmen shot dead a teacher."), [], ["zzqq"]])
    assert ((p > 0) & (p < 1)).all()
    assert p[1] == p[2]


def _p(text: str) -> float:
    return float(detect.model().predict_proba([detect.sentence_features(text, ("_lead", "<_start"))])[0])


@pytest.mark.parametrize("report,other", [
    ("Gunmen shot dead two farmers outside their village on Sunday night.",
     "The opposition leader attacked the government's budget in a fiery speech."),
    ("Police arrested 14 men after the clash at the market.",
     "The minister said the guilty would be arrested soon."),
    ("A bomb exploded near the bus station, wounding six passers-by.",
     "He recalled the bombings that shook the capital a decade ago."),
])
def test_a_report_scores_above_a_reaction_a_plan_or_a_memory(report, other):
    assert _p(report) > _p(other)


def test_the_coder_codes_nothing_from_a_document_the_detector_finds_unlikely(monkeypatch):
    text = "Militants ambushed an army convoy near the river on Sunday, killing four soldiers."
    assert len(coder.code_documents([staged_text(text)])) == 1
    monkeypatch.setattr(detect, "DOCUMENT", 1.01)  # no sentence can reach it
    assert coder.code_documents([staged_text(text)]).is_empty()


def test_the_coder_drops_a_sentence_below_the_sentence_threshold(monkeypatch):
    text = ("Militants ambushed an army convoy near Gao on Sunday, killing four soldiers.\n\n"
            "Separately, students protested in Bamako on 2 May against fee rises.")
    assert len(coder.code_documents([staged_text(text)])) == 2
    p = detect.model().predict_proba(list(detect.document_features(
        text.split("\n\n"), split_document(text.split("\n\n")), [True, True]).values()))
    monkeypatch.setattr(detect, "SENTENCE", float(p.min()) + 1e-6)
    monkeypatch.setattr(detect, "DOCUMENT", 0.0)
    assert len(coder.code_documents([staged_text(text)])) == 1


@pytest.mark.skipif(not (SHARED / "data" / "ipe" / "sents.jsonl").is_file(),
                    reason="../shared/data (the training files) is not beside the project")
def test_training_script_reproduces_the_committed_model():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_detect.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-1000:] + proc.stderr[-2000:]
