"""Document-level place resolution: the country a document is about (the dateline as the filing place, the
places, regions, demonyms and armed groups it names), its place, the places a sentence names and the place an
event takes."""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from extraction import caseless, places
from extraction.actors import group_countries
from extraction.clean import DATELINE
from extraction.places import candidates
from extraction.places.located import _SITE_WORDS, village
from extraction.places.names import DATA
from extraction.places.rank import FEATURES, Evidence, population_feature
from extraction.places.scan import _MONTHS_AND_DAYS, _TITLES, _english_stop_words, _english_words, person_names

if TYPE_CHECKING:
    from extraction.coder import DocContext


Reports = Sequence[tuple[int, int, float]]  # (start, end, probability that the sentence reports an event)


def document_place(text: str, dateline: str | None, reports: Reports = ()
                   ) -> tuple[places.Country | None, places.Place | None, str | None]:
    """The document's country, by a weighted vote in which the dateline counts as the filing place and places
    named in sentences the detector finds to report an event (``reports``) weigh more, and its place with how
    it was found: the dateline town when in that country ("dateline"), else the first located or scanned town
    there, event sentences first ("document"), else the capital ("capital", at precision 3, as ACLED codes a
    nation-wide event)."""
    head, reports, dateline_place, spans = _prepared(text, dateline, reports)
    country = _vote_country(head, spans, dateline_place, reports)
    report = _probability(reports)
    located = [p for _, _, p in sorted(spans, key=lambda span: -report(span[0])) if p.country == country]
    if dateline_place is not None and dateline_place.country != country:
        dateline_place = None  # filed abroad ("PANAMA CITY (PANAMA) --") about events the text places elsewhere
    event_town = _event_town(head, country, reports) if country is not None else None
    place = event_town or dateline_place or (located[0] if located else None)
    place_from = "dateline" if dateline_place and not event_town else "document"
    if place is None and country is not None:
        scanned = sorted(places.scan(head, country), key=lambda span: -report(span[0]))
        persons = person_names(head)
        place = next((p for a, b, p in scanned if p.kind == "town" and p.country == country
                      and places.normalize(head[a:b]) not in persons), None)
    if place is None and country is not None:  # nothing more precise: the capital, as ACLED codes it (precision 3)
        capital = places.capital(country)
        place = dataclasses.replace(capital, geo_precision=3) if capital else places.lookup(country.name)
        place_from = "capital"
    return country, place, place_from if place else None


def document_evidence(text: str, dateline: str | None, reports: Reports = ()) -> Evidence:
    """The evidence :func:`document_place` ranks the document's candidate countries by."""
    head, reports, dateline_place, spans = _prepared(text, dateline, reports)
    return country_evidence(head, spans, dateline_place, reports)


def _prepared(text: str, dateline: str | None, reports: Reports
              ) -> tuple[str, Reports, places.Place | None, list[tuple[int, int, places.Place]]]:
    """The text read (its first 20,000 characters), the reports without the dateline (the filing place is the
    dateline's vote, not the event's), the dateline's place and the located mentions."""
    head = text[:20000]
    if (filed := DATELINE.match(head)) is not None:
        reports = [(max(a, filed.end()), b, p) for a, b, p in reports]
    dateline_place = None
    if dateline:
        town, _, country_part = dateline.partition(",")
        dateline_place = places.lookup(town.strip(), country_part.strip() or None) or places.lookup(dateline)
    return head, reports, dateline_place, places.located(head)


_EVENT_PLACE = 0.5  # a sentence the detector gives this much names the document's place before the dateline


def _event_town(text: str, country: places.Country, reports: Reports) -> places.Place | None:
    """The town of the country named after "in"/"near"/"at" in the likeliest event sentence (of
    `_EVENT_PLACE` or more; ties: the first): a story filed in the capital about an attack in a provincial
    town. Only those sentences are scanned."""
    for a, b, _ in sorted((r for r in reports if r[2] >= _EVENT_PLACE and r[0] < len(text)), key=lambda r: -r[2]):
        sentence = text[a:b]
        for start, end, place in places.scan(sentence, country):
            if (place.kind == "town" and place.country == country
                    and places.normalize(sentence[start:end]) not in person_names(text)
                    and _LOCATIVE.search(sentence[max(0, start - 30) : start])
                    and not _SITE_AFTER.match(sentence, end)
                    and not _DESTINATION.search(sentence[max(0, start - 40) : start])):
                return place
    return None


