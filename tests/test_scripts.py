"""Data files built by scripts: each script reproduces the file committed (training files in ../shared)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRAINING = [ROOT.parent / "shared" / "data" / name
            for name in ("acled_training_bundle.csv", "acled_usa_2020.csv", "acled_bangladesh_2022_2024.csv")]
needs_training = pytest.mark.skipif(not all(p.exists() for p in TRAINING),
                                    reason="the ACLED training files (../shared/data) are not here")


def script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_training
def test_build_english_words_reproduces_its_file():
    build = script("build_english_words")
    words = build.vocabulary([str(p) for p in TRAINING])
    assert build.OUT.read_text(encoding="utf-8") == "\n".join(words) + "\n"


def test_the_curated_place_tables_are_consistent():
    check = script("check_place_tables")
    present = [str(p) for p in TRAINING if p.exists()]  # the training-file check runs when they are here
    assert check.problems(present) == []


@needs_training
def test_train_places_check_reproduces_the_committed_ranking():
    """A refit of the document-country ranking agrees with extraction/models/places.json and its held-out
    scores (extraction/models/places.scores.json)."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_places.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_training
def test_train_candidates_check_reproduces_the_committed_ranking():
    """A refit of the same-named-town ranking agrees with extraction/models/place_candidates.json and its
    held-out scores."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_candidates.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
