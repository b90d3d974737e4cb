"""Actors in ACLED's naming with inter codes: "Police Forces of Kenya (2013-)", "Protesters (Venezuela)", ...

The naming comes from `extraction/data/actors.json`, built by `scripts/build_actor_lexicon.py` from the
training files' actor columns: state-force names per country with their regime years and sub-units, named
groups with aliases and inter codes. Phrase rules below map generic nouns ("gunmen", "riot police") to
ACLED's country-qualified templates; `{c}` is filled with the event's country. `extraction.sides.assign`
then decides who is actor1 and who actor2 for the event's sub-event type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from extraction import caseless, gazetteer
from extraction.caseless import Caseless, fold
from extraction.places.scan import _english_stop_words, _english_words
from schemas.acled import Inter, SubEventType

S = SubEventType
LEXICON = Path(__file__).with_name("data") / "actors.json"


@dataclass(frozen=True)
class Actor:
    name: str
    inter: Inter


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    actor: Actor


@cache
def lexicon() -> dict:
    """The committed actor lexicon (JSON, built from the training files)."""
    return json.loads(LEXICON.read_text(encoding="utf-8"))


# --- generic phrase rules --------------------------------------------------------------------------------

MILITARY = "Military Forces of {c}"
POLICE = "Police Forces of {c}"
GOVERNMENT = "Government of {c}"
UAG = "Unidentified Armed Group ({c})"

# (pattern, template, inter). Order matters: specific before generic; named groups are matched before these.
_RULES: list[tuple[str, str, Inter]] = [
    (r"(?:gangs?|cartels?|gang members|gangsters)(?! violence)|(?:drug )?traffickers?|drug dealers?|narcos|criminals|"
     r"(?:criminal|crime|organi[sz]ed crime) (?:groups?|gangs?|organi[sz]ations?)", "Unidentified Gang ({c})",
     Inter.POLITICAL_MILITIA),
    (r"(?:private security|security guards?)", "Private Security Forces ({c})", Inter.EXTERNAL_OTHER),
    (r"(?:rebel|opposition|insurgent|militant|separatist|jihadist) (?:forces|fighters)", UAG,
     Inter.POLITICAL_MILITIA),
    (r"(?:(?:unidentified|unknown|masked|suspected|armed) )?(?:gunm[ae]n|armed (?:men|assailants|group|groups|"
     r"individuals|persons)|assailants|attackers|bandits|militants|insurgents|rebels|jihadists|extremists|"
     r"terrorists|fighters|kidnappers|abductors|hitmen|sicarios|robbers|thugs|perpetrators|"
     r"unknown persons|unidentified persons|unidentified men|unknown men|"
     r"(?:unknown|unidentified) (?:military |armed )?(?:party|parties|groups?|forces|actors?|side))", UAG,
     Inter.POLITICAL_MILITIA),
    (r"(?:militia(?:men|s)?|vigilantes?|self-defen[cs]e groups?|local defen[cs]e (?:forces|groups?))",
     "Unidentified Communal Militia ({c})", Inter.IDENTITY_MILITIA),
    (r"riot police|gendarmerie forces|polic(?:e forces|e officers?|emen|eman|ewoman|ewomen|e)|officers|gendarmes?|"
     r"gendarmerie|law enforcement|constables?|cops?|law enforcers|security officers|border guards?|border police|"
     r"prison guards?|warders?|sheriff'?s? deputies|"
     r"deputies", POLICE, Inter.STATE_FORCES),
    (r"military forces|army (?:troops|soldiers|forces)|soldiers?|troops|army|military|armed forces|security forces|"
     r"defen[cs]e forces|government forces|pro-government forces|regime forces|joint forces|forces|marines|navy|"
     r"naval forces|air ?force|"
     r"national guard|paramilitar(?:y|ies)|warplanes?|fighter jets?|jets?|drones?|helicopters?|"
     r"servicem[ae]n|artillery units?|battalion|brigade|commandos?", MILITARY, Inter.STATE_FORCES),
    (r"(?:the )?(?:government|authorities|regime|state|prosecutors?|courts?|judge|president|ministry|"
     r"governor|mayor)", GOVERNMENT, Inter.STATE_FORCES),
    (r"rioters|mobs?|angry (?:crowds?|residents|villagers|youths?)|irate (?:crowds?|residents|youths?)",
     "Rioters ({c})", Inter.RIOTERS),
    (r"protesters|protestors|demonstrators|marchers|strikers|activists|rally-?goers", "Protesters ({c})",
     Inter.PROTESTERS),
    (r"civilians?|villagers?|residents?|m[ae]n\b|wom[ae]n\b|boys?|girls?|child(?:ren)?|famil(?:y|ies)|"
     r"farmers?|journalists?|reporters?|teachers?|students?|passengers?|travell?ers|traders?|worshippers|"
     r"people|persons?|individuals|detainees|prisoners|workers|lawyers?|doctors?|opposition (?:leaders?|"
     r"members?|supporters?)|politicians?|candidates?|migrants?|refugees?|pastors?|priests?|imams?|"
     r"bodies|body|driver|motorists?|herders?|fishermen|miners?|youths?|chief|leader|victims?|"
     r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (?:local|young|elderly)? ?"
     r"(?:man|woman|boy|girl|person)", "Civilians ({c})", Inter.CIVILIANS),
]
# Searched over lower-cased text (extraction.caseless): IGNORECASE's matches, faster; callers use spans only.
_COMPILED = [(Caseless(rf"\b(?:{p})\b"), t, i) for p, t, i in _RULES]
# "Israeli artillery", "Russian airstrikes": a weapon names its force only with a demonym before it.
_WEAPONS = Caseless(r"\b(?:artillery|gunboats?|tanks|warships?|missiles?|rockets?|air ?strikes?|shelling|"
                      r"bombardments?|mortars?|(?:military |fighter |war)?planes)\b")
_NATIONAL = {MILITARY, POLICE, GOVERNMENT}  # ACLED names these by the force's country, others by the event's

# Sub-units ACLED writes after a state force's name, and the words that select them; a unit is only used
# where the lexicon has seen it for that country.
_UNIT_CUES: list[tuple[str, str]] = [
    (r"air ?forces?|air ?strikes?|air ?raids?|warplanes?|fighter jets?|jets|bombers?|aircraft|helicopters?|"
     r"(?:military |fighter )?planes",
     "Air Force"),
    (r"navy|naval", "Navy"),
    (r"gendarmes?|gendarmerie", "Gendarmerie"),
    (r"national guard", "National Guard"),
    (r"border (?:guards?|troops|service|police)|frontier", "Border"),
    (r"prison guards?|warders?|prison officers?", "Prison Guards"),
    (r"special forces", "Special Forces"),
    (r"mobile brigade|brimob", "Mobile Brigade Corps"),
    (r"detachment 88|densus 88", "Detachment 88"),
]
_UNIT_COMPILED = [(re.compile(rf"\b(?:{p})\b", re.I), u) for p, u in _UNIT_CUES]


# --- named groups from the lexicon -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    name: str
    inter: Inter
    countries: frozenset[str]


@cache
def _groups() -> tuple[re.Pattern, Caseless, dict[str, list[_Group]]]:
    """Alias regexes (acronyms case-sensitive, names case-insensitive: written in lower case, so that they search
    lower-cased text, see extraction.caseless) and alias -> candidate groups."""
    by_alias: dict[str, list[_Group]] = {}
    acronyms, names = set(), set()
    for g in lexicon()["groups"]:
        group = _Group(g["name"], Inter(g["inter"]), frozenset(g["countries"]))
        for alias in g["aliases"]:
            by_alias.setdefault(alias.lower(), []).append(group)
            (acronyms if _is_acronym(alias) else names).add(alias)

    def alternation(words: set[str], ignore_case: bool = False) -> str:  # longest first
        return caseless.alternation(sorted(words, key=len, reverse=True), ignore_case)

    # "pro-Houthi forces", "pro-STC fighters": the side of the group the name follows (never "anti-Houthi").
    start = r"(?:(?<=\bpro-)|(?<=\bPro-)|(?<![\w-]))"
    folded = {name.translate(_ASCII_LOWER) for name in names}  # the same under IGNORECASE ("Pro-" is "pro-")
    return (re.compile(rf"{start}(?:{alternation(acronyms)})(?![\w-])"),
            Caseless(rf"(?:(?<=\bpro-)|(?<![\w-]))(?:{alternation(folded, ignore_case=True)})(?![\w-])"), by_alias)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _is_acronym(alias: str) -> bool:
    return not any(ch.islower() for ch in alias)


def _word_not_acronym(match: str, shouted: bool) -> bool:
    """In text written in capitals an acronym that is also an English word ("IS", "AT") is the word."""
    return shouted and match.lower() in _plain_words()


@cache
def _plain_words() -> frozenset[str]:
    return _english_stop_words() | _english_words()


def _named(sentence: str, country: str | None) -> list[ActorMention]:
    """Named groups in a sentence; a group learned from some countries' events only counts in those."""
    acronyms, names, by_alias = _groups()
    lowered = not any(ch.isupper() for ch in sentence)  # lower-cased text: long acronyms still count
    shouted = caseless.shouted(sentence)
    matched = list(acronyms.finditer(sentence))  # searched once: the words among them, and the acronyms
    words = {m.span() for m in matched if _word_not_acronym(m.group(), shouted)}
    found = [*names.finditer(sentence), *(acronyms.finditer(sentence.upper()) if lowered else matched)]
    out = []
    for m in found:
        if lowered and _is_acronym(m.group()) and len(m.group()) < 4 or m.span() in words:
            continue
        candidates = by_alias.get(m.group().lower(), [])
        local = [g for g in candidates if country in g.countries]
        anywhere = [g for g in candidates if not g.countries or country is None]  # no country known: any
        best = (local or anywhere or [None])[0]
        if best and not any(m.start() < a.end and a.start < m.end() for a in out):
            out.append(ActorMention(m.start(), m.end(), Actor(best.name, best.inter)))
    return out


