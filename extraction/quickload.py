"""spaCy without its command line: `import spacy` imports `spacy.cli` (typer, weasel, requests, httpx, rich)
for the one name `spacy.info`, 0.75 s of a 2 s import that a coder pays on every run (spaCy 3.8; upstream
explosion/spaCy#12962 and #13721 make it lazy). While spaCy is first imported, `spacy.cli` is a stand-in
whose `info` imports the real command line when called; the stand-in is removed right after, so a later
`import spacy.cli` (the `spacy` command, `spacy.cli.download`) gets the real one."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

_STAND_INS = ("spacy.cli", "spacy.cli.info")


def _info(*args, **kwargs):
    """spacy.info, the real one, imported when called."""
    return importlib.import_module("spacy.cli.info").info(*args, **kwargs)


@contextmanager
def without_spacy_cli() -> Iterator[None]:
    """Import spaCy (and models that import it) inside this block: its command line is not imported."""
    if "spacy" in sys.modules or any(name in sys.modules for name in _STAND_INS):
        yield  # already imported (or being imported elsewhere): nothing to save
        return
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []  # a package, so that `spacy.cli.info` resolves to the stand-in below
    info.info = _info
    cli.info = info
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        yield
    finally:
        for name in _STAND_INS:
            if sys.modules.get(name) in (cli, info):
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is cli:
            delattr(spacy, "cli")  # `spacy.cli` then imports the real package


LOADED_TOKENIZER = "events.loaded_tokenizer.v1"


def loaded_tokenizer_config() -> dict:
    """A config override for loading a saved pipeline whose tokenizer is read from disk: spaCy first builds the
    language's default tokenizer (its ~2,700 exceptions, each added as a special case), then `from_disk` resets
    every setting and loads them all from the pipeline's own tokenizer file; an empty tokenizer to start from
    ends up the same, and the load costs less (about 0.08 s of CPU)."""
    import spacy
    from spacy.tokenizer import Tokenizer

    if LOADED_TOKENIZER not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register(LOADED_TOKENIZER, func=lambda: lambda nlp: Tokenizer(nlp.vocab))
    return {"nlp": {"tokenizer": {"@tokenizers": LOADED_TOKENIZER}}}
