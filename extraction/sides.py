"""actor1 and actor2 of an event: who acted and on whom, from the actors a sentence names (`extraction.actors`).

Word order and a few phrase cues decide the sides (the subject before the trigger, the "by" agent of a passive,
the crowd of a demonstration); what the sentence leaves out comes from ACLED's usual coding of the sub-event
type. `extraction.roles` corrects the result from the parse where a sentence tells of a killing.
"""

from __future__ import annotations

import re

from extraction import gazetteer
from extraction.actors import (
    GOVERNMENT,
    MILITARY,
    NOT_NATIONAL,
    POLICE,
    RUBRIC,
    UAG,
    Actor,
    ActorMention,
    abroad,
    fill,
    inter_of,
    official,
)
from extraction.dates import SAYING
from schemas.acled import Inter, SubEventType

S = SubEventType

# Default actors when a sentence names none: what ACLED codes for each kind of event (training-file shares).
DEFAULTS: dict[SubEventType, tuple[str | None, str | None]] = {
    S.PEACEFUL_PROTEST: ("Protesters ({c})", None),
    S.PROTEST_WITH_INTERVENTION: ("Protesters ({c})", POLICE),
    S.EXCESSIVE_FORCE: ("Protesters ({c})", POLICE),
    S.VIOLENT_DEMONSTRATION: ("Rioters ({c})", None),
    S.MOB_VIOLENCE: ("Rioters ({c})", "Civilians ({c})"),
    S.ARRESTS: (POLICE, "Civilians ({c})"),
    S.AGREEMENT: (GOVERNMENT, None),
    S.CHANGE_TO_GROUP: (GOVERNMENT, None),
    S.OTHER: ("Civilians ({c})", None),
    S.ATTACK: (UAG, "Civilians ({c})"),
    S.ABDUCTION: (UAG, "Civilians ({c})"),
    S.SEXUAL_VIOLENCE: (UAG, "Civilians ({c})"),
    S.LOOTING: (UAG, "Civilians ({c})"),
    S.ARMED_CLASH: (MILITARY, UAG),
    S.GOV_REGAINS_TERRITORY: (MILITARY, UAG),
    S.NON_STATE_OVERTAKES_TERRITORY: (UAG, MILITARY),
    S.AIR_DRONE_STRIKE: (MILITARY, None),
    S.SHELLING: (MILITARY, None),
    S.REMOTE_EXPLOSIVE: (UAG, None),
    S.GRENADE: (UAG, None),
    S.SUICIDE_BOMB: (UAG, None),
}
_DEMONSTRATIONS = {S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION, S.EXCESSIVE_FORCE, S.VIOLENT_DEMONSTRATION,
                   S.MOB_VIOLENCE}
_ONE_SIDED = {S.ATTACK, S.ABDUCTION, S.SEXUAL_VIOLENCE, S.LOOTING, S.ARRESTS}  # actor2 is the victim side
_ARMED = (Inter.STATE_FORCES, Inter.REBEL_GROUP, Inter.POLITICAL_MILITIA, Inter.IDENTITY_MILITIA,
          Inter.EXTERNAL_OTHER)
_AGENTS = (*_ARMED, Inter.RIOTERS)  # a mob can be the perpetrator of an attack
_POLITICAL = {S.AGREEMENT, S.CHANGE_TO_GROUP, S.OTHER, S.ARRESTS, S.HQ_ESTABLISHED}  # governments act here
_TWO_SIDED = {S.ARMED_CLASH, S.GOV_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY, S.NON_VIOLENT_TERRITORY}
_BY = re.compile(r"\b(?:by|from)\s+(?:[\w'-]+\s+){0,3}$", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|got|is|are)\s+(?:\w+\s+){0,2}$", re.I)


# Who only tells of the event: the subject of a verb of saying ("police said", "a police spokesman told
# reporters", "the army's statement") or the object of "according to"; the pronoun after the verb takes the
# deed back ("police said they killed two"), as does a claim ("the group claimed to have killed two").
_SAYS = re.compile(r"(?:'s?)?\s*(?:(?:spokes\w+|sources?|officials?|officers?|chief|statement|report|"
                   r"investigation|authorities)\s+)?(?:(?:also|later|have|has|had|on \w+)\s+)?"
                   rf"{SAYING}\b", re.I)
_ACCORDING = re.compile(r"\b(?:according to|quoting|citing|cited by|quoted by)\s+(?:(?:the|a|an|local|"
                        r"district|provincial|state|senior)\s+)*$", re.I)
_OWN_DEED = re.compile(r"\s*,?\s*(?:(?:that\s+)?(?:they|it|he|she|we|its|their|our|his|her)|to|responsibility|"
                       r"credit)\b", re.I)


