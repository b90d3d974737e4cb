"""Counts in text: "at least 70 people released", "over 2,400 detained", "killing two", "dozens injured".

ACLED's conventions for vague numbers: "dozens" = 12, "hundreds" = 100, "thousands" = 1000;
fatalities take the lowest reported figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.acled import CountKind, Qualifier

_UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
    "a hundred": 100, "a thousand": 1000, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
    "tens of thousands": 10000, "hundreds of thousands": 100000, "several": 3, "a few": 3, "a couple": 2,
    "both": 2, "couple": 2,
}
_VAGUE = {"dozens", "scores", "hundreds", "thousands", "tens of thousands", "hundreds of thousands", "several",
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
_WORDNUM = "|".join(sorted((re.escape(k) for k in _UNITS), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w^.\-−])(?:(?:{_QUAL_RE})\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s*(?:million|m)\b)?|"
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|"
    rf"eight|nine))|{_WORDNUM})\b(?![\^e]\d)(?:\s+of\s+(?=\w))?",
    re.I,
)
# Nearly/almost read as approximate (ACLED keeps the stated figure).
_APPROX_WORDS = {"nearly", "almost", "close to", "just under"}

_KINDS: list[tuple[CountKind, re.Pattern]] = [
    (kind, re.compile(pattern, re.I)) for kind, pattern in [
        (CountKind.KILLED, r"\b(?:killed|killing|dead|died|deaths?|fatalit(?:y|ies)|murdered|shot dead|executed|"
                           r"executing|assassinated|"
                           r"lost (?:their|his|her) lives|bodies|corpses|slain|lifeless|perished|beheaded|lynched)\b"),
        (CountKind.INJURED, r"\b(?:injur(?:ed|ies|ing)|wounded|wounding|hurt|hospitali[sz]ed|casualties)\b"),
        (CountKind.RELEASED, r"\b(?:releas(?:ed|e|ing)|freed|free|freeing|set free|pardoned|let go)\b"),
        (CountKind.ARRESTED, r"\b(?:arrest(?:ed|s|ing)?|apprehended|taken into custody|rounded up|nabbed)\b"),
        (CountKind.DETAINED, r"\b(?:detain(?:ed|ing|ees?)|detentions?|held|jailed|imprisoned|in custody)\b"),
        (CountKind.ABDUCTED, r"\b(?:abduct(?:ed|ing|ion)|kidnapp?(?:ed|ing)|taken hostage|hostages?|seized)\b"),
        (CountKind.DISPLACED, r"\b(?:displaced|fled|evacuated|homeless|forced from)\b"),
        (CountKind.PARTICIPANTS, r"\b(?:protest(?:ers|ed|ing)?|demonstrat(?:ors|ed|ing)|marched|rall(?:ied|y)|"
                                 r"gathered|participants|people took part|took to the streets|students|workers|"
                                 r"supporters|activists|members|farmers|teachers|residents)\b"),
    ]
]
# Things a number can count that are not people: skip them.
_NOT_PEOPLE = re.compile(
    r"^\s*(?:%|percent|per cent|years?|months?|weeks?|days?|hours?|minutes?|km|kilomet|miles?|meters?|metres?|"
    r"kg|tons?|tonnes?|dollars?|usd|euros?|rupees?|pesos?|am|pm|a\.m|p\.m|cases|votes|seats|houses|homes|"
    r"vehicles|cars|buses|trucks|lorries|motorbikes|motorcycles|tricycles|boats|weapons|rifles|guns|firearms|"
    r"shots|buildings|shops|rounds|bullets|rockets|missiles|shells|drones|times|th\b|st\b|"
    r"nd\b|rd\b|-year|organi[sz]ations|groups|countries|parties|villages|districts|provinces|schools|acres|hectares)",
    re.I,
)


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$", re.I)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b", re.I)


# "+234 803 555 0199", "0803-555-0199" (three or more digit groups, or a leading zero): a phone number;
# "10:30", "0:00:15": a time. Numbers inside them count nobody.
_PHONE = re.compile(r"(?<![\w,])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?(?:[\s.-]\d{2,4}){2,}(?![\w,])|\b0\d{5,}\b|"
                    r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_IDENTIFIER = re.compile(r"(?:\b(?:id|no|nos|number|ref|reference|code|case|article|tel|phone|fax|flight|room|"
                         r"route|section|page|vol|ext)\.?|#|\+)\s*:?\s*$", re.I)


def _in_date(text: str, m: re.Match) -> bool:
    """A day of the month ("October 20", "15 February") is not a count."""
    if not m["num"].isdigit() or int(m["num"]) > 31:
        return False
    return bool(_MONTH_BEFORE.search(text[max(0, m.start("num") - 12) : m.start("num")])
                or _MONTH_AFTER.match(text[m.end("num") : m.end("num") + 16]))


@dataclass(frozen=True)
class CountMention:
    start: int
    end: int
    kind: CountKind
    value: int
    qualifier: Qualifier
    vague: bool


def _value(raw: str) -> int | None:
    raw = raw.lower().strip()
    if raw in _UNITS:
        return _UNITS[raw]
    if re.fullmatch(r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]\w+", raw):
        tens, unit = re.split(r"[- ]", raw)
        return _UNITS[tens] + _UNITS.get(unit, 0)
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


# "5 others were injured", "two more people have been killed": the verb decides across a short subject.
_PASSIVE_GAP = re.compile(r"\s*(?:(?!(?:who|that|which)\b)[\w-]+\s+){0,3}"
                          r"(?:were|was|are|have been|had been|has been|got)\s+(?:\w+\s+)?")


def _kind(text: str, start: int, end: int) -> CountKind | None:
    """The kind a number counts: a kind word right before it ("killing 3", "the release of at least 70"),
    else the first kind word shortly after it ("70 people released"), else one earlier in the clause."""
    before = re.split(r"[.;,]|\b(?:and|but|while|whereas)\b", text[max(0, start - 60) : start])[-1]
    after = re.split(r"[.;]|\b(?:and|but|while|whereas)\b", text[end : end + 60])[0]
    found = sorted((m.start(), kind, m.group(0).lower()) for kind, pattern in _KINDS if (m := pattern.search(after)))
    hits = [(offset, kind) for offset, kind, _ in found]
    for offset, kind, word in found:  # "20 injured", "7 dead", "two students were killed": the word after decides
        if kind is not CountKind.PARTICIPANTS and not word.startswith(("detainee", "hostage")) and (
                offset <= 12 or _PASSIVE_GAP.fullmatch(after[:offset])):
            return kind
        if kind is not CountKind.PARTICIPANTS or offset > 12:
            break
    near = " ".join(before.split()[-4:])
    closest = [(m.end(), kind) for kind, pattern in _KINDS if kind is not CountKind.PARTICIPANTS
               for m in pattern.finditer(near)]
    if closest:  # "killing 3", "the release of at least 70": the nearest kind word before
        return max(closest)[1]
    if hits:
        offset, kind = hits[0]
        if offset < 45 or kind is not CountKind.PARTICIPANTS:
            return kind
    for kind, pattern in _KINDS:
        if kind is not CountKind.PARTICIPANTS and pattern.search(before):
            return kind
    return None


def find_counts(text: str) -> list[CountMention]:
    """Every number in text that counts people, with its kind and qualifier."""
    out: list[CountMention] = []
    phones = [p.span() for p in _PHONE.finditer(text)]
    for m in _NUMBER.finditer(text):
        raw = m["num"]
        if any(s <= m.start("num") < e for s, e in phones):
            continue
        if re.search(r"\bno\s+$", text[max(0, m.start() - 4) : m.start()], re.I):
            continue  # "no one was killed" is a zero, found by _zero_fatalities
        if _NOT_PEOPLE.match(text[m.end("num") :]) or re.fullmatch(r"(?:19|20)\d\d", raw) or _in_date(text, m):
            continue
        if raw.lower() in {"a", "an"} and not re.match(r"\s+(?:man|woman|boy|girl|child|person|civilian|"
                                                      r"soldier|policeman|police officer|officer|journalist|"
                                                      r"student|farmer|teacher|resident|member)\b",
                                                      text[m.end("num") :], re.I):
            continue
        if _IDENTIFIER.search(text[max(0, m.start() - 12) : m.start()]) or re.fullmatch(r"\d{7,}", raw):
            continue  # "ID 4471", "No. 12", "#3", a bare 7-digit figure: names a thing, does not count people
        if re.search(r"\bby\s+$", text[max(0, m.start() - 4) : m.start()], re.I):
            continue  # "shot dead by two men": the perpetrators, not the victims
        value = _value(raw)
        kind = _kind(text, m.start(), m.end())
        if value is None or kind is None or value < 0:
            continue
        out.append(CountMention(m.start(), m.end(), kind, value, _qualifier(m), raw.lower() in _VAGUE))
    out.extend(_zero_fatalities(text))
    out.extend(CountMention(m.start(), m.end(), CountKind.KILLED, 1, Qualifier.EXACT, False)
               for m in _ONE_VICTIM.finditer(text) if not any(c.start < m.end() and m.start() < c.end for c in out))
    out.extend(CountMention(m.start(), m.end(), CountKind.KILLED, 1, Qualifier.EXACT, False)
               for m in _SINGLE_DEATH.finditer(text)
               if not any(c.kind is CountKind.KILLED and c.start < m.end() and m.start() - 60 < c.end for c in out))
    return _coded_elsewhere(text, out)


# ACLED notes say where fatalities were counted: "(fatalities coded to the Horlivka event)" means none here,
# "unknown fatalities coded as 3" sets the figure.
_CODED_ELSEWHERE = re.compile(r"\b(?:fatalit(?:y|ies)|deaths|casualties)\b[^.;]{0,20}?\b(?:coded|counted|split|"
                              r"recorded)\s+(?:to|in|among|under|with|at)\b", re.I)
_CODED_AS = re.compile(r"\b(?:fatalit(?:y|ies)|deaths|casualties)\b[^.;]{0,40}?\bcoded as\s+(\w+)", re.I)


def _coded_elsewhere(text: str, counts: list[CountMention]) -> list[CountMention]:
    if _CODED_ELSEWHERE.search(text):
        return [c for c in counts if c.kind is not CountKind.KILLED] + [
            CountMention(0, 0, CountKind.KILLED, 0, Qualifier.EXACT, False)]
    if (m := _CODED_AS.search(text)) and (value := _value(m[1])) is not None:
        return [c for c in counts if c.kind is not CountKind.KILLED] + [
            CountMention(m.start(1), m.end(1), CountKind.KILLED, value, Qualifier.EXACT, False)]
    return counts


# A death told without a number: "the village chief was killed", "he later died".
_SINGLE_DEATH = re.compile(
    r"\b(?:(?:was|has been|had been)\s+(?:\w+\s+)?(?:killed|shot dead|murdered|stabbed to death|beaten to death|"
    r"lynched|beheaded|executed|assassinated)|(?:he|she|the victim|the pilot)\s+(?:\w+\s+){0,3}?(?:died|passed away|"
    r"succumbed)|(?:one|1) of (?:the|them|those)\b[^.;]{0,30}?\b(?:died|was killed)|succumbed to (?:his|her) "
    r"(?:injuries|wounds))\b", re.I)


_NO_FATALITIES = re.compile(r"\bno (?:one was |one |people were )?(?:fatalities|deaths|casualties|killed|"
                            r"one was killed|injuries)\b|\bwithout (?:any )?(?:casualties|fatalities)\b", re.I)


_ONE_VICTIM = re.compile(
    r"\b(?:killing|killed|shot dead|murdered|stabbed to death|beat(?:s|ing)? to death|lynched|beheaded|"
    r"assassinated|executed) "
    r"(?:a|an|the|one|his|her) (?:[\w-]+ ){0,2}(?:man|woman|boy|girl|child|driver|soldier|officer|policeman|"
    r"journalist|student|farmer|teacher|resident|civilian|worker|trader|guard|person|activist|leader|chief|"
    r"headman|official|commander|politician|lawyer|priest|imam|pastor|villager|herder|shepherd|youth)\b"
    r"|\b(?:beat|beats|beating|stabbed|shot) (?:a |an |the )?(?:[\w-]+ )?(?:man|woman|boy|girl|youth|person)"
    r" to death\b", re.I)


def _zero_fatalities(text: str) -> list[CountMention]:
    return [CountMention(m.start(), m.end(), CountKind.KILLED, 0, Qualifier.EXACT, False)
            for m in _NO_FATALITIES.finditer(text) if "injur" not in m.group(0).lower()]