_NEIGHBOURING = re.compile(r"\b(?:neighbou?ring|border(?:s|ing)?\s+with)\s+(?:the\s+)?$", re.I)
# "the meeting with the guerrillas scheduled for 20 November in Caracas", "talks held in Geneva", "a declaration
# issued in Havana": where parties talk or speak, within the clause, is not where the story happens
_TALKS_BEFORE = re.compile(r"\b(?:talks|meetings?|dialogue|negotiations|summit|conference|statements?|declarations?|"
                           r"communiques?|interviews?|speech(?:es)?)\b[^.,;:!?\n]{0,70}"
                           r"\b(?:in|at)\s+(?:the\s+)?$", re.I)
_KIND_VOTES = {"country": 2.0, "admin1": 2.0, "admin2": 1.5}
_LOCATIVE = re.compile(r"\b(?:in|near|at|outside|around|across|inside)\s+(?:the\s+)?(?:\w+\s+(?:of\s+)?)?$"
                       r"|\b(?:north|south|east|west)(?:east|west)?(?:ern)?\s+of\s+$", re.I)  # "8 km west of X"


# A place named after "in", "near", "at" (or in a "Name (district, region)" chain) in a sentence that reports an
# event counts more, by the sentence's probability: a story filed abroad, or naming a meeting elsewhere, places
# its event in the sentences that tell it (a bare name there is as often a person or a party, and a village
# abroad as often a misread of a village GeoNames lacks: see _boostable). The weights are in places.rank.


_REGION_WORD = re.compile(r"\s(?:district|province|region|state|county|governorate|department)$", re.I)


def _boostable(name: str, place: places.Place) -> bool:
    """May an event sentence's "in X" weigh more: a region or a town of 10,000 people or more, not a country
    ("the war in Libya" is background) nor "X district" read as a town abroad (a district GeoNames lacks)."""
    if place.kind == "country":
        return False
    return place.kind != "town" or (place.population >= _CO_LOCATED_POPULATION and not _REGION_WORD.search(name))


def _in_chain(start: int, end: int, located: list[tuple[int, int, places.Place]]) -> bool:
    """Is the name part of a "Name (district, region)" chain, which voted for it already?"""
    return any(a <= start and end <= b for a, b, _ in located)


# "at the Palma bridge", "in Kabul University": a site named for a place may stand anywhere.
_SITE_AFTER = re.compile(rf"[\s-]+(?:{'|'.join(sorted(_SITE_WORDS))})\b", re.I)


def _probability(reports: Reports) -> Callable[[int], float]:
    """offset -> the detector's probability for the sentence holding it (0 outside every candidate sentence;
    sentences do not overlap)."""
    spans = sorted(reports)
    starts = [a for a, _, _ in spans]

    def probability(start: int) -> float:
        i = bisect.bisect_right(starts, start) - 1
        return spans[i][2] if i >= 0 and start < spans[i][1] else 0.0

    return probability


def _vote_country(text: str, located: list[tuple[int, int, places.Place]],
                  dateline: places.Place | None = None, reports: Reports = ()) -> places.Country | None:
    """The country the text is about: the best-ranked candidate of :func:`country_evidence`."""
    cc = country_evidence(text, located, dateline, reports).best()
    return places.country(cc) if cc else None


