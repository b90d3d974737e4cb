"""A small grammar of the numbers news uses to count people, before anyone asks what they count.

It reads a number as one token however it is written ("12", "1,200", "twelve", "TWENTY-THREE", "a dozen",
"dozens", "2.5 million"), with its qualifier ("at least", "about"), and folds the constructions that make two
numbers one figure:
- a range, "20 to 30", "20-30", "between 20 and 30": ACLED takes the lower figure, as at least that many;
- a part of a whole, "120 of the 137 passengers": the part is the figure, the whole is not counted again.
It drops what only looks like a count: years ("1989", "SEP 89" in a dateline), days of the month, clock times
("at 0730", "2130 GMT"), ids and codes ("No. 45", "0300-1234567"), ages ("Marin, 32, was killed",
"a 22-year-old"), and measures written as compounds ("a 400-meter radius", "a 72-hour strike").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.acled import Qualifier

UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
    "a hundred": 100, "a thousand": 1000, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
    "tens of thousands": 10000, "hundreds of thousands": 100000, "several": 3, "a few": 3, "a couple": 2,
    "both": 2, "couple": 2,
}
VAGUE = {"dozens", "scores", "hundreds", "thousands", "tens of thousands", "hundreds of thousands", "several",
         "a few", "a couple", "couple"}
_QUALIFIERS = [
    (Qualifier.AT_LEAST, r"at least|no fewer than|no less than|a minimum of"),
    (Qualifier.OVER, r"more than|over|upwards of|in excess of|above"),
    (Qualifier.AT_MOST, r"up to|at most|as many as|a maximum of"),
    (Qualifier.UNDER, r"fewer than|less than|under|nearly|almost|close to|just under"),
    (Qualifier.APPROX, r"about|around|approximately|roughly|some|an estimated|estimated|nearly|almost|"
                       r"close to|circa|~"),
]
_QUAL_RE = "|".join(f"(?P<q{i}>{p})" for i, (_, p) in enumerate(_QUALIFIERS))
_WORDNUM = "|".join(sorted((re.escape(k) for k in UNITS), key=len, reverse=True))
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
NUMBER = re.compile(
    rf"(?<![\w^.\-−])(?:(?:{_QUAL_RE})\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s*(?:million|m)\b)?|"
    rf"(?:{_TENS}[- ](?:one|two|three|four|five|six|seven|eight|nine))|{_WORDNUM})\b(?![\^e]\d)"
    rf"(?:\s+of\s+(?=\w))?",
    re.I,
)
# Nearly/almost read as approximate (ACLED keeps the stated figure).
_APPROX_WORDS = {"nearly", "almost", "close to", "just under"}

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$", re.I)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b", re.I)
# "at 0730", "2130 GMT", "0650 hours": a clock time.
_TIME_BEFORE = re.compile(r"\b(?:at|until|till|from|by|since|before|after)\s+(?:about\s+|around\s+)?$", re.I)
_TIME_AFTER = re.compile(r"^\s*(?:\(?\s*(?:gmt|utc|hours|hrs|local time|est|edt)\b|h\b|hrs\b)", re.I)
# "No. 45", "case 12", "flight 370", "route 9": a label, not a count.
_LABEL_BEFORE = re.compile(r"\b(?:no|nos|number|num|#|id|case|article|section|clause|plot|flight|room|block|"
                           r"route|road|highway|street|km|kilometer|kilometre|box|file|decree|resolution|law|"
                           r"page|item|unit|zone|ward|sector|phase|channel|code|tel|phone|fax|ext|p\.?o)\.?\s*#?$",
                           re.I)
# "+234 803 555 0199", "0803-555-0199" (three or more digit groups, or a leading zero): a phone number;
# "10:30", "0:00:15": a time. Numbers inside them count nobody.
_PHONE = re.compile(r"(?<![\w,])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?(?:[\s.-]\d{2,4}){2,}(?![\w,])|\b0\d{5,}\b|"
                    r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_IDENTIFIER = re.compile(r"(?:\b(?:id|no|nos|number|ref|reference|code|case|article|tel|phone|fax|flight|room|"
                         r"route|section|page|vol|ext)\.?|#|\+)\s*:?\s*$", re.I)
_AGE_BEFORE = re.compile(r"(?:\b[A-Za-z][\w'’.-]*,\s*$|\b(?:aged|age|ages)\s+$|\b[A-Za-z][\w'’-]*\s*\(\s*$)", re.I)
_AGE_AFTER = re.compile(r"^\s*(?:,|\)|(?:years?|yrs?)[\s-]+old\b)", re.I)
_RANGE = re.compile(r"^\s*(?:to|-|–|—|or)\s*", re.I)
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_PART_OF = re.compile(r"^(?:the|these|those|its|their|all)\s+$", re.I)


@dataclass(frozen=True)
class Number:
    """One figure in text: [start, end) covers the whole construction, `head` the figure's own digits or
    words; `total` is the whole of a part ("of the 137"), never a count of its own."""

    start: int
    end: int
    head: tuple[int, int]
    value: int
    qualifier: Qualifier
    vague: bool
    raw: str


def value_of(raw: str) -> int | None:
    """The integer a number token stands for, or None when it is not a plausible count."""
    raw = raw.lower().strip()
    if raw in UNITS:
        return UNITS[raw]
    if re.fullmatch(rf"{_TENS}[- ]\w+", raw):
        tens, unit = re.split(r"[- ]", raw)
        return UNITS[tens] + UNITS.get(unit, 0)
    m = re.fullmatch(r"([\d.]+)\s*(million|m)?", raw.replace(",", ""))
    if not m:
        return None
    number = float(m[1]) * (1_000_000 if m[2] else 1)
    return int(number) if number < 1e9 else None  # absurd figures are not counts of people


def _qualifier(m: re.Match) -> Qualifier:
    for i, (qual, _) in enumerate(_QUALIFIERS):
        text = m.group(f"q{i}")
        if text:
            return Qualifier.APPROX if text.lower() in _APPROX_WORDS else qual
    return Qualifier.EXACT


def in_date(text: str, start: int, end: int) -> bool:
    """A day of the month or a year next to a month ("October 20", "15 February", "1 SEP 89") is no count."""
    raw = text[start:end]
    if not raw.isdigit() or len(raw) > 2:
        return False
    if _MONTH_BEFORE.search(text[max(0, start - 12) : start]):
        return True  # "SEP 89" (a two-digit year) or "May 20"
    return int(raw) <= 31 and bool(_MONTH_AFTER.match(text[end : end + 16]))


def not_a_count(text: str, start: int, end: int) -> bool:
    """Is the digit string at [start, end) a year, date, time, id, age or measure rather than a count?"""
    raw = text[start:end].replace(",", "")
    before, after = text[max(0, start - 24) : start], text[end : end + 24]
    if re.fullmatch(r"(?:19|20)\d\d", raw) or in_date(text, start, end):
        return True
    if re.match(r"^[-–][A-Za-z]", after) or re.match(r"^[-–/]\d", after) and not _RANGE.match(after):
        return True  # "a 400-meter radius", "22-year-old"; "0300-1234567", "12/5"
    if raw.isdigit():
        if len(raw) >= 5 and "," not in text[start:end] or raw.startswith("0") and len(raw) > 1:
            return True  # phone numbers, ids, zero-padded codes and times
        if len(raw) == 4 and "," not in text[start:end] and int(raw[:2]) < 24 and int(raw[2:]) < 60 and (
                _TIME_BEFORE.search(before) or _TIME_AFTER.match(after)):
            return True
    if _LABEL_BEFORE.search(before) or _IDENTIFIER.search(text[max(0, start - 12) : start]):
        return True
    return raw.isdigit() and int(raw) <= 120 and bool(_AGE_BEFORE.search(before) and _AGE_AFTER.match(after))


def numbers(text: str) -> list[Number]:
    """The figures of a text, ranges and parts folded, non-counts dropped (see the module docstring)."""
    phones = [p.span() for p in _PHONE.finditer(text)]
    matches = [m for m in NUMBER.finditer(text) if not any(s <= m.start("num") < e for s, e in phones)]
    out: list[Number] = []
    skip: set[int] = set()
    for i, m in enumerate(matches):
        if i in skip:
            continue
        raw = m["num"]
        if raw[0].isdigit() and not_a_count(text, m.start("num"), m.end("num")):
            continue
        value = value_of(raw)
        if value is None:
            continue
        qualifier, end = _qualifier(m), m.end()
        if raw.isdigit() and (dash := re.match(r"[-–]\d+\b", text[m.end("num") :])) and \
                int(dash.group()[1:]) > value:
            qualifier, end = Qualifier.AT_LEAST, m.end("num") + dash.end()  # "20-30 people"
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        gap = text[m.end("num") : nxt.start()] if nxt else ""
        if nxt is not None and raw.lower() not in VAGUE and nxt["num"].lower() not in VAGUE | {"a", "an"}:
            if _RANGE.fullmatch(gap) or (_BETWEEN.search(text[max(0, m.start() - 8) : m.start()])
                                         and re.fullmatch(r"\s+and\s+", gap, re.I)):
                other = value_of(nxt["num"])
                if other is not None and other > value:  # "20 to 30": at least the lower figure
                    skip.add(i + 1)
                    qualifier, end = Qualifier.AT_LEAST, nxt.end()
            elif m.group().rstrip().lower().endswith(" of") and _PART_OF.fullmatch(text[m.end() : nxt.start()]):
                skip.add(i + 1)  # "120 of the 137 passengers": the whole is not counted again
                end = nxt.end()
        out.append(Number(m.start(), end, (m.start("num"), m.end("num")), value, qualifier, raw.lower() in VAGUE,
                          raw))
    return out
