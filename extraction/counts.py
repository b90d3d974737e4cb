"""Counts in text: "at least 70 people released", "over 2,400 detained", "killing two", "dozens injured".

ACLED's conventions for vague numbers: "dozens" = 12, "hundreds" = 100, "thousands" = 1000;
fatalities take the lowest reported figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.numbers import numbers, value_of
from schemas.acled import CountKind, Qualifier

_KINDS: list[tuple[CountKind, re.Pattern]] = [
    (kind, re.compile(pattern, re.I)) for kind, pattern in [
        (CountKind.KILLED, r"\b(?:killed|killings?|dead|died|deaths?|fatalit(?:y|ies)|murder(?:ed|s)?|assassinations?|"
                           r"massacre[ds]?|shot dead|executed|"
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


@dataclass(frozen=True)
class CountMention:
    start: int
    end: int
    kind: CountKind
    value: int
    qualifier: Qualifier
    vague: bool


# What follows an active verb when the figure before it is its subject ("3 gunmen killed two guards").
_OBJECT = re.compile(r"\s+(?:the|a|an|his|her|their|its|\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"several|dozens|scores|hundreds|at least|more than|some)\b", re.I)
# "5 others were injured", "two more people have been killed": the verb decides across a short subject.
_PASSIVE_GAP = re.compile(r"\s*(?:(?!(?:who|that|which)\b)[\w-]+\s+){0,3}"
                          r"(?:were|was|are|have been|had been|has been|got)\s+(?:\w+\s+)?", re.I)


def _kind(text: str, start: int, end: int) -> CountKind | None:
    """The kind a number counts: a kind word right before it ("killing 3", "the release of at least 70"),
    else the first kind word shortly after it ("70 people released"), else one earlier in the clause."""
    before = re.split(r"[.;,]|\b(?:and|but|while|whereas)\b", text[max(0, start - 60) : start])[-1]
    after = re.split(r"[.;]|\b(?:and|but|while|whereas)\b", text[end : end + 60])[0]
    found = sorted((m.start(), kind, m.group(0).lower()) for kind, pattern in _KINDS if (m := pattern.search(after)))
    hits = [(offset, kind) for offset, kind, _ in found]
    for offset, kind, word in found:  # "20 injured", "7 dead", "two students were killed": the word after decides
        if word.startswith(("detainee", "hostage")):
            continue  # "two of the hostages were killed": the verb after says what happened to them
        if kind is not CountKind.PARTICIPANTS and (offset <= 12 or _PASSIVE_GAP.fullmatch(after[:offset])):
            if after[:offset].strip() and kind is not CountKind.DISPLACED and word.endswith("ed") and \
                    not _PASSIVE_GAP.fullmatch(after[:offset]) and _OBJECT.match(
                    after, offset + len(word)):
                return None  # "three men killed two guards": the figure counts who did it
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


_A_PERSON = re.compile(r"\s+(?:man|woman|boy|girl|child|person|civilian|soldier|policeman|police officer|officer|"
                       r"journalist|student|farmer|teacher|resident|member)\b", re.I)
# Two figures joined in one noun phrase ("six priests and two women were murdered", "killed 3 soldiers and 2
# civilians"): the one with no kind word of its own counts what the other counts.
_CONJOINED = re.compile(r"^[\s\w'’,-]{0,50}?\s(?:and|as well as)\s+$", re.I)
_VERBISH = re.compile(r"\b(?:were|was|are|is|have|has|had|been|who|that|which|killed|injured|wounded|arrested|"
                      r"detained|died|dead)\b", re.I)


def _conjoined(text: str, kindless: list, counted: list[CountMention]) -> list[CountMention]:
    """Figures with no kind word of their own that share a noun phrase with a counted one: "six priests and
    two women were murdered", "killed 3 soldiers and 2 civilians", "killed the mayor, as well as two peasants"."""
    out = []
    for n in kindless:
        for c in sorted((c for c in counted if c.kind is not CountKind.PARTICIPANTS and c.end > c.start),
                        key=lambda c: abs(c.start - n.start)):
            gap = text[n.end : c.start] if c.start >= n.end else text[c.end : n.start]
            if _CONJOINED.match(gap) and not _VERBISH.search(gap):
                out.append(CountMention(n.start, n.end, c.kind, n.value, n.qualifier, n.vague))
            break
    return out