def country_evidence(text: str, located: list[tuple[int, int, places.Place]],
                     dateline: places.Place | None = None, reports: Reports = ()) -> Evidence:
    """The evidence for each country the text may be about (see :mod:`extraction.places.rank`): the dateline's
    (the filing place) and "Name (district, region)" mentions (a name inside one counts for the country it
    settled), places after "in", "near", "at" (where things happen, not who is involved), the first place
    named, country and region names, big towns, small towns, armed groups known to act in few countries, and
    demonyms (apart before a force noun). A place in a sentence that reports an event counts its detector
    probability apart."""
    evidence = Evidence()
    report = _probability(reports)
    filed = 0  # the dateline ("PANAMA CITY (PANAMA), 26 JAN 89 (EFE) --") counts once, as the filing place
    if dateline is not None:
        evidence.add(dateline.country.cc, "dateline")
        filed = prefix.end() if (prefix := DATELINE.match(text)) is not None else 0
    persons = person_names(text)
    scanned = places.scan(text)
    if dateline is not None:  # villages of the filing country, which capitals alone leave too ambiguous to read
        scanned = sorted([*scanned, *_home_villages(text, dateline.country, scanned)], key=lambda span: span[0])
    scanned = [(start, end, place) for start, end, place in scanned
               if start >= filed and _names_where(text, start, end, place)
               and places.normalize(text[start:end]) not in persons]
    talked = _talks_venues(text, scanned)
    located = [span for span in located if span[0] >= filed and not any(span[0] <= a < span[1] for a in talked)]
    for start, _, place in located:
        evidence.add(place.country.cc, "located")
        evidence.add(place.country.cc, "located_event", report(start))
    seen: set[tuple[str, str]] = set()
    regions: set[str] = set()  # countries a region or the country itself is named of
    for i, (start, end, place) in enumerate(scanned):
        if _NEIGHBOURING.search(text[max(0, start - 20) : start]) or start in talked:
            continue  # "floods from neighbouring Uzbekistan", "near the border with Mali", "talks in Geneva": elsewhere
        base = _KIND_VOTES.get(place.kind, 1.5 if place.population >= 100_000 else 1.0)
        where = bool(_LOCATIVE.search(text[max(0, start - 30) : start]))
        paren = text.rfind("(", 0, start) > text.rfind(")", 0, start)  # "(Jaffna district)"
        weight = base + 2.0 * where + (i == 0) + 2.0 * paren
        cc = _home(text, start, end, place, located, scanned, dateline).cc
        if place.kind != "town":
            regions.add(cc)
        evidence.add(cc, "scanned", base)
        evidence.add(cc, "scanned_where", float(where))
        evidence.add(cc, "scanned_first", float(i == 0))
        evidence.add(cc, "scanned_paren", float(paren))
        if (where and _boostable(text[start:end], place) and not _in_chain(start, end, located)
                and not _SITE_AFTER.match(text, end)):
            evidence.add(cc, "scanned_event", weight * report(start))  # "in X" of an event sentence: its place
        if place.country.cc == cc:
            if place.kind == "town":
                evidence.most(cc, "log_population", population_feature(place.population))
            if place.kind == "country":
                evidence.add(cc, "country_named")
                evidence.add(cc, "country_event", report(start))
            if (cc, place.name) not in seen:
                seen.add((cc, place.name))
                evidence.add(cc, "distinct_places")
    # a country's demonyms vote once ("NICARAGUANS" and "NICARAGUAN" are one vote); before a force noun
    # a demonym names who acts: half a vote, and one of its own before a force that strikes from afar
    # ("Turkish warplanes struck ... in Zakho"), as often abroad as at home
    demonyms: dict[str, int] = {}  # cc -> its most telling use (ordered: ties)
    mentions: Counter = Counter()
    in_events: Counter = Counter()
    for m in (_CAPITALISED if caseless.cased_text(text) else _ANY_CASE).finditer(text):
        if (places.is_demonym(m.group()) and not _NOT_WHERE_AFTER.match(text, m.end())
                and (c := places.country(m.group())) is not None):
            use = 0 if _REACH_AFTER.match(text, m.end()) else 1 if _FORCE_AFTER.match(text, m.end()) else 2
            demonyms[c.cc] = max(use, demonyms.get(c.cc, 0))
            mentions[c.cc] += 1
            in_events[c.cc] += report(m.start())
    for cc, use in demonyms.items():
        evidence.add(cc, *(("demonym_reach", 1.0), ("demonym", 0.5), ("demonym", 1.0))[use])
        evidence.add(cc, "demonym_mentions", mentions[cc])
        evidence.add(cc, "demonym_event", in_events[cc])
    groups = _group_countries() if _any_group().search(text) else []  # most texts name none: one search says so
    for cc in dict.fromkeys(cc for pattern, cc in groups if pattern.search(text)):
        evidence.add(cc, "group_table")
    for countries in group_countries(text):  # groups learned from the training files
        for name in sorted(countries):
            if (c := places.country(name)) is not None:
                evidence.add(c.cc, "group_learned", 1.0 / len(countries))
    if dateline is not None:
        towns_only = {cc for cc, row in evidence.rows.items()
                      if cc not in regions and not any(row[FEATURES.index(f)] for f in _MORE_THAN_TOWNS)}
        evidence.filed_abroad(dateline.country.cc, towns_only)
    return evidence


