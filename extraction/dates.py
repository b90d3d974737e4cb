"""Date expressions in news text, resolved against a reference (publication) date.

Handles "9 May 2020", "May 9, 2020", "November 16th 2024", "2020-05-09", "May 20", "July 28th",
"March 2018", "in early March", "on Saturday", "yesterday", "last week", "last month", "3 days ago",
"4 days since the attack".
Each mention carries ACLED's time_precision: 1 day, 2 week, 3 month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from extraction.caseless import Caseless, fold

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS |= {"sept": 9}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_MON = r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|" \
       r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
# After a day and month, a number that is no year: one that counts a noun ("on 23 September 28 bodies were
# found"), not a two-digit year ("25 SEP 88 (EFE)").
_NO_YEAR = r"(?!\s*,?\s*\d(?!\d*\s+[a-z]))"
_TO_DAY = r"\s*(?:-|–|and|to|or)\s*\d{1,2}(?:st|nd|rd|th)?"  # the last day of a span

# Searched over lower-cased text (extraction.caseless): IGNORECASE's matches, faster.
_PATTERNS: list[tuple[str, Caseless]] = [
    ("iso", Caseless(rf"(?<!\d){_YEAR}-(?P<mnum>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)")),
    # a span of days gives its first: "5 and 6 December 1989", "12-14 May", "May 12 to 14, 2020"
    ("dmy", Caseless(rf"\b{_DAY}{_TO_DAY}\s+(?:of\s+)?{_MON}[,\s]\s*{_YEAR}")),
    ("mdy", Caseless(rf"\b{_MON}\s+{_DAY}{_TO_DAY},?\s+{_YEAR}")),
    ("dm", Caseless(rf"\b{_DAY}{_TO_DAY}\s+(?:of\s+)?{_MON}\b{_NO_YEAR}")),
    ("md", Caseless(rf"\b{_MON}\s+{_DAY}{_TO_DAY}\b(?!\s*,?\s*(?:\d|st|nd|rd|th))")),
    ("dmy", Caseless(rf"\b{_DAY}\s+(?:of\s+)?{_MON}[,\s]\s*{_YEAR}")),
    ("mdy", Caseless(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}")),
    ("dm", Caseless(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b{_NO_YEAR}")),
    ("md", Caseless(rf"\b{_MON}\s+{_DAY}\b(?!\s*,?\s*(?:\d|st|nd|rd|th))")),
    ("my", Caseless(rf"\b(?:(?P<part>early|mid|late)[- ](?:in\s+)?)?{_MON}\s+(?:of\s+)?{_YEAR}")),
    ("m", Caseless(rf"\b(?:in|during|since|early|mid|late|by|until)\s+(?:(?:early|mid|late)[- ])?{_MON}\b"
                   r"(?!\s*,?\s*\d)")),
    ("weekday", Caseless(r"\b(?:on|last|this|late|early|by)\s+(?:(?:past|last)\s+)?"
                         r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
                         r"|\b(?P<wd2>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?='s\b)")),
    ("rel", Caseless(r"\b(?P<rel>yesterday|today|tonight|this morning|this afternoon|this evening|"
                     r"last night|overnight|last week|this week|earlier this week|last weekend|"
                     r"last month|this month|earlier this month|(?P<n>\d{1,2}|two|three|four|five|six)"
                     r" days (?:ago|since(?=\s+the\b)))\b")),
]
# A literal each pattern's every match holds (in lower case): a text without any skips the pattern, the same
# matches for less work (most sentences name no month; every month name begins with its abbreviation).
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NEEDS = {"iso": ("-",), "dmy": _MONTH_ABBREVIATIONS, "mdy": _MONTH_ABBREVIATIONS, "dm": _MONTH_ABBREVIATIONS,
          "md": _MONTH_ABBREVIATIONS, "my": _MONTH_ABBREVIATIONS, "m": _MONTH_ABBREVIATIONS, "weekday": ("day",),
          "rel": ("day", "night", "this", "last")}
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_YEAR_ONLY = re.compile(r"(?<![\d.,-])(?P<year>(?:19|20)\d{2})(?!\d|[.,]\d|\s*(?:people|percent|%))")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: dt.date
    precision: int  # ACLED time_precision: 1 day, 2 week, 3 month
    has_year: bool  # the text itself gave the year
    relative: bool = False  # counted from the reference date ("yesterday", "on Monday"): no surer than it


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # "February 30" and friends
        return None


PLAN_DAYS = 31  # a day-month this soon after the reference is a plan of this year ("talks set for 20 May")


def _infer_year(month: int, day: int, ref: dt.date | None, default_year: int | None) -> dt.date | None:
    """A day given without a year: the latest such day not after the reference (news looks back), unless it
    falls within PLAN_DAYS after it (news tells plans: "the vote due on 12 November")."""
    if ref is not None:
        candidate = _safe_date(ref.year, month, day)
        if candidate and candidate > ref + dt.timedelta(days=PLAN_DAYS):
            candidate = _safe_date(ref.year - 1, month, day)
        return candidate
    return _safe_date(default_year, month, day) if default_year else None


def _plausible(day: dt.date | None, ref: dt.date | None) -> bool:
    upper = (ref or dt.date.today()) + dt.timedelta(days=366)
    return day is not None and dt.date(1900, 1, 1) <= day <= upper


def find_dates(text: str, ref: dt.date | None = None, default_year: int | None = None) -> list[DateMention]:
    """All date mentions in text, non-overlapping, in text order (explicit patterns win over vague ones)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    folded = fold(text)
    held: dict[tuple[str, ...], bool] = {}  # six patterns need a month: its literals are looked for once
    for kind, pattern in _PATTERNS:
        needs = _NEEDS[kind]
        if folded is not None and needs not in held:
            held[needs] = any(literal in folded for literal in needs)
        if folded is not None and not held[needs]:
            continue  # (folded: the pattern searches it; other text keeps IGNORECASE's wider sense of a letter)
        for m in pattern.finditer(text, folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _resolve(kind, m, ref, default_year)
            if mention is not None and _plausible(mention.date, ref):
                found.append(mention)
            if mention is not None or kind in ("iso", "dmy", "mdy"):
                taken.append((m.start(), m.end()))  # an impossible full date is no month-year either
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, m: re.Match, ref: dt.date | None, default_year: int | None) -> DateMention | None:
    g = m.groupdict()
    month = MONTHS.get((g.get("mon") or "").lower().rstrip("."), 0)
    year = int(g["year"]) if g.get("year") else None
    has_year, precision, day = year is not None, 1, None
    if kind == "iso":
        day = _safe_date(year, int(g["mnum"]), int(g["day"]))
    elif kind in ("dmy", "mdy"):
        day = _safe_date(year, month, int(g["day"]))
    elif kind in ("dm", "md"):
        day = _infer_year(month, int(g["day"]), ref, default_year)
    elif kind == "my":
        day, precision = _safe_date(year, month, 1), 3
    elif kind == "m":
        day, precision = _infer_year(month, 1, ref, default_year), 3
    elif kind == "weekday" and ref is not None:
        back = (ref.weekday() - WEEKDAYS[(g["wd"] or g["wd2"]).lower()]) % 7
        if m.group(0).lower().startswith("last") and back == 0:
            back = 7
        day = ref - dt.timedelta(days=back)
    elif kind == "rel" and ref is not None:
        day, precision = _relative(g["rel"].lower(), g.get("n"), ref)
    if day is None:
        return None
    return DateMention(m.start(), m.end(), day, precision, has_year, kind in ("weekday", "rel"))