def group_countries(text: str) -> list[frozenset[str]]:
    """The countries (ACLED names) of each distinct named group the text mentions that the training files
    saw in one to three countries: a hint of where a report is set when it names no known place."""
    acronyms, names, by_alias = _groups()
    seen: dict[str, frozenset[str]] = {}
    shouted = caseless.shouted(text)
    acronym_matches = [m for m in acronyms.finditer(text) if not _word_not_acronym(m.group(), shouted)]
    for m in [*names.finditer(text), *acronym_matches]:
        for group in by_alias.get(m.group().lower(), []):
            if 1 <= len(group.countries) <= 3:
                seen.setdefault(group.name, group.countries)
    return list(seen.values())


_ETHNIC_NOUNS = (r"(?:ethnic )?(?:militia(?:men|s)?|herd(?:ers|smen)|gunmen|fighters|youths?|tribesmen|"
                 r"community members|communities|clansmen)")


@cache
def _ethnic() -> re.Pattern:
    """"Fulani herdsmen", "Konkomba youths": ethnic groups ACLED names as "<X> Ethnic Militia (<country>)"."""
    heads = caseless.alternation(sorted(_ethnic_heads(), key=len, reverse=True), ignore_case=True)
    return re.compile(rf"\b({heads})s? {_ETHNIC_NOUNS}\b", re.I)