def _talks_venues(text: str, scanned: list) -> set[int]:
    """Starts of the names that place talks or a meeting ("the meeting ... scheduled for 20 November in Caracas,
    Venezuela": both names), not an event."""
    out: set[int] = set()
    previous = None
    for start, end, _ in scanned:
        if _TALKS_BEFORE.search(text[max(0, start - 90) : start]) or (
                previous is not None and previous[0] in out and _CHAINED.fullmatch(text[previous[1] : start])):
            out.add(start)
        previous = (start, end)
    return out


_CHAINED = re.compile(r"\s*[,(]\s*")


def _home_villages(text: str, country: places.Country, scanned: list) -> list[tuple[int, int, places.Place]]:
    """Towns of ``country`` (the dateline's) that a scan within it finds after "in", "near", "at" and the plain
    scan does not: in capitals or lower case a village is read only within a country ("IN SUCHITOTO" filed in
    San Salvador), so without this the filing country's villages never vote for it."""
    taken = [(a, b) for a, b, _ in scanned]
    return [(a, b, p) for a, b, p in places.scan(text, country)
            if p.kind == "town" and p.country == country and _LOCATIVE.search(text[max(0, a - 30) : a])
            and not any(a < y and x < b for x, y in taken)]


_MORE_THAN_TOWNS = ("dateline", "located", "demonym", "demonym_reach", "group_table", "group_learned", "country_named")


def _home(text: str, start: int, end: int, place: places.Place, located: list, scanned: list,
          dateline: places.Place | None = None) -> places.Country:
    """The country a scanned name votes for: the one a "Tripoli (Tripoli, North)" chain around it settled; else
    the country of the dateline (the filing place), of a chain or of another town named, where the name is also
    a town ("Tripoli and Beirut": Lebanon; "SANTA ANA" filed in San Salvador: El Salvador, not Taguig, once
    called so; countries and regions are often named as parties, not places), unless the name is a region and
    another place of its own country is named; else its own best reading."""
    name = places.normalize(text[start:end])
    for a, b, p in located:
        if a <= start and end <= b and places.lookup(name, p.country) is not None:
            return p.country
    others = ([dateline] if dateline is not None else []) + [p for _, _, p in located] + [
        p for a, b, p in scanned if p.kind == "town" and places.normalize(text[a:b]) != name]
    if place.kind != "town" and any(p.country == place.country for p in others):
        return place.country  # "SAN MIGUEL DEPARTMENT" beside towns of its own country
    return next((p.country for p in others if p.country != place.country
                 and _co_located(name, p.country, place.population)), place.country)


_CO_LOCATED_POPULATION = 10_000
_CO_LOCATED_RATIO = 20


@cache
def _co_located(name: str, country: places.Country, population: int) -> bool:
    """Has `name` a reading in `country` that a report naming another place there would mean: a region, or a
    town of 10,000 people or more and not dwarfed by the name's best reading (Tripoli, Lebanon next to
    Tripoli, Libya; not Dhaka, Bihar next to Dhaka, Bangladesh)."""
    place = places.lookup(name, country)
    return place is not None and place.country == country and (place.kind != "town" or (
        place.population >= _CO_LOCATED_POPULATION and place.population * _CO_LOCATED_RATIO >= population))


_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_ANY_CASE = re.compile(r"\b[A-Za-z][a-z]{2,}\b|\b[A-Z]{3,}\b")


# "Turkish warplanes", "Russian forces": a force acts abroad as often as at home, so it is a weaker hint.
_FORCE_AFTER = re.compile(r"[\s-]+(?:\w+[\s-]+)?(?:forces?|military|army|troops|soldiers|guards|warplanes?|jets?|"
                          r"aircraft|air ?strikes?|drones?|navy|artillery|armed forces|backed|led)\b", re.I)