def _relative(rel: str, n: str | None, ref: dt.date) -> tuple[dt.date, int]:
    if rel.endswith(("days ago", "days since")):  # "two days ago", "it has been four days since the attack"
        count = int(n) if n and n.isdigit() else _SMALL.get((n or "").lower(), 1)
        return ref - dt.timedelta(days=count), 1
    if rel in ("yesterday", "last night", "overnight"):
        return ref - dt.timedelta(days=1), 1
    if rel in ("last week", "last weekend"):
        return ref - dt.timedelta(days=7), 2
    if rel in ("this week", "earlier this week"):
        return ref, 2
    if rel == "last month":
        return (ref.replace(day=1) - dt.timedelta(days=1)).replace(day=1), 3
    if rel in ("this month", "earlier this month"):
        return ref.replace(day=1), 3
    return ref, 1  # today, tonight, this morning ...


# A verb of saying: a date beside it ("police said today", "announced on 20 January that") dates the report;
# the actor before it only tells of the event (`sides.sources`).
SAYING = (r"(?:said|says|say|reported|reports|announced|announces|stated|states|told|tells|confirmed|confirms|"
          r"claimed|denied|quoted|"
          r"demanded|added|revealed|declared|disclosed|indicated|explained|condemned|urged|asked|promised|"
          r"charged|noted|warned|alleged|accused|admitted|learned|informed|acknowledged|insisted)")