@cache
def _ethnic_heads() -> frozenset[str]:
    """Ethnic group names: those of the lexicon's "<X> Ethnic Militia" templates and a few widely reported."""
    heads = {t["template"].split(" Ethnic Militia")[0] for t in lexicon()["templates"]
             if " Ethnic Militia (" in t["template"] and not t["template"].startswith("Unidentified")}
    heads |= {"Fulani", "Dogon", "Hema", "Lendu", "Nuer", "Dinka", "Murle", "Tiv", "Berom", "Bambara",
              "Tuareg", "Toubou", "Peul", "Misseriya", "Twa", "Luba", "Pokot", "Turkana", "Borana", "Afar",
              "Oromo", "Amhara", "Gumuz"}
    return frozenset(heads)


# "the Sakai community", "two factions of the Kato community", "the people of Konkomba and Bimoba", "rival groups of
# Fadama and Abeka neighbourhoods": communities that fight as sides, which ACLED names after the community.
_SIDE = r"(?:people|members|youths?|factions?|groups?|residents|natives|indigenes)"
_COMMUNITY_NOUN = r"(?:communit(?:y|ies)|clans?|neighbou?rhoods?)"
# Communities are sides only where the sentence tells a fight between sides; a village attacked is civilians.
_SIDES_FIGHT = re.compile(r"\b(?:clash\w*|fought|fight\w*|feud\w*|rival\w*|inter-?communal|intra-?communal|"
                          r"each other|one another|gunfight|skirmish\w*)\b", re.I)
_NAME = r"(?!The\b)([A-Z][a-z]{2,})"
_COMMUNITY = re.compile(rf"\b{_SIDE} of (?:the )?{_NAME}(?: and {_NAME})?(?: {_COMMUNITY_NOUN})?\b"
                        rf"|\b{_NAME}(?: and {_NAME})? {_COMMUNITY_NOUN}\b")