# ... of those, a force that strikes from afar or through others ("Turkish warplanes", "Israeli airstrikes",
# "Saudi-led", "Iranian-backed"): as often the country of an attack abroad as the event's own
_REACH_AFTER = re.compile(r"[\s-]+(?:\w+[\s-]+)?(?:warplanes?|jets?|aircraft|air ?strikes?|drones?|artillery|"
                          r"backed|led)\b", re.I)

# A country named for its money, mission or people abroad says nothing of where an event happened.
_NOT_WHERE_AFTER = re.compile(r"['’]?s?[\s-]+(?:dollars?|currency|embassy|embassies|consulate|ambassador|envoy|"
                              r"citizens?|nationals?|passports?|universit(?:y|ies)|compan(?:y|ies))\b", re.I)


# ... or as where an envoy is sent: "Barillas, ambassador to Spain", "the delegation to Mexico"
_NOT_WHERE_BEFORE = re.compile(r"\b(?:ambassadors?|envoys?|consuls?|delegations?|delegates?|missions?)"
                               r"\s+to\s+(?:the\s+)?$", re.I)


def _names_where(text: str, start: int, end: int, place: places.Place) -> bool:
    """False for a country named as the owner of money, a mission or people, or as where an envoy goes: "the US
    dollar", "the French embassy in Beirut", "two Turkish nationals", "ambassador to Spain"."""
    return place.kind != "country" or not (_NOT_WHERE_AFTER.match(text, end)
                                           or _NOT_WHERE_BEFORE.search(text[max(0, start - 30) : start]))


@cache
def _group_countries() -> list[tuple[re.Pattern, str]]:
    """Armed groups and missions that act in one country (data/group_countries.json): a hint when a report
    names no place GeoNames knows."""
    groups = json.loads((DATA / "group_countries.json").read_text(encoding="utf-8"))["groups"]
    return [(re.compile(rf"\b(?:{'|'.join(map(re.escape, g['names']))})\b"), g["cc"]) for g in groups]


@cache
def _any_group() -> re.Pattern:
    """Every group of :func:`_group_countries` in one pattern: it matches wherever one of theirs would."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _group_countries()))


_DESTINATION = re.compile(r"\b(?:to|towards?|via|bound for)\s+(?:an?\s+|the\s+)?(?:(?:nearby|neighbouring|"
                          r"neighboring|capital|city|town|village|region|province|district|area)\s+(?:of\s+)?)?$", re.I)
_SPECIFIC = {"town": 0, "admin2": 1, "admin1": 2, "country": 3}
_CAPITAL = re.compile(r"\b(?:the|country's|nation's|national) capital\b", re.I)


def places_in(sentence: str, ctx: DocContext) -> list[places.Place]:
    """Places named in a sentence, "Name (district, region)" forms first, limited to the document's country
    (other countries only by name); "the capital" is the document country's capital."""
    prefix = DATELINE.match(sentence)
    skip = prefix.end() if prefix else 0

    def wanted(start: int) -> bool:
        before = sentence[max(0, start - 40) : start]
        return start >= skip and not _DESTINATION.search(before) and not _NEIGHBOURING.search(before)

    located = [(s, e, p) for s, e, p in places.located(sentence, ctx.country) if wanted(s)]
    located += [(s, e, p) for s, e, p in _settlements(sentence, ctx) if wanted(s)
                and not any(s < le and ls < e for ls, le, _ in located)]
    taken = [(s, e) for s, e, _ in located]
    spans = [(s, e, p) for s, e, p in places.scan(sentence, ctx.country)
             if wanted(s) and _names_where(sentence, s, e, p) and not any(s < te and ts < e for ts, te in taken)
             and places.normalize(sentence[s:e]) not in ctx.persons]
    # a town with namesakes in the country: the one the places named around it point to (places.candidates)
    context = [p for _, _, p in located] + [p for _, _, p in spans] + ([ctx.place] if ctx.place else [])
    scanned = [candidates.resolve(sentence[s:e], p, context) for s, e, p in spans]
    found = [p for _, _, p in located] + scanned
    if ctx.country is not None:
        found = [p for p in found if p.country == ctx.country or p.kind == "country"]
        if not any(p.kind != "country" for p in found) and _CAPITAL.search(sentence):
            capital = places.capital(ctx.country)
            found = [capital, *found] if capital else found
    return found