def sources(sentence: str, mentions: list[ActorMention]) -> list[ActorMention]:
    """The mentions that are only the source of the report, not a side of the event it tells."""
    out = []
    for m in mentions:
        says = _SAYS.match(sentence, m.end)
        if says and _OWN_DEED.match(sentence, says.end()):  # it tells of its own deed
            continue
        if says or _ACCORDING.search(sentence[max(0, m.start - 40) : m.start]):
            out.append(m)
    return out


# People a demonym can qualify as a crowd's nationality ("Venezuelan migrants", "Indian nationals").
_CROWD_PEOPLE = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[a-z-]+\s+){0,2}?(?:protesters|protestors|demonstrators|rioters|marchers|strikers|"
    r"activists|migrants|refugees|asylum seekers|citizens|nationals|workers|labou?rers|students|residents|traders|"
    r"merchants|farmers|teachers|people|women|settlers|villagers|supporters|youths?|employees|drivers|"
    r"returnees|expatriates|immigrants|community|diaspora)\b"
    r"|\b([A-Z][a-z]+(?:ns|is))\b")


def _crowd_country(sentence: str, trigger_start: int, anywhere: bool) -> str | None:
    """The country a crowd comes from when a demonym names it ("Venezuelan migrants protested in Bogota",
    "Palestinians demonstrated"): ACLED names a foreign crowd by its nationality, not the event's country. The
    crowd is before the trigger, or for a protest anywhere (a mob's victims often come after it)."""
    for m in _CROWD_PEOPLE.finditer(sentence):
        if m.start() >= trigger_start and not anywhere:
            break
        word = m.group(1) or m.group(2)
        if word.lower() in NOT_NATIONAL or not (found := gazetteer.country(word)):
            continue
        if m.group(2) and found.name.lower() == word.lower():  # "Philippines", "Maldives": a country, not people
            continue
        return found.name
    return None


def _default(template: str | None, country: str | None) -> Actor | None:
    return Actor(fill(template, country), inter_of(template)) if template else None


def assign(sub: SubEventType, sentence: str, trigger_start: int, mentions: list[ActorMention],
           country: str | None, year: int | None = None,
           context: list[ActorMention] | None = None) -> tuple[Actor, Actor | None]:
    """actor1 (who acted) and actor2 (on whom), in ACLED's full names for the event's year.

    Demonstrations: the crowd is always actor1 (Protesters, or Rioters for riots), the state force that
    intervened actor2. Violence: the agent is actor1 (subject before the trigger, or the "by" agent of a
    passive), the victim or the other armed side actor2; what the sentence leaves out comes from ACLED's usual
    coding of the sub-event type. `context` (actors of the paragraph's earlier sentences) supplies the agent a
    follow-up sentence leaves out ("JNIM attacked a VDP post. Two VDP were killed.")."""
    a1, a2 = _assign(sub, sentence, trigger_start, mentions, country, context or [])
    a1 = official(a1, year, sentence if sub is S.AIR_DRONE_STRIKE else _around(a1, mentions, sentence),
                  (sentence, _spans(a1, mentions)))
    a2 = official(a2, year, _around(a2, mentions, sentence), (sentence, _spans(a2, mentions))) if a2 else None
    return abroad(a1, country), abroad(a2, country) if a2 else None


def _spans(actor: Actor, mentions: list[ActorMention]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in mentions if m.actor == actor]


def _around(actor: Actor, mentions: list[ActorMention], sentence: str) -> str:
    """The words that can name an actor's sub-unit: its own mention and what follows it ("Russian forces
    carried out air strikes"), not the rest of the sentence ("... shot down a Russian jet")."""
    starts = sorted(m.start for m in mentions)
    return " ".join(sentence[m.start : min([m.end + 30, *(s for s in starts if s > m.start)])]
                    for m in mentions if m.actor == actor)


# The trigger's noun phrase when it names who struck ("attack drones", "fighter jets"): no verb, no comma.
_NOUN_RUN = re.compile(r"(?:[\w-]+ ){0,2}(?:drones?|warplanes?|jets?|forces|troops|units|militants)\b|", re.I)


_JOINED = re.compile(r"\s*(?:,|and|&|as well as)\s*(?:the\s+)?", re.I)