def _communities(sentence: str, country: str | None) -> list[ActorMention]:
    """Communities named as the sides of a fight: "<X> Ethnic Militia" when the training files know X as an
    ethnic group, else "<X> Communal Militia"; "people of X" only counts for a known ethnic group (not "members of
    Congress")."""
    if not _SIDES_FIGHT.search(sentence):
        return []
    heads = {h.lower() for h in _ethnic_heads()}
    out = []
    for m in _COMMUNITY.finditer(sentence):
        noun = bool(re.search(rf"{_COMMUNITY_NOUN}$", m.group()))
        groups = [i for i in range(1, 5) if m.group(i)]
        for i in groups:
            name = m.group(i)
            if gazetteer.country(name) and name.lower() not in heads:  # "the Kenyan community": a nation
                continue
            if name.lower() in heads:
                template = f"{name.title()} Ethnic Militia ({{c}})"
            elif noun:
                template = f"{name} Communal Militia ({{c}})"
            else:
                continue
            out.append(ActorMention(m.start(i), m.end(i), Actor(fill(template, country), Inter.IDENTITY_MILITIA)))
    return out


# --- finding and naming ----------------------------------------------------------------------------------


def inter_of(template: str) -> Inter:
    """The inter code of an actor template such as "Police Forces of {c}" or a named group."""
    for _, t, inter in _RULES:
        if t == template:
            return inter
    for g in lexicon()["groups"]:
        if g["name"] == template:
            return Inter(g["inter"])
    if " Ethnic Militia (" in template or "Communal Militia" in template:
        return Inter.IDENTITY_MILITIA
    return Inter.EXTERNAL_OTHER


RUBRIC = re.compile(r"\s*[A-Z][a-z]+(?:[ /-][a-z]+){0,4}:\s+(?=[A-Z0-9])")


def find_actors(sentence: str, country: str | None) -> list[ActorMention]:
    """Actor mentions in a sentence, non-overlapping: named groups first, then ethnic militias, then the
    generic rules (first rule wins at each place). A leading rubric ("Movement of forces: On 4 May ...") names
    the kind of report, not who acted: its words are left out."""
    if rubric := RUBRIC.match(sentence):
        skip = rubric.end()
        return [replace(m, start=m.start + skip, end=m.end + skip) for m in find_actors(sentence[skip:], country)]
    out = _named(sentence, country)

    def add(start: int, end: int, actor: Actor) -> None:
        if not any(start < a.end and a.start < end for a in out):
            out.append(ActorMention(start, end, actor))

    for m in _ethnic().finditer(sentence):
        add(m.start(), m.end(), Actor(fill(f"{m.group(1).title()} Ethnic Militia ({{c}})", country),
                                      Inter.IDENTITY_MILITIA))
    for mention in _communities(sentence, country):
        add(mention.start, mention.end, mention.actor)
    specific = {a.end for a in out}
    folded = fold(sentence)
    for m in _WEAPONS.finditer(sentence, folded):
        if nation := _nationality(sentence, m.start(), adjacent=True):
            add(m.start(), m.end(), Actor(fill(MILITARY, nation), Inter.STATE_FORCES))
    for pattern, template, inter in _COMPILED:
        for m in pattern.finditer(sentence, folded):
            nation = _nationality(sentence, m.start(), m.end()) if template in _NATIONAL else None
            add(m.start(), m.end(), Actor(fill(template, nation or country), inter))
            if nation and (other := _paired_nationality(sentence, m.start())):  # "Kyrgyz and Tajik troops"
                add(other[0], other[1], Actor(fill(template, other[2]), inter))
    # "Al Shabaab fighters", "FAMa soldiers": the generic noun after a named group is the same actor.
    starts = {a.start for a in out if a.end in specific}
    out = [a for a in out if a.end in specific or not (any(0 <= a.start - e <= 2 for e in specific) or any(
        _OF.fullmatch(sentence[a.end : s]) for s in starts if s > a.end))]
    return sorted(out, key=lambda a: a.start)


_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})")
_OF = re.compile(r"\s+of\s+(?:the\s+)?")
NOT_NATIONAL = {"the", "a", "an", "of", "and", "by", "local", "state", "federal", "national", "government",
                 "security", "rebel", "armed", "special", "joint", "regime", "republican", "democratic", "forces"}