def find_counts(text: str) -> list[CountMention]:
    """Every number in text that counts people, with its kind and qualifier (the number grammar of
    `extraction.numbers` decides what is a figure; the words around it decide what it counts)."""
    found: list[tuple] = []  # (number, kind or None)
    for n in numbers(text):
        raw = n.raw
        if re.search(r"\bno\s+$", text[max(0, n.start - 4) : n.start], re.I):
            continue  # "no one was killed" is a zero, found by _zero_fatalities
        if _NOT_PEOPLE.match(text[n.end if n.end > n.head[1] else n.head[1] :]):
            continue
        if raw.lower() in {"a", "an"} and not _A_PERSON.match(text[n.head[1] :]):
            continue
        if re.search(r"\bby\s+$", text[max(0, n.start - 4) : n.start], re.I):
            continue  # "shot dead by two men": the perpetrators, not the victims
        found.append((n, _kind(text, n.start, n.end)))
    out = [CountMention(n.start, n.end, k, n.value, n.qualifier, n.vague) for n, k in found if k is not None]
    out.extend(_zero_fatalities(text))
    out.extend(CountMention(m.start(), m.end(), CountKind.KILLED, 1, Qualifier.EXACT, False)
               for m in _ONE_VICTIM.finditer(text) if not any(c.start < m.end() and m.start() < c.end for c in out))
    out.extend(CountMention(m.start(), m.end(), CountKind.KILLED, 1, Qualifier.EXACT, False)
               for m in _SINGLE_DEATH.finditer(text)
               if not any(c.kind is CountKind.KILLED and c.start < m.end() and m.start() - 60 < c.end for c in out))
    out.extend(_conjoined(text, [n for n, k in found if k is None], out))
    out.extend(CountMention(m.start(), m.end(), CountKind.ABDUCTED, 1, Qualifier.EXACT, False)
               for m in _ONE_TAKEN.finditer(text) if not any(c.kind is CountKind.ABDUCTED for c in out))
    out.extend(CountMention(m.start(), m.end(), CountKind.KILLED, _persons(text[m.end() :], after=True),
                            Qualifier.AT_LEAST, False)
               for m in _KILLING_OF.finditer(text)
               if not any(c.kind is CountKind.KILLED and m.start() - 60 < c.end < m.end() + 80 for c in out))
    for m in _THEY_DIED.finditer(text):  # "his driver and a bodyguard were killed": as many as were named
        inside = [c for c in out if c.kind is CountKind.KILLED and m.start() <= c.start < m.end()]
        if (n := _persons(m["subject"])) > max(1, sum(c.value for c in inside)) and not any(
                c.kind is CountKind.KILLED and c.value >= n for c in out):
            out = [c for c in out if c not in inside]
            out.append(CountMention(m.start(), m.end(), CountKind.KILLED, n, Qualifier.AT_LEAST, False))
    out.extend(CountMention(m.start(), m.end(), CountKind.KILLED, 1, Qualifier.EXACT, False)
               for m in _DIED.finditer(text) if not _PLURAL_SUBJECT.search(m["subject"])
               and not any(c.kind is CountKind.KILLED and m.start() - 60 < c.end and c.start < m.end() for c in out))
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
    if (m := _CODED_AS.search(text)) and (value := value_of(m[1])) is not None:
        return [c for c in counts if c.kind is not CountKind.KILLED] + [
            CountMention(m.start(1), m.end(1), CountKind.KILLED, value, Qualifier.EXACT, False)]
    return counts


# A death told without a number: "the village chief was killed", "he later died".
_SINGLE_DEATH = re.compile(
    r"\b(?:(?:was|has been|had been)\s+(?:\w+\s+)?(?:killed|shot dead|murdered|"
    r"(?:stabbed|beaten|shot|hacked|burned|tortured) to death|lynched|beheaded|executed|assassinated)|"
    r"(?:he|she|the victim|the pilot)\s+(?:\w+\s+){0,3}?(?:died|passed away|"
    r"succumbed)|(?:one|1) of (?:the|them|those)\b[^.;]{0,30}?\b(?:died|was killed)|succumbed to (?:his|her) "
    r"(?:injuries|wounds))\b", re.I)