_SAID_BEFORE = re.compile(rf"\b{SAYING}\W+(?:\w+\W+)?$", re.I)
_SAID_AFTER = re.compile(rf"^\W*(?:\w+\W+)?{SAYING}\b", re.I)
_OPENING = re.compile(r"^\W*(?:[a-z]+\W+){0,3}$", re.I)  # "On", "Around", "On or about", "Late on"
_ATTRIBUTIVE = re.compile(r"^[ -]+(?:(?!(?:when|where|as|and|or|that|which|who|after|before)\b)[a-z]+[ -]+){0,2}$",
                          re.I)  # "the 4 May attack", "the 4 May car bomb", not "4 May, when police fired"


# A verb of saying between a date and the event word ("On 7 May the army reported that rebels attacked ..."): the
# date belongs to the main clause, the telling; the event is told in the clause that the verb opens.
_SAID_BETWEEN = re.compile(rf"\b{SAYING}\b", re.I)


def dates_report(sentence: str, mention: DateMention, at: int | None = None) -> bool:
    """Does the mention date the telling rather than what is told ("the army reported today that ...",
    "rebels on 3 May claimed the attack", and with the event word at `at`: "On 3 May the army announced that
    rebels had attacked")?"""
    return bool(_SAID_BEFORE.search(sentence[max(0, mention.start - 40) : mention.start])
                or _SAID_AFTER.match(sentence[mention.end : mention.end + 40])
                or (at is not None and mention.end <= at and _SAID_BETWEEN.search(sentence, mention.end, at)))


# A relative clause about a person set off by commas: ", who took office on Friday,". (A "which" clause often
# tells of the event itself: "the attack, which began on 10 May".)
_RELATIVE = re.compile(r",\s*(?:who|whose|whom)\b[^,;:()]*", re.I)


def in_other_clause(sentence: str, mention: DateMention, words: Iterable[int]) -> bool:
    """Does the mention sit in a relative clause about a person that holds none of the event words starting at
    `words` ("the judge, who took office on Friday, was wounded": Friday dates the taking of office, not the
    wounding)?"""
    return any(m.start() <= mention.start and mention.end <= m.end() and not any(m.start() <= w < m.end()
                                                                                 for w in words)
               for m in _RELATIVE.finditer(sentence))


# "the recent 15 February summit", "its 11 November offensive": a date between a determiner and the noun it dates.
_DETERMINER = re.compile(r"\b(?:the|its|their|this|\w+['’]s)\s+(?:(?:recent|past|last|historic)\s+)?$", re.I)
_NOUN_AFTER = re.compile(r"^[ -]+(?!(?:in|at|on|of|and|or|but|when|where|as|to|by|from|for|near|with|the|a|an|was|"
                         r"were|is|are|had|has|have|that|which|who|after|before|during|while|until|since)\b)[a-z]",
                         re.I)