def _nationality(sentence: str, start: int, end: int | None = None, adjacent: bool = False) -> str | None:
    """The country a demonym shortly before a force names ("Russian forces", "Somali army troops", "Afghan
    National Security Forces"), or a country named right after it ("military forces of Russia")."""
    if end is not None and (after := _OF_COUNTRY.match(sentence, end)):
        if found := gazetteer.country(after.group(1)):
            return found.name
    words = re.findall(r"\b[A-Za-z-]+(?='s\b)|\b[A-Za-z'-]+\b", sentence[max(0, start - 40) : start])
    words = [w for w in words if w != "'s"][-(1 if adjacent else 3) :]
    shouted = caseless.shouted(sentence)
    for i in reversed(range(len(words))):
        for phrase in (" ".join(words[i - 1 : i + 1]) if i else "", words[i]):
            if found := _nation(phrase, shouted):
                return found
    return None


def _nation(phrase: str, shouted: bool) -> str | None:
    """The country a word or two names (a demonym, a country's name, its ISO code), not a word that only
    qualifies a force. In text written in capitals a code that is also an English word is the word: 'IN', 'TO',
    'AT', 'NO' before 'THE ARMY' are no India, Tonga, Austria or Norway."""
    if not phrase or phrase.lower() in NOT_NATIONAL:
        return None
    if shouted and len(phrase) <= 3 and _word_not_acronym(phrase, shouted):
        return None
    found = gazetteer.country(phrase)
    return found.name if found else None


def _paired_nationality(sentence: str, start: int) -> tuple[int, int, str] | None:
    """The first demonym of "Kyrgyz and Tajik border troops" (the second is found by _nationality)."""
    m = re.search(r"\b([A-Za-z]+) and [A-Za-z]+ (?:[a-z-]+ )?$", sentence[max(0, start - 60) : start])
    if not m:
        return None
    found = _nation(m.group(1), caseless.shouted(sentence))
    base = max(0, start - 60)
    return (base + m.start(1), base + m.end(1), found) if found else None


def fill(template: str, country: str | None) -> str:
    """Put the country into an actor template; without a country, drop the placeholder cleanly."""
    if country:
        return template.replace("{c}", country)
    return re.sub(r"\s*(?:of |\()\{c\}\)?", "", template).strip()


_STATE = re.compile(r"^(Police Forces|Military Forces|Government) of (.+)$")


def official(actor: Actor, year: int | None = None, sentence: str = "",
             where: tuple[str, list[tuple[int, int]]] | None = None) -> Actor:
    """ACLED's full name of a state force in the event's year: "Police Forces of Kenya" in 2020 ->
    "Police Forces of Kenya (2013-)"; a sub-unit the text names and the lexicon knows is appended
    ("Military Forces of Russia (2000-) Air Force"). A unit's own name counts where it overlaps or just
    precedes one of the actor's mentions (`where`: the sentence and their spans; else anywhere in `sentence`).
    Other actors are returned unchanged."""
    m = _STATE.match(actor.name)
    if not m:
        return actor
    kind, country = m.groups()
    state = lexicon()["state"]
    forces = state["forces"].get(country, [])
    the = "the " if country in state["with_the"] else ""
    entries = [e for e in forces if e["kind"] == kind]
    units = {u for pattern, u in _UNIT_COMPILED if pattern.search(sentence)}
    with_unit = [e for e in entries if e["unit"] and any(u in e["unit"] for u in units) and e["n"] >= 2]
    plain = [e for e in entries if not e["unit"]]
    # A unit the text names word for word ("military police", "Civil Police") is that unit of the force,
    # under whichever kind ACLED files it (Brazil's Military Police are military forces).
    named = [e for e in forces if e["unit"] and e["kind"] != "Government" and kind != "Government"
             and _names_unit(e["unit"], sentence, where)]
    if named:
        unit = max(named, key=lambda e: (len(e["unit"]), e["n"]))["unit"]
        with_unit = [e for e in named if e["unit"] == unit]
        kind = with_unit[0]["kind"]
        plain = [e for e in forces if e["kind"] == kind and not e["unit"]]
    for pool in (with_unit, plain):
        current = [e for e in pool if _current(e, year)]
        if current:
            return replace(actor, name=max(current, key=lambda e: e["n"])["name"])
    if named:  # the unit is known, not in the event's year: its name without the years rather than wrong ones
        return replace(actor, name=f"{kind} of {the}{country} {unit}")
    return replace(actor, name=f"{kind} of {the}{country}")


