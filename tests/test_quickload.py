"""spaCy is loaded without its command line, which stays importable (a fresh interpreter: spaCy's import is
process-wide)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = r"""
import sys
from extraction.coder import load_nlp

nlp = load_nlp()
print("cli imported by the load:", "spacy.cli" in sys.modules)
print("parses:", [t.dep_ for t in nlp("Soldiers freed two hostages.")][1])
import spacy
import spacy.cli
print("real cli:", hasattr(spacy.cli, "download"), "info:", spacy.info()["spacy_version"] == spacy.__version__)
"""


def test_spacy_loads_without_its_command_line_and_the_command_line_still_imports():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["cli imported by the load: False", "parses: ROOT", "real cli: True info: True"]