def attributive(sentence: str, mention: DateMention) -> bool:
    """Does the mention stand before a noun it dates ("the recent 15 February summit", "the 31 October attack")?
    Whether that noun is an event word, `names_event` tells. ("Police said that yesterday armed men ...": a day
    counted from the report is never an attribute.)"""
    return not mention.relative and bool(_DETERMINER.search(sentence[max(0, mention.start - 30) : mention.start])
                and _NOUN_AFTER.match(sentence[mention.end : mention.end + 20]))


def names_event(sentence: str, mention: DateMention, words: Iterable[int]) -> bool:
    """Is the mention an attribute of an event word starting at one of `words` ("the 31 October attack",
    "the 2 May car bomb")?"""
    return any(mention.end <= at and _ATTRIBUTIVE.match(sentence[mention.end : at]) for at in words)


def by_nearness(sentence: str, dates: list[DateMention], at: int | None,
                attached: Callable[[DateMention], int] | None = None) -> list[DateMention]:
    """The sentence's date mentions, the likeliest date of the event word at `at` first: with the parse's
    `attached` (`extraction.attach`: 0 the date modifies the event word's clause, 1 unknown, 2 another clause)
    those it attaches to the event first; a mention that dates a report only after those that do not (unless the
    parse attached it to the event); one that opens the sentence ("On 2 May 2020, ...") frames all of it; then a
    day before a week or month ("last week", "in March"), then the nearest to the event word."""
    def key(d: DateMention) -> tuple[int, bool, bool, bool, int]:
        far = 0 if at is None else max(d.start - at, at - d.end, 0)
        rank = attached(d) if attached else 1
        return (rank, rank > 0 and dates_report(sentence, d, at), not _OPENING.match(sentence[: d.start]),
                d.precision > 1, far)
    return sorted(dates, key=key)


def years_mentioned(text: str) -> list[int]:
    """Four-digit years the text names (not counts or percentages), for dating texts with no date given."""
    this_year = dt.date.today().year
    return [y for y in (int(m["year"]) for m in _YEAR_ONLY.finditer(text)) if 1900 <= y <= this_year]


# "SAN SALVADOR, 13 NOV 89 (ACAN-EFE) --", "Kabul, May 9 (Reuters) -": a wire's dateline names the day it filed.
_DATELINE = re.compile(r"^\W*[^\W\d][^,\n\d]{1,60},(?P<when>[^\n()]{3,30}?)\s*(?:\(|--|—|–| - )")
DATELINE_DAYS = 7  # how long before its publication a wire may have been filed


def dateline_day(text: str, published: dt.date) -> dt.date | None:
    """The day a wire's dateline gives, when it is within `DATELINE_DAYS` before the publication date: the day
    the text was told, against which its "today" and "yesterday" count."""
    m = _DATELINE.match(text[:160])
    if not m:
        return None
    century = published.year // 100 * 100  # "7 FEB 89": a two-digit year
    found = find_dates(re.sub(r"(?<=\s)(\d{2})\s*$", lambda y: str(century + int(y[1])), m["when"]), published)
    if len(found) == 1 and found[0].precision == 1 and not found[0].relative:
        day = found[0].date
        return day if 0 <= (published - day).days <= DATELINE_DAYS else None
    return None


_STANDALONE = re.compile(r"^\W*(?:(?:published|updated|posted|date)\s*(?:on)?\s*:?\s*)?(?:[a-z]+day,?\s+)?"
                         r"(?P<date>.{6,40}?)\W*$", re.I)


def standalone_date(line: str) -> dt.date | None:
    """The date of a line that is nothing but a date ("November 16th 2024.", "Published: 2024-03-02")."""
    m = _STANDALONE.match(line.strip())
    if not m:
        return None
    found = find_dates(m["date"])
    if len(found) == 1 and found[0].has_year and found[0].precision == 1:
        only = found[0]
        rest = (m["date"][: only.start] + m["date"][only.end:]).strip(" ,.")
        return only.date if not rest else None
    return None
