"""Case-insensitive regexes at case-sensitive speed, with the same matches.

Python's `re` folds case character by character under IGNORECASE, which makes the lexicon regexes (hundreds of
alternatives tried at every position) several times slower than the same pattern run case-sensitively over
lower-cased text. For a pattern whose literals are all lower case and text whose cased letters are all ASCII the
two find the same spans, so :class:`Caseless` searches ``text.lower()`` then; otherwise (a capital in the pattern,
an accented or other cased non-ASCII letter in the text) it runs the IGNORECASE pattern on the text itself.
Matches of the lower-cased text give lower-cased groups: callers use spans, or groups case-insensitively.

Also the one place that says whether a text's capitals mean anything (:func:`shouted`, :func:`cased`,
:func:`cased_text`): wire copy and radio transcripts come in capitals, some articles in lower case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

try:  # the pattern parser `re` compiles with (private: any surprise means no fast path, never a wrong one)
    from re import _constants as _c
    from re import _parser
except ImportError:  # Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_UNSET = object()


def fold(text: str) -> str | None:
    """``text.lower()`` when that is all IGNORECASE makes of it (every cased character is ASCII), else None."""
    if text.isascii():
        return text.lower()
    rest = _ASCII_RUN.sub("", text)
    return text.lower() if rest == rest.lower() == rest.upper() else None


def _uncased(code: int) -> bool:
    """A literal that matches the same characters of folded text with or without IGNORECASE: no ASCII capital,
    no cased non-ASCII character ("ſ" matches "s" under IGNORECASE)."""
    ch = chr(code)
    return not "A" <= ch <= "Z" if code < 128 else ch == ch.lower() == ch.upper()


def _foldable(items) -> bool:
    """Is every literal, range and inline flag of a parsed pattern safe for :func:`fold`-ed text?"""
    for op, av in items:
        if op in (_c.LITERAL, _c.NOT_LITERAL):
            if not _uncased(av):
                return False
        elif op is _c.IN:
            for sub_op, sub_av in av:
                if sub_op is _c.LITERAL and not _uncased(sub_av):
                    return False
                if sub_op is _c.RANGE and (sub_av[1] - sub_av[0] > 4096
                                           or not all(map(_uncased, range(sub_av[0], sub_av[1] + 1)))):
                    return False
                if sub_op not in (_c.LITERAL, _c.RANGE, _c.CATEGORY, _c.NEGATE):
                    return False
        elif op is _c.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & re.IGNORECASE or not _foldable(sub):
                return False
        elif op is _c.BRANCH:
            if not all(_foldable(sub) for sub in av[1]):
                return False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            if not _foldable(av[2]):
                return False
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if not _foldable(av[1]):
                return False
        elif op not in (_c.AT, _c.ANY, _c.CATEGORY, _c.GROUPREF):
            return False  # conditional groups, atomic groups, ...: not worth the proof
    return True


def alternation(words: list[str], ignore_case: bool = False) -> str:
    """A regex matching any of the literal words, tried in the given order, as ``"|".join(map(re.escape, words))``
    does, but grouped by first character ("k(?:abul|andahar)|m(?:osul)"): `re` tries every alternative at every
    position, so a lexicon of thousands of names costs as many tests per character; grouped, only those that
    begin with the character there. The same matches: at any position only the words beginning with its character
    can match, and they keep their order. For a pattern compiled with IGNORECASE (or a :class:`Caseless`), words
    are grouped by their lower-cased first character; words beginning with a non-ASCII character, which
    IGNORECASE may equate with an ASCII one, are not grouped at all."""
    if not words or any(not word or not word[0].isascii() for word in words):
        return "|".join(map(re.escape, words))
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0].lower() if ignore_case else word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


class Caseless:
    """A case-insensitive pattern (`re.IGNORECASE` is implied) searched over lower-cased text when that finds the
    same matches. Pass ``folded=fold(text)`` to share one lower-casing between several patterns."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source, self.flags = source, flags
        try:
            safe = not flags & re.IGNORECASE and _foldable(_parser.parse(source, flags))
        except Exception:  # noqa: BLE001 - an unknown parse tree only costs the fast path
            safe = False
        self.lower = re.compile(source, flags) if safe else None

    @functools.cached_property
    def exact(self) -> re.Pattern:
        """The IGNORECASE pattern, compiled on first use: text with cased non-ASCII letters only, for a pattern
        with a fast path (compiling a lexicon's alternation costs a short run tenths of a second)."""
        return re.compile(self.source, self.flags | re.IGNORECASE)

    def _pick(self, text: str, folded) -> tuple[re.Pattern, str]:
        if self.lower is not None:
            low = fold(text) if folded is _UNSET else folded
            if low is not None:
                return self.lower, low
        return self.exact, text

    def search(self, text: str, folded=_UNSET) -> re.Match | None:
        pattern, subject = self._pick(text, folded)
        return pattern.search(subject)

    def finditer(self, text: str, folded=_UNSET) -> Iterator[re.Match]:
        pattern, subject = self._pick(text, folded)
        return pattern.finditer(subject)


# --------------------------------------------------------------------------------------------------
# Is this text in capitals, in lower case, or cased (capitals mark names)?
# --------------------------------------------------------------------------------------------------

_LOWER_CASED_WORDS = 40
_CASED_SHARE = 0.03  # capitalised words in cased English news: sentence starts and names, well above 3%
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")
_UPPER_WORD = re.compile(r"\b[A-Z]{4,}\b")


def shouted(text: str) -> bool:
    """Is the text in capitals (wire copy, radio transcripts): fewer than one letter in twenty lower-case?"""
    letters = list(filter(str.isalpha, text))
    return bool(letters) and sum(map(str.islower, letters)) * 20 < len(letters)


def lowered(text: str) -> str:
    """The text lower-cased one character for one (a letter whose lower case is longer stays), so that
    character offsets into it hold for the original: what the parser reads of text in capitals."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def cased(words: list[str]) -> bool:
    """Do a text's words (its tokens) use capitals for names?  Not in lower-case, ALL-CAPS or Title Case text
    (Title Case: four or more words but none in lower case with four or more letters, as in
    "Protesters Clash With Police In Nairobi"); yes in short names such as "Gwoza" or "Jilib, Middle Juba"."""
    letters = [w for w in words if w[:1].isalpha()]
    initials = [w[0] for w in letters]  # (counted by map: this runs over every word of every text scanned)
    if not any(map(str.isupper, initials)) or all(map(str.isupper, letters)):
        return False
    lower = sum(map(str.islower, [w[0] for w in letters if len(w) >= 4]))
    if lower >= _LOWER_CASED_WORDS:  # a lower-cased article with a capitalised heading or footer is not cased
        return sum(map(str.isupper, initials)) >= _CASED_SHARE * len(letters)
    return lower > 0 or len(letters) < 4


def cased_text(text: str) -> bool:
    """:func:`cased` for a whole document, judged on its first 3,000 characters by ASCII words: capitalised
    names among lower-case words, not ALL CAPS nor a lower-cased text with a capitalised heading."""
    head = text[:3000]
    lower = len(_LOWER_WORD.findall(head))
    return lower > len(_UPPER_WORD.findall(head)) and len(_CAPITALISED.findall(head)) * 20 >= lower