# "the mayor was kidnapped", "he had been taken hostage": one person abducted.
_ONE_TAKEN = re.compile(r"\b(?:was|has been|had been)\s+(?:\w+\s+)?(?:kidnapp?ed|abducted|taken hostage|"
                        r"seized as (?:a )?hostage)\b", re.I)
# "A, a farmer, and B were murdered", "the driver and one of the guards have been killed": the dead are named.
_THEY_DIED = re.compile(r"(?P<subject>(?:^|(?<=[;:.]))[^;:.]{3,120}?)\s(?:were|have been|had been)\s+(?:\w+\s+){0,2}?"
                        r"(?:killed|murdered|assassinated|executed|massacred|slain|shot dead|gunned down|"
                        r"(?:shot|stabbed|beaten|hacked|burned|tortured) to death)\b", re.I)
_NAMED_END = re.compile(r"[.;:]|\b(?:of|in|on|at|by|who|which|that|during|when|near|while|was|were|has|had|after|"
                        r"as|because|for|from)\b", re.I)


def _persons(phrase: str, after: bool = False) -> int:
    """How many people a victim phrase names: one, plus one per "and" joining them ("Oqueli and his companion",
    "the driver, the guard and a passer-by"); read up to the verb or preposition after it when `after`."""
    if after and (end := _NAMED_END.search(phrase)):
        phrase = phrase[: end.start()]
    phrase = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", phrase)
    named = 1 + len(re.findall(r"\band\b|\bas well as\b|,\s*(?:the|a|an|his|her|their|its)\s(?=.*\band\b)", phrase,
                               re.I))
    return min(named, 5)


# "the murder of the attorney general", "the assassination of Ellacuria": a killing named by its noun is a death.
_KILLING_OF = re.compile(r"\b(?:murder|assassination|killing|slaying|execution)\s+of\b", re.I)
# "the inspector died in the explosion": one death, unless the subject is plural ("many people died").
_DIED = re.compile(r"(?P<subject>(?:^|[,;:]|\b(?:and|but|that|when|while)\b)[^,;:.]{0,60}?)\s(?:later\s+)?"
                   r"(?:died|perished|succumbed)\b", re.I)
_PLURAL_SUBJECT = re.compile(r"\d|\b(?:people|persons|civilians|others|many|several|some|all|they|both|who|which|"
                             r"two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|scores|[a-z]+ers|"
                             r"soldiers|children|men|women|members|residents|villagers|passengers|workers|victims|guerrillas|rebels|"
                             r"policemen|militants|students|peasants|hostages|journalists|prisoners|troops)\b", re.I)
_NO_FATALITIES = re.compile(r"\bno (?:one was |one |people were )?(?:fatalities|deaths|casualties|killed|"
                            r"one was killed|injuries)\b|\bwithout (?:any )?(?:casualties|fatalities)\b", re.I)


_ONE_VICTIM = re.compile(
    r"\b(?:killing|killed|shot dead|murdered|stabbed to death|beat(?:s|ing)? to death|lynched|beheaded|"
    r"assassinated|executed) "
    r"(?:a|an|the|one|his|her) (?:[\w-]+ ){0,2}(?:man|woman|boy|girl|child|driver|soldier|officer|policeman|"
    r"journalist|student|farmer|teacher|resident|civilian|worker|trader|guard|person|activist|leader|chief|"
    r"headman|official|commander|politician|lawyer|priest|imam|pastor|villager|herder|shepherd|youth|mayor|judge|"
    r"governor|senator|councill?or|councilman|candidate|peasant|guerrilla|rebel|militant|businessman|policewoman)\b"
    r"|\b(?:beat|beats|beating|stabbed|shot) (?:a |an |the )?(?:[\w-]+ )?(?:man|woman|boy|girl|youth|person)"
    r" to death\b", re.I)


def _zero_fatalities(text: str) -> list[CountMention]:
    return [CountMention(m.start(), m.end(), CountKind.KILLED, 0, Qualifier.EXACT, False)
            for m in _NO_FATALITIES.finditer(text) if "injur" not in m.group(0).lower()]