def _subjects(before: list[Actor], mentions: list[ActorMention], sentence: str) -> list[Actor]:
    """The actors before the trigger, nearest first, but sides joined as one subject in the order written
    ("the NPA and the military engaged in a firefight": the NPA first)."""
    spans = [m for m in mentions if m.actor in before]
    spans.sort(key=lambda m: m.start)
    groups: list[list[Actor]] = []
    for prev, m in zip([None, *spans], spans, strict=False):
        if prev is not None and _JOINED.fullmatch(sentence[prev.end : m.start]):
            groups[-1].append(m.actor)
        else:
            groups.append([m.actor])
    return list(dict.fromkeys([a for g in reversed(groups) for a in g] + before[::-1]))


def _assign(sub: SubEventType, sentence: str, trigger_start: int, mentions: list[ActorMention],
            country: str | None, context: list[ActorMention]) -> tuple[Actor, Actor | None]:
    template1, template2 = DEFAULTS.get(sub, (UAG, None))
    every = [m.actor for m in mentions]
    if sub in _DEMONSTRATIONS:
        crowd_inter = Inter.PROTESTERS if sub in (S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION,
                                                  S.EXCESSIVE_FORCE) else Inter.RIOTERS
        crowd = _default(template1, _crowd_country(sentence, trigger_start, sub is not S.MOB_VIOLENCE) or country)
        force = next((a for a in every if a.inter == Inter.STATE_FORCES and not a.name.startswith("Government")),
                     None)
        if sub is S.PEACEFUL_PROTEST:
            return crowd, None
        if sub is S.MOB_VIOLENCE:
            victim = next((a for a in every if a.inter in (Inter.CIVILIANS, Inter.STATE_FORCES)), None)
            return crowd, victim or _default(template2, country)
        assert crowd is not None and crowd.inter == crowd_inter
        return crowd, force or _default(template2, country)

    told = sources(sentence, mentions)  # a crowd's event keeps the force that told of it
    mentions = [m for m in mentions if m not in told]
    # A mention inside the trigger's own noun phrase is its subject: "Russian attack drones struck ...".
    # (Not after a verb: "militants attacked government forces" has the forces as the object.)
    verb = re.match(r"[A-Za-z]+(?:ed|ing)\b", sentence[trigger_start:])
    subject_end = trigger_start + (0 if verb else len(_NOUN_RUN.match(sentence, trigger_start)[0]))
    if (rubric := RUBRIC.match(sentence)) and trigger_start < rubric.end() and mentions:
        # The event word is the rubric's ("Movement of forces: ..."): the body's first actor is its subject.
        first = min(mentions, key=lambda m: m.start)
        trigger_start, subject_end = first.start, first.end
    before = [m.actor for m in mentions if m.start < trigger_start or m.start < subject_end]
    by = [m.actor for m in mentions if m.start >= subject_end and _BY.search(sentence[trigger_start : m.start])]
    after = [m.actor for m in mentions if m.start >= subject_end and m.actor not in by]
    passive = _PASSIVE.search(sentence[:trigger_start])
    if passive:  # "two men were abducted by gunmen": the victim comes first, the agent after "by"
        agents, victims = by, before + after
    elif sub in _TWO_SIDED:  # "clashes between the army and rebels": both sides may follow the trigger
        agents, victims = by + _subjects(before, mentions, sentence) + after, after + before
    else:  # "gunmen killed two farmers": the subject acts, what follows is hit
        agents, victims = by + _subjects(before, mentions, sentence), after + before
    # "Authorities arrested ...": ACLED names the police, not the government, as the force that acts.
    agents = [Actor(a.name.replace("Government of", "Police Forces of"), a.inter) if sub is S.ARRESTS else a
              for a in agents if sub in _POLITICAL or not a.name.startswith("Government")]
    armed_agents = [a for a in agents if a.inter in _AGENTS]
    earlier = [m.actor for m in context if m.actor.inter in _AGENTS and not m.actor.name.startswith(
        "Government") and m.actor not in victims]  # the first named, usually the subject of the story
    actor1 = (armed_agents or earlier or [_default(template1, country)])[0]
    if sub in _ONE_SIDED:
        victim = next((a for a in victims if a.inter == Inter.CIVILIANS), None)
        other = next((a for a in victims if a.name != actor1.name and a.inter in _ARMED), None)
        actor2 = victim or other or _default(template2, country)
    elif sub in (S.AGREEMENT, S.CHANGE_TO_GROUP, S.OTHER):
        actor2 = None
    else:  # clashes, strikes, shelling, explosions: the other armed side, else the civilians hit
        other = next((a for a in victims + agents if a.name != actor1.name and a.inter in _ARMED), None)
        civilians = next((a for a in victims if a.inter == Inter.CIVILIANS), None)
        actor2 = other or civilians or _default(template2, country)
    if actor2 is not None and actor2.name == actor1.name and sub is not S.ARMED_CLASH:
        actor2 = None
    return actor1, actor2
