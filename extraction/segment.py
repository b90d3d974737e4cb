"""Sentence segmentation with character offsets, robust to lower-cased text and common abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|gen|lt|col|maj|capt|sgt|gov|sen|rep|st|jr|sr|prof|no|vs|approx|est|inc|ltd|co|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|u\.s|u\.k|u\.n|e\.g|i\.e|a\.m|p\.m)|\b[A-Z])\.$",
    re.I,
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(paragraph: str, offset: int = 0, paragraph_index: int = 0) -> list[Sentence]:
    """Sentences of one paragraph; offsets are relative to the whole document when `offset` is given."""
    sentences: list[Sentence] = []
    start = 0
    lower = None  # is the whole paragraph lower-cased? (asked once, when a boundary needs it)
    for m in _BOUNDARY.finditer(paragraph):
        nxt = paragraph[m.end() : m.end() + 1]
        # the sentence so far ends with the boundary's first mark: an abbreviation ("Gen.") ends there, within
        # the last 15 characters (the search sees the characters before them, so a word boundary is real)
        if _ABBREV.search(paragraph, max(start, m.start() - 15), m.start() + 1):
            continue
        if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in "\"“'("):
            if lower is None:
                lower = paragraph.islower()
            if not lower:
                continue
        _add(sentences, paragraph, start, m.end(), offset, paragraph_index)
        start = m.end()
    _add(sentences, paragraph, start, len(paragraph), offset, paragraph_index)
    return sentences


def _add(out: list[Sentence], para: str, start: int, end: int, offset: int, index: int) -> None:
    chunk = para[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        s = offset + start + lead
        out.append(Sentence(s, s + len(stripped), stripped, index))


def split_document(paragraphs: list[str]) -> list[Sentence]:
    """Sentences of a cleaned document whose paragraphs are joined by blank lines (offsets into that text)."""
    out: list[Sentence] = []
    offset = 0
    for i, para in enumerate(paragraphs):
        out.extend(split_sentences(para, offset, i))
        offset += len(para) + 2
    return out