def event_place(found: list[places.Place], ctx: DocContext,
           context: list[places.Place]) -> tuple[places.Place | None, bool, str | None]:
    """The most specific place the sentence names; a region or country gives way to a town of the paragraph
    or dateline inside it; no place at all falls back to the paragraph, then the dateline."""
    nearby = [p for p in context + ([ctx.place] if ctx.place else []) if p.kind == "town"]
    if found:
        best = min(found, key=lambda p: _SPECIFIC.get(p.kind, 4))
        inside = [p for p in nearby if p.country == best.country and best.kind == "country"
                  or (best.kind in ("admin1", "admin2") and p.admin1 == best.admin1
                      and (best.kind == "admin1" or p.admin2 == best.admin2))]
        if inside:
            return inside[0], True, "paragraph" if inside[0] in context else ctx.place_from
        if best.kind == "country":  # ACLED codes nation-wide events at the capital, as a region (precision 3)
            capital = places.capital(best.country)
            if capital:
                return dataclasses.replace(capital, geo_precision=3), True, "sentence"
        return best, True, "sentence"
    if context:
        return context[0], True, "paragraph"
    return ctx.place, False, ctx.place_from




# "THE SMALL TOWN OF X", "THE HAMLET OF X", "X CANTON": a settlement named as one in text written in capitals
# ("area", "community" and "settlement" of are as often said of people: "the community of Jesuits"),
# where a name's capitals say nothing and small places GeoNames lacks are otherwise never returned.
_SETTLEMENT_WORD = r"(?:village|town|hamlet|canton|municipality|locality)"
_SETTLEMENT_OF_CAPS = re.compile(rf"\b{_SETTLEMENT_WORD}\s+of\s+(?P<name>[A-Z][A-Z'’-]*(?:\s[A-Z][A-Z'’-]*){{0,2}})",
                                 re.I)
_SETTLEMENT_AFTER = re.compile(r"(?P<name>[A-Z][A-Z'’-]*(?:\s[A-Z][A-Z'’-]*){0,2})\s+(?:village|hamlet|canton)\b",
                               re.I)
# Both patterns need a kind word: one search for it spares most sentences their slow, unanchored scans.
_ANY_SETTLEMENT_WORD = re.compile(_SETTLEMENT_WORD, re.I)


def _settlement_name(words: list[str], trailing: bool) -> list[str]:
    """The name's words: none a stop word, month or title (cut there, from its end for a name before its kind
    word), ending (or starting, before the kind word) on a word English does not write in lower case."""
    never, english = _english_stop_words() | _MONTHS_AND_DAYS | _TITLES, _english_words()
    if trailing:
        words = words[: next((k for k, w in enumerate(words) if places.normalize(w) in never), len(words))]
        while words and places.normalize(words[-1]) in english:
            words = words[:-1]
    else:
        cut = next((k for k in range(len(words) - 1, -1, -1) if places.normalize(words[k]) in never), -1)
        words = words[cut + 1 :]
        while words and places.normalize(words[0]) in english:
            words = words[1:]
    return words


def _settlements(sentence: str, ctx: DocContext) -> list[tuple[int, int, places.Place]]:
    """Settlements a sentence written in capitals names by their kind word, in the document's country: the
    gazetteer's place of that name there, else a village GeoNames lacks, placed in the document's region (at
    precision 2), as :func:`places.located` places one in the regions a cased text names after it."""
    lower = not sentence.isupper() and any(c.islower() for c in sentence)  # isupper first: exact, and quick
    if ctx.country is None or lower or not _ANY_SETTLEMENT_WORD.search(sentence):
        return []
    base = ctx.place if ctx.place is not None and ctx.place.country == ctx.country else places.capital(ctx.country)
    out = []
    for pattern, trailing in ((_SETTLEMENT_OF_CAPS, True), (_SETTLEMENT_AFTER, False)):
        for m in pattern.finditer(sentence):
            words = _settlement_name(m["name"].split(), trailing)
            if not words:
                continue
            name = " ".join(words)
            start = m.start("name") + (m["name"].index(name) if name in m["name"] else 0)
            key = places.normalize(name)
            if key in _SITE_WORDS or places.country(name) is not None:
                continue
            place = places.lookup(name, ctx.country)
            if place is None or place.country != ctx.country:
                if base is None:
                    continue
                place = village(base, name.title())
            out.append((start, start + len(name), place))
    return out
