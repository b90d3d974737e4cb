"""Actors in ACLED's naming with inter codes: "Police Forces of Kenya", "Protesters (Venezuela)", ...

Rules map a phrase to an ACLED actor template; `{c}` is filled with the event's country. Named groups
come first so "Al Shabaab fighters" is Al Shabaab, not an unidentified armed group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction import gazetteer
from schemas.acled import Inter, SubEventType

S = SubEventType


@dataclass(frozen=True)
class Actor:
    name: str
    inter: Inter


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    actor: Actor


# (pattern, template, inter). Order matters: named and specific before generic.
_RULES: list[tuple[str, str, Inter]] = [
    (r"al[- ]?shabaa?b", "Al Shabaab", Inter.REBEL_GROUP),
    (r"taliban", "Taliban", Inter.REBEL_GROUP),
    (r"islamic state|isis\b|isil\b|daesh", "Islamic State", Inter.REBEL_GROUP),
    (r"iswap|islamic state west africa", "Islamic State West Africa Province", Inter.REBEL_GROUP),
    (r"boko haram", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", Inter.REBEL_GROUP),
    (r"houthis?|ansar allah", "Military Forces of Yemen (2016-) Supreme Political Council", Inter.STATE_FORCES),
    (r"hamas", "Hamas Movement", Inter.REBEL_GROUP),
    (r"hezbollah", "Hezbollah", Inter.POLITICAL_MILITIA),
    (r"\beln\b|national liberation army", "ELN: National Liberation Army", Inter.REBEL_GROUP),
    (r"farc dissidents?|dissidents? of the farc|farc", "FARC Dissident Faction", Inter.REBEL_GROUP),
    (r"\bnpa\b|new people'?s army", "NPA: New People's Army", Inter.REBEL_GROUP),
    (r"\bm23\b", "M23: March 23 Movement", Inter.REBEL_GROUP),
    (r"\bpkk\b|kurdistan workers", "PKK: Kurdistan Workers Party", Inter.REBEL_GROUP),
    (r"\bttp\b|tehreek-e-taliban", "TTP: Tehreek-i-Taliban Pakistan", Inter.REBEL_GROUP),
    (r"jnim|jama'?at nusrat", "JNIM: Group for Support of Islam and Muslims", Inter.REBEL_GROUP),
    (r"wagner", "Wagner Group", Inter.EXTERNAL_OTHER),
    (r"(?:cartel|gang)s?\b(?! violence)", "Unidentified Gang ({c})", Inter.POLITICAL_MILITIA),
    (r"(?:unidentified|unknown|masked|suspected)? ?(?:gunm[ae]n|armed (?:men|assailants|group|individuals)|"
     r"assailants|attackers|bandits|militants|insurgents|rebels|jihadists|extremists|terrorists|fighters)",
     "Unidentified Armed Group ({c})", Inter.POLITICAL_MILITIA),
    (r"militia(?:men|s)?|vigilantes?|self-defen[cs]e group", "Unidentified Militia ({c})", Inter.IDENTITY_MILITIA),
    (r"polic(?:e|emen|ewoman|ewomen|e officers?)|officers|gendarmes?|gendarmerie|law enforcement|"
     r"riot police|constables?|cops?", "Police Forces of {c}", Inter.STATE_FORCES),
    (r"soldiers?|troops|army|military|armed forces|security forces|marines|navy|air force|national guard|"
     r"paramilitar(?:y|ies)|warplanes?|jets?|drones?", "Military Forces of {c}", Inter.STATE_FORCES),
    (r"(?:the )?(?:government|authorities|regime|state|prosecutors?|courts?|judge|president|ministry)",
     "Government of {c}", Inter.STATE_FORCES),
    (r"rioters|mobs?|angry (?:crowd|residents)", "Rioters ({c})", Inter.RIOTERS),
    (r"protesters|demonstrators|marchers|strikers|activists|rally-?goers", "Protesters ({c})", Inter.PROTESTERS),
    (r"civilians?|villagers?|residents?|m[ae]n\b|wom[ae]n\b|boys?|girls?|child(?:ren)?|famil(?:y|ies)|"
     r"farmers?|journalists?|reporters?|teachers?|students?|passengers?|travell?ers|traders?|worshippers|"
     r"people|persons?|individuals|detainees|prisoners|workers|lawyers?|doctors?|opposition (?:leaders?|"
     r"members?|supporters?)|politicians?|candidates?|migrants?|refugees?|pastors?|priests?|imams?|"
     r"bodies|body|driver|motorists?", "Civilians ({c})", Inter.CIVILIANS),
]
_COMPILED = [(re.compile(rf"\b(?:{p})\b", re.I), t, i) for p, t, i in _RULES]
_NAMED = {t for _, t, _ in _RULES if "{c}" not in t}

# Default actors when a sentence names none: what ACLED codes for each kind of event.
DEFAULTS: dict[SubEventType, tuple[str | None, str | None]] = {
    S.PEACEFUL_PROTEST: ("Protesters ({c})", None),
    S.PROTEST_WITH_INTERVENTION: ("Protesters ({c})", "Police Forces of {c}"),
    S.EXCESSIVE_FORCE: ("Police Forces of {c}", "Protesters ({c})"),
    S.VIOLENT_DEMONSTRATION: ("Rioters ({c})", None),
    S.MOB_VIOLENCE: ("Rioters ({c})", "Civilians ({c})"),
    S.ARRESTS: ("Police Forces of {c}", "Civilians ({c})"),
    S.AGREEMENT: ("Government of {c}", None),
    S.ATTACK: ("Unidentified Armed Group ({c})", "Civilians ({c})"),
    S.ABDUCTION: ("Unidentified Armed Group ({c})", "Civilians ({c})"),
    S.SEXUAL_VIOLENCE: ("Unidentified Armed Group ({c})", "Civilians ({c})"),
    S.ARMED_CLASH: ("Military Forces of {c}", "Unidentified Armed Group ({c})"),
    S.AIR_DRONE_STRIKE: ("Military Forces of {c}", None),
    S.SHELLING: ("Military Forces of {c}", None),
}
_PROTEST_SIDE = {S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION, S.VIOLENT_DEMONSTRATION}


_INTER_OF = {template: inter for _, template, inter in _RULES}


def inter_of(template: str) -> Inter:
    """The inter code of an actor template such as "Police Forces of {c}"."""
    return _INTER_OF.get(template, Inter.EXTERNAL_OTHER)


def find_actors(sentence: str, country: str | None) -> list[ActorMention]:
    """Actor mentions in a sentence, non-overlapping, first rule wins at each place."""
    out: list[ActorMention] = []
    for pattern, template, inter in _COMPILED:
        for m in pattern.finditer(sentence):
            if any(m.start() < a.end and a.start < m.end() for a in out):
                continue
            out.append(ActorMention(m.start(), m.end(), Actor(fill(template, _nationality(sentence, m.start())
                                                                        or country), inter)))
    # "Al Shabaab fighters": the generic noun after a named group is the same actor, not a second one.
    named_ends = [a.end for a in out if a.actor.name in _NAMED]
    out = [a for a in out if a.actor.name in _NAMED or not any(0 <= a.start - e <= 2 for e in named_ends)]
    return sorted(out, key=lambda a: a.start)


_ADJECTIVE_BEFORE = re.compile(r"\b([A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)(?:-(?:backed|led|aligned))?\s+(?:[a-z-]+\s+)?$")


def _nationality(sentence: str, start: int) -> str | None:
    """The country a demonym right before an actor names: "Russian drones", "Somali army troops"."""
    m = _ADJECTIVE_BEFORE.search(sentence[max(0, start - 40) : start])
    found = gazetteer.country(m.group(1)) if m else None
    return found.name if found else None


def fill(template: str, country: str | None) -> str:
    """Put the country into an actor template; without a country, drop the placeholder cleanly."""
    if country:
        return template.replace("{c}", country)
    return re.sub(r"\s*(?:of |\()\{c\}\)?", "", template).strip()


def assign(sub: SubEventType, sentence: str, trigger_start: int, mentions: list[ActorMention],
           country: str | None) -> tuple[Actor, Actor | None]:
    """actor1 (who acted) and actor2 (on whom): subjects before the trigger, objects after it, ACLED defaults
    for what the sentence leaves out; protests are always coded with the protesters as actor1."""
    default1, default2 = (fill(t, country) if t else None for t in DEFAULTS.get(sub, ("Unidentified Armed Group ({c})",
                                                                                     None)))
    before = [m.actor for m in mentions if m.start < trigger_start]
    after = [m.actor for m in mentions if m.start >= trigger_start]
    passive = re.search(r"\b(?:was|were|been|being|got)\s+(?:\w+\s+){0,2}$", sentence[:trigger_start], re.I)
    by_agent = re.search(r"\bby\b", sentence[trigger_start:], re.I)
    if passive:  # "two men were abducted by gunmen": the victim comes first
        agents = [m.actor for m in mentions if m.start > trigger_start] if by_agent else []
        victims = before
    else:
        agents, victims = before[-1:] + after, after
    if sub in _PROTEST_SIDE or sub is S.EXCESSIVE_FORCE:
        protest_actor = next((a for a in before + after if a.inter in (Inter.PROTESTERS, Inter.RIOTERS)), None)
        crowd = Actor(default1 if sub in _PROTEST_SIDE else fill("Protesters ({c})", country),
                      Inter.RIOTERS if sub is S.VIOLENT_DEMONSTRATION else Inter.PROTESTERS)
        crowd = protest_actor or crowd
        force = next((a for a in before + after if a.inter == Inter.STATE_FORCES), None)
        if sub is S.EXCESSIVE_FORCE:
            return force or Actor(default1, Inter.STATE_FORCES), crowd
        if sub is S.VIOLENT_DEMONSTRATION:
            crowd = Actor(crowd.name.replace("Protesters", "Rioters"), Inter.RIOTERS)
        return crowd, force if sub is not S.PEACEFUL_PROTEST else None
    actor1 = next((a for a in agents if a.inter != Inter.CIVILIANS), None)
    if actor1 is None:
        actor1 = Actor(default1, inter_of(DEFAULTS.get(sub, ("Unidentified Armed Group ({c})",))[0]))
    actor2 = next((a for a in victims + agents if a.name != actor1.name), None)
    if sub is S.AGREEMENT:
        actor2 = None
    elif actor2 is None and default2:
        actor2 = Actor(default2, inter_of(DEFAULTS[sub][1]))
    return actor1, actor2