def named_units(mentions: list[ActorMention], text: str, year: int | None) -> list[ActorMention]:
    """Mentions of state forces whose unit the text names at them, renamed to that unit ("the Military Police
    carried out an operation": Military Forces of Brazil Military Police); the others unchanged."""
    out = []
    for m in mentions:
        unit = official(m.actor, year, "", (text, [(m.start, m.end)]))
        out.append(replace(m, actor=unit) if unit != official(m.actor, year) else m)
    return out


def _names_unit(unit: str, sentence: str, where: tuple[str, list[tuple[int, int]]] | None) -> bool:
    """Does the text name the unit at the actor ("GNA air force", "civil police forces", "the Military Police
    carried out"), not elsewhere ("LNA air force targeted GNA positions")?"""
    if where is None:
        return bool(_unit_pattern(unit).search(sentence))
    text, spans = where
    ends = sorted(end for _, end in spans)
    for start, end in spans:
        lo = max([start - 25, *(e for e in ends if e <= start)])
        if any(m.start() <= end and m.end() >= start for m in _unit_pattern(unit).finditer(text, lo, end + 40)):
            return True
    return False


def _current(entry: dict, year: int | None) -> bool:
    return year is None and entry["to"] is None or year is not None and entry["from"] <= year <= (entry["to"] or 9999)


@cache
def _unit_pattern(unit: str) -> re.Pattern:
    """A state-force unit's name as the text writes it: any case, a last word in the singular or plural, either
    half of "NSCDC: Nigeria Security and Civil Defence Corps", without a bracketed acronym."""
    names = [re.sub(r"\s*\([^)]*\)", "", part).strip() for part in unit.split(": ")]
    alternatives = [re.escape(n) if _is_acronym(n) else "(?i:" + re.escape(n).replace(r"\ ", r"\s+").rstrip("s")
                    + "s?)" for n in names if len(n) > 2]  # acronyms ("GNA") in capitals only
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")


# --- associated actors -----------------------------------------------------------------------------------

# Who the crowd or the victims were. ACLED names these only as associated actors (the lexicon's templates
# count them 0 times as actor1/actor2): "Protesters (Kenya)" with "Teachers (Kenya)" associated.
_ASSOCIATED_CUES: list[tuple[str, str]] = [
    (r"workers|employees|labou?rers|trade unions?|unionists|union members|staff", "Labour Group ({c})"),
    (r"students|pupils|undergraduates", "Students ({c})"),
    (r"teachers|lecturers|educators", "Teachers ({c})"),
    (r"doctors|nurses|health workers|medical staff|midwives|paramedics", "Health Workers ({c})"),
    (r"journalists?|reporters?|media workers", "Journalists ({c})"),
    (r"lawyers?|advocates|attorneys|bar association", "Lawyers ({c})"),
    (r"farmers?|growers|peasants", "Farmers ({c})"),
    (r"women|mothers", "Women ({c})"),
    (r"prisoners|inmates", "Prisoners ({c})"),
]


@cache
def _associated_cues() -> list[tuple[re.Pattern, str]]:
    """The cue table, limited to templates the lexicon has seen as associated actors."""
    seen = {t["template"] for t in lexicon()["templates"] if t["associated"] >= 20}
    return [(re.compile(rf"\b(?:{p})\b", re.I), t) for p, t in _ASSOCIATED_CUES if t in seen]


def associated(sentence: str, country: str | None) -> str | None:
    """ACLED's associated actors for the people a sentence names ("teachers and nurses marched" ->
    "Teachers (Kenya); Health Workers (Kenya)"), or None."""
    found = sorted((m.start(), fill(t, country)) for p, t in _associated_cues() if (m := p.search(sentence)))
    return "; ".join(dict.fromkeys(name for _, name in found)) or None


_STATE_COUNTRY = re.compile(r"^(?:Police Forces|Military Forces|Government) of (?:the )?(.+?)"
                            r"(?: \(\d{4}-\d{0,4}\).*)?$")


def abroad(actor: Actor, country: str | None) -> Actor:
    """ACLED codes state forces active outside their own country as external forces (inter 8)."""
    m = _STATE_COUNTRY.match(actor.name)
    if actor.inter == Inter.STATE_FORCES and m and country and m.group(1) != country:
        return replace(actor, inter=Inter.EXTERNAL_OTHER)
    return actor
