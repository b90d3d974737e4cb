"""Who killed whom, read from spaCy's dependency parse of one sentence.

The phrase rules in `extraction.actors` find who a sentence names; word order alone cannot say who did what:
"police found the bodies of two men killed by the mob" names the police first, but the mob killed. This module
reads the parse around each death predicate (kill, shoot dead, die, perish, "left ... dead", deaths):

- the agent: the "by" phrase of a passive, the subject of an active verb (through "who" to its antecedent), the
  subject of the clause a participle hangs from ("police fired at the mob, killing one"), a cause phrase that
  names a force's firing ("killed in police firing", "died due to firing by the police"), or a clause of firing
  told beside the death ("... were killed when police opened fire");
- the victim: the passive subject, the object, the subject of "die", or the noun a participle qualifies.

Only the parse's shape is used (dependency labels and word forms, lower-cased), never capitals or tags, so it
copes with lower-cased and upper-cased wire text. `killings` returns character spans (pure, over a spaCy Doc or
Span); `assign_killing` names them as ACLED actors with `extraction.actors` and corrects actor1/actor2 of an
event; `named_dead` counts victims told one by one ("the mayor was shot dead") where the text gives no number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.actors import Actor, abroad, fill, find_actors, official
from schemas.acled import Inter, SubEventType

# Word forms (the pipeline runs without a lemmatizer or tagger).
_KILL = {"kill", "kills", "killed", "killing", "murder", "murders", "murdered", "murdering", "lynch", "lynched",
         "lynching", "massacre", "massacred", "massacring", "slaughtered", "slaughtering", "butchered", "slain",
         "slay", "slew", "gunned", "executed", "beheaded", "strangled", "assassinated"}
# Violent acts that are killings only with "dead", "to death" or "alive" ("shot dead", "burnt alive").
_KILL_IF_DEAD = {"shot", "shoot", "shoots", "shooting", "stabbed", "hacked", "beaten", "beat", "burnt", "burned",
                 "bludgeoned", "clubbed", "stoned", "mowed"}
_DIE = {"die", "died", "dies", "dying", "perished", "perish", "succumbed", "succumb", "fell"}
_DEATH_NOUNS = {"death", "deaths", "killing", "killings", "toll", "bodies", "body", "corpses", "murder", "murders",
                "assassination", "massacre", "lynching"}
# Manners of killing that name their own means: no clause of firing beside them is their cause ("two were
# stabbed to death and the police fired in the air").
_MANNER = {"stabbed", "hacked", "beaten", "beat", "burnt", "burned", "bludgeoned", "clubbed", "lynched", "stoned",
           "strangled", "beheaded", "butchered", "slaughtered", "lynching"}
_LEAVE = {"left", "leaving", "leave", "leaves"}
_DEAD = {"dead", "alive", "death"}
# Nouns and verbs of a force's use of arms: "police firing", "fire by the police", "police bullets".
_FIRE_NOUNS = {"firing", "firings", "fire", "bullet", "bullets", "shots", "shot", "gunfire", "shooting",
               "shootings", "encounter", "encounters", "action", "crossfire", "retaliation", "lathicharge",
               "lathi-charge", "rounds", "guns", "hands", "custody", "operation", "raid", "torture", "beating"}
_FIRE_VERBS = {"fire", "fired", "fires", "firing", "opened", "shot", "shoot", "shoots", "resorted", "attacked",
               "stormed", "raided", "charged", "lathicharged", "lathi-charged", "stabbed", "hacked", "ambushed",
               "struck", "bombed", "shelled", "torched", "hurled", "threw", "tortured", "beat", "assaulted",
               "thrashed"}
_CAUSE_PREPS = {"in", "by", "during", "from", "due", "to", "after", "following", "under", "at", "with", "as",
                "because", "owing"}
_NOT_SUBJECT = {"who", "which", "that", "whom"}
_AGENT_INTERS = (Inter.STATE_FORCES, Inter.REBEL_GROUP, Inter.POLITICAL_MILITIA, Inter.IDENTITY_MILITIA,
                 Inter.RIOTERS, Inter.EXTERNAL_OTHER)


@dataclass(frozen=True)
class Killing:
    """A death predicate in a sentence: character spans (relative to the parsed text) of the predicate, of the
    phrases that may name who killed, best first, each with how it was found ("by", "subject", "governor",
    "cause", "clause"), and of the victims' phrase (None: not said); a predicate under a negation, a modal or
    "to" is not a killing that happened and is left out."""

    start: int
    end: int
    agents: tuple[tuple[int, int, str], ...]
    victim: tuple[int, int] | None
    named_dead: int = 0  # victims told one by one with no number ("the mayor and his driver"): how many

    @property
    def agent(self) -> tuple[int, int] | None:
        return self.agents[0][:2] if self.agents else None

    @property
    def via(self) -> str:
        return self.agents[0][2] if self.agents else ""


def _span(tokens) -> tuple[int, int] | None:
    tokens = list(tokens)
    if not tokens:
        return None
    return tokens[0].idx, max(t.idx + len(t.text) for t in tokens)


def _phrase(token, cut: frozenset = frozenset({"relcl", "acl", "appos", "advcl", "punct", "cc", "conj"})):
    """The noun phrase a token heads, without its relative clauses and appositions (but with coordinated heads:
    "the police and the army")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" or child.dep_ == "cc":
            out.extend(_phrase(child))
        elif child.dep_ not in cut:
            out.extend(child.subtree)
    return sorted(out, key=lambda t: t.i)


def _children(token, *deps: str) -> list:
    return [c for c in token.children if c.dep_ in deps]


def _is_death(token) -> bool:
    word = token.lower_
    if word in _KILL:
        return True
    if word in _KILL_IF_DEAD:  # "shot dead", "stabbed to death", "burnt alive", "gunned down"
        near = {c.lower_ for c in token.subtree} | {c.lower_ for c in token.head.children if c.i > token.i}
        return bool(near & _DEAD)
    if word in _DIE:
        return word != "fell" or any(_is_cause(c) for c in _children(token, "prep"))
    if word == "dead":  # "two persons were dead in the explosion", "found dead", "feared dead"
        return token.dep_ in ("acomp", "oprd", "attr", "advcl", "xcomp") and token.head.lower_ not in (
            _KILL_IF_DEAD | _LEAVE | _KILL)
    if word in _LEAVE:  # "the firing left two dead", "left one dead and several injured"
        return any(t.lower_ == "dead" for c in _children(token, "dobj", "oprd", "acomp") for t in [c, *c.children])
    return _noun_death(token)


_NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "ROOT", "npadvmod", "dep"}


def _noun_death(token) -> bool:
    """"deaths", "the killing of two men" used as a noun (not "killing" as a participle)."""
    return token.lower_ in _DEATH_NOUNS and token.dep_ in _NOMINAL and not (
        token.lower_ == "killing" and _children(token, "dobj", "nsubj"))


_PARTICIPLE = ("ed", "en", "ain", "ot", "nt")


def _passive(token) -> bool:
    if _children(token, "nsubjpass", "auxpass", "agent"):
        return True
    # A headline's passive without its auxiliary: "one soldier killed and two wounded" (no object: the subject
    # was killed, it did not kill).
    if token.lower_.endswith(_PARTICIPLE) and _children(token, "nsubj") and not _children(token, "dobj", "ccomp") \
            and token.lower_ not in _DIE and not _children(token, "aux"):
        return True
    # "two persons killed in police firing": a participle qualifying its victim.
    return token.dep_ in ("acl", "relcl", "amod") and token.lower_.endswith(_PARTICIPLE) and \
        not _children(token, "dobj")


def _cause(prep) -> list | None:
    """A cause phrase: the words around a noun of a force's use of arms in "in police firing", "due to firing by
    the police", "to police bullets": the noun with what precedes it, its "by"/"of" phrase, and the noun it was
    (mis)attached to ("police" <- "firing")."""
    if prep.lower_ not in _CAUSE_PREPS:
        return None
    fire = next((t for t in prep.subtree if t.lower_ in _FIRE_NOUNS and t is not prep), None)
    if fire is None:
        return None
    tokens = [t for t in fire.subtree if t.i <= fire.i]
    for child in _children(fire, "prep"):
        if child.lower_ in ("by", "of", "from"):
            tokens.extend(child.subtree)
    if fire.dep_ in ("acl", "relcl", "appos", "compound", "amod") and fire.head.i > prep.i:
        tokens.extend(t for t in fire.head.subtree if t.i < fire.i and t not in tokens)
    return sorted(set(tokens), key=lambda t: t.i)


def _loose_cause(host):
    """A noun of firing the parser hung on the verb itself ("died in police FIRING" read as a gerund clause):
    it and the preposition phrase just before it are the cause."""
    for child in host.children:
        if child.lower_ in _FIRE_NOUNS and child.dep_ in ("advcl", "npadvmod", "xcomp", "dep", "pcomp") and \
                not _children(child, "nsubj"):
            before = [c for c in host.children if c.dep_ == "prep" and c.i < child.i and c.lower_ in _CAUSE_PREPS]
            first = before[-1].i if before else child.i
            yield [t for t in host.doc[first : child.i + 1]] + [t for t in child.subtree if t.i > child.i], "cause"


def _is_cause(prep) -> bool:
    return _cause(prep) is not None


def _clause_subject(verb):
    """The subject of a clause of firing ("when police opened fire", "after the mob attacked"), or None."""
    if verb.lower_ not in _FIRE_VERBS and not any(c.lower_ in _FIRE_NOUNS for c in _children(verb, "dobj", "prep")):
        return None
    subjects = _children(verb, "nsubj")
    return subjects[0] if subjects and subjects[0].lower_ not in _NOT_SUBJECT else None


def _governor_subject(token):
    """"police fired at the mob, killing one": climb from a participle or coordinated verb with no subject of its
    own to the clause that has one (never through a reported-speech or complement clause)."""
    t = token
    for _ in range(6):
        if t.dep_ not in ("advcl", "xcomp", "acl", "conj", "pcomp", "dobj", "pobj", "prep") or t.head is t:
            return None
        t = t.head
        subjects = _children(t, "nsubj")
        if subjects:
            s = subjects[0]
            if s.lower_ in _NOT_SUBJECT and t.dep_ == "relcl":
                return t.head
            return s if s.lower_ not in _NOT_SUBJECT else None
        if _children(t, "nsubjpass"):
            return None
    return None


def _victim(token):
    if token.lower_ == "dead":
        found = _children(token.head, "nsubj", "nsubjpass")
    elif _noun_death(token):
        found = [o for p in _children(token, "prep") if p.lower_ == "of" for o in _children(p, "pobj")]
    elif token.lower_ in _DIE:
        found = _children(token, "nsubj")
    elif _passive(token):
        found = _children(token, "nsubjpass", "nsubj") or ([token.head] if token.dep_ in ("acl", "amod") else [])
    else:
        found = _children(token, "dobj")
    if not found and token.dep_ == "conj":  # "were killed and five injured"
        return _victim(token.head) if _is_death(token.head) else None
    return found[0] if found else None


def _agents(token):
    """The phrases that may name who did the killing, best first, each with how it was found."""
    for agent in _children(token, "agent"):
        yield _phrase_under(agent), "by"
    if _noun_death(token):  # "the killing of two men by the army", "the army's killing of ..."
        for prep in _children(token, "prep"):
            if prep.lower_ == "by":
                yield _phrase_under(prep), "by"
        for owner in _children(token, "poss", "compound"):
            if owner.lower_ not in _DEATH_NOUNS:  # "the death toll" names no killer
                yield _phrase(owner), "subject"
    if token.lower_ not in _DIE and token.lower_ != "dead" and not _passive(token) and not _noun_death(token):
        subjects = _children(token, "nsubj")
        if subjects and subjects[0].lower_ in _NOT_SUBJECT:  # "the gunmen who shot dead five policemen"
            if token.dep_ == "relcl":
                yield _phrase(token.head), "subject"
        elif subjects:
            yield _phrase(subjects[0]), "subject"
        elif token.lower_ not in _LEAVE and (s := _governor_subject(token)) is not None:
            yield _phrase(s), "governor"
    # Cause phrases on the predicate, on the clause a death noun is the subject of, or on the coordinated verb.
    hosts = [token] + ([_clause_of(token)] if _noun_death(token) else [token.head]
                       if token.dep_ == "conj" or token.lower_ == "dead" else [])
    for host in hosts:
        for prep in _children(host, "prep", "agent"):
            if (tokens := _cause(prep)) is not None:
                yield tokens, "cause"
        yield from _loose_cause(host)
    if token.lower_ in _LEAVE:  # "police firing that left one dead": the subject is the cause
        subjects = _children(token, "nsubj")
        s = token.head if subjects and subjects[0].lower_ in _NOT_SUBJECT else (subjects[0] if subjects else None)
        if s is not None:
            yield _phrase(s), "cause"
    # A clause of firing beside the death: "four were killed when police opened fire".
    if token.lower_ in _MANNER:
        return
    neighbours = [token, *(_children(token, "conj")),
                  *([token.head] if token.dep_ == "conj" or token.lower_ == "dead" else [])]
    clauses = [c for host in neighbours for c in _children(host, "advcl", "conj")]
    if token.dep_ in ("conj", "advcl"):  # "police opened fire on the mob and two people died"
        clauses.append(token.head)
    for clause in clauses:
        if clause is not token and (s := _clause_subject(clause)) is not None:
            yield _phrase(s), "clause"


def _clause_of(token):
    """The verb of the clause a noun belongs to ("40 of these deaths have taken place due to ...": taken)."""
    t = token
    for _ in range(5):
        if t.dep_ not in ("pobj", "prep", "nsubj", "nsubjpass", "dobj", "conj", "compound", "appos") or t.head is t:
            break
        t = t.head
    return t


def _phrase_under(prep):
    objects = _children(prep, "pobj")
    return _phrase(objects[0]) if objects else list(prep.subtree)[1:]


def killings(doc) -> list[Killing]:
    """Every death predicate of a parsed sentence (a spaCy Doc or Span) with its agent and victim spans."""
    out = []
    for token in doc:
        if not _is_death(token) or _unreal(token):
            continue
        agents = tuple((*span, via) for tokens, via in _agents(token) if (span := _span(tokens)) is not None)
        victim = _victim(token)
        if victim is not None and (victim.lower_ in _NOBODY or any(c.lower_ == "no" for c in victim.children)):
            continue  # "nobody was killed", "no one died", "no civilians were killed"
        out.append(Killing(token.idx, token.idx + len(token.text), agents,
                           _span(_phrase(victim)) if victim is not None else None,
                           _one_by_one(victim) if victim is not None else 0))
    return out


_NOBODY = {"nobody", "none", "noone", "neither"}
_MODALS = {"to", "will", "would", "could", "can", "may", "might", "should", "must", "shall", "wo", "ca"}
_SPEECH_NOUNS = {"penalty", "squad", "squads", "threat", "threats", "sentence", "anniversary", "case", "row"}


def _unreal(token) -> bool:
    """A death that did not happen: negated ("was not killed"), modal or infinitive ("threatened to kill",
    "could die"), or a noun in a compound ("the death penalty", "death squads")."""
    if _children(token, "neg") or any(c.lower_ in _MODALS for c in _children(token, "aux")):
        return True
    return token.dep_ == "compound" or (_noun_death(token) and token.head.lower_ in _SPEECH_NOUNS)


_PERSON_WORDS = {"he", "she", "him", "her"}


def _one_by_one(victim) -> int:
    """How many victims a phrase names one at a time ("the mayor", "Hector Oqueli and Gilda Flores": 1, 2), or
    0 when it counts them ("three men") or names a group ("the Jesuits", "villagers", "they")."""
    heads = [victim, *(c for c in victim.subtree if c.dep_ == "conj" and c.head.i in {victim.i} | {
        t.i for t in victim.subtree if t.dep_ == "conj"})]
    for head in heads:
        word = head.lower_
        if _children(head, "nummod") or (word.endswith("s") and word not in _PERSON_WORDS) or \
                word in _NOT_SUBJECT or word in {"they", "them", "people", "one", "others", "all", "some"} or \
                any(c.lower_ in ("several", "many", "some", "few", "dozens", "hundreds", "scores", "two", "three",
                                 "four", "five", "six", "seven", "eight", "nine", "ten")
                    for c in head.children) or not word.isalpha():
            return 0
    return len(heads)


# --- naming ----------------------------------------------------------------------------------------------

# The cheap test of which candidate sentences to parse: a word of killing or death.
_DEATH_CUE = re.compile(r"\b(?:kill(?:s|ed|ing|ings)?|murder(?:s|ed)?|lynch(?:ed|ing)?|massacr(?:e|ed|es)|"
                        r"slaughter(?:ed)?|butchered|slain|slew|gunned down|executed|beheaded|strangled|"
                        r"assassinated|dead|deaths?|died|dies|dying|perished|succumbed|fell to|burnt alive|"
                        r"burned alive|to death|fatalities|casualties)\b", re.I)


def tells_death(text: str) -> bool:
    """Does a sentence tell of a killing or a death (worth parsing to read who killed whom)?"""
    return bool(_DEATH_CUE.search(text))


def _actor_in(text: str, country: str | None, agents: bool) -> Actor | None:
    """The first actor a phrase names: for an agent an armed side or a crowd (never "the government"); for a
    victim anyone."""
    for mention in find_actors(text, country):
        actor = mention.actor
        if not agents:
            return actor
        if actor.inter in _AGENT_INTERS and not actor.name.startswith("Government"):
            return actor
    return None


@dataclass(frozen=True)
class Roles:
    """The parse's reading of a sentence's killings in ACLED actors: the killer (None: not named as an actor),
    the victims (None: not named as an actor), and whether the sentence leaves the killer unsaid (no subject
    or "by" phrase at all: "two men were found dead"; "they killed two" says who, if not by name)."""

    killer: Actor | None
    victim: Actor | None
    unsaid: bool = False


def named_dead(found: list[Killing], sentence: str) -> int:
    """Victims a sentence tells dead one by one without a number ("the mayor was shot dead", "Oqueli and Flores
    were found dead"): the most any one of its killings names (the same dead are often told twice)."""
    return max((k.named_dead for k in found if k.end <= len(sentence)), default=0)


def name_roles(found: list[Killing], text: str, country: str | None) -> Roles:
    """The first killing in `text` whose agent names an armed side or a crowd, with its victims; else the
    victims of the first killing that names them."""
    found = [k for k in found if k.end <= len(text)]
    for k in found:
        killer = next((a for start, end, _ in k.agents if (a := _actor_in(text[start:end], country, agents=True))),
                      None)
        if killer is not None:
            victim = _actor_in(text[k.victim[0] : k.victim[1]], country, agents=False) if k.victim else None
            return Roles(killer, victim if victim != killer else None)
    victims = [_actor_in(text[k.victim[0] : k.victim[1]], country, agents=False) for k in found if k.victim]
    unsaid = not any(via in ("by", "subject", "governor") for k in found for _, _, via in k.agents)
    return Roles(None, next((v for v in victims if v is not None), None), unsaid)


_UAG = "Unidentified Armed Group ({c})"
_TWO_SIDED = {SubEventType.ARMED_CLASH, SubEventType.GOV_REGAINS_TERRITORY, SubEventType.NON_STATE_OVERTAKES_TERRITORY,
              SubEventType.NON_VIOLENT_TERRITORY}
_UNATTRIBUTED = {SubEventType.ATTACK, SubEventType.REMOTE_EXPLOSIVE, SubEventType.GRENADE, SubEventType.SUICIDE_BOMB}


def assign_killing(sub: SubEventType, actor1: Actor, actor2: Actor | None, found: list[Killing], sentence: str,
                   country: str | None, year: int | None) -> tuple[Actor, Actor | None, bool]:
    """actor1/actor2 of a violent event (from word order, `sides.assign`) corrected by the parse.

    The killer the parse names is actor1 and its victims actor2 (else the crowd or civilians word order had
    made actor1, when the killer was the police firing on them; else civilians): "a man was shot dead by
    police" has the police act even though the man comes first. With a death read but no killer in the
    parse, a state force is not kept as actor1 (police who "found the bodies", "said" or "suspect" did not
    kill) in a one-sided attack or explosion: unidentified armed men acted, as ACLED codes an unattributed
    killing. (A clash, a strike or shelling keeps its sides: the force is one of them.) The flag says whether
    the parse named the killer."""
    found = [k for k in found if k.end <= len(sentence)]
    if not found:
        return actor1, actor2, False
    roles = name_roles(found, sentence, country)
    if roles.killer is not None:
        killer = abroad(official(roles.killer, year, sentence), country)
        if killer.name == actor1.name:
            return actor1, actor2, True
        if sub in _TWO_SIDED and actor2 is not None and killer.name == actor2.name:
            return actor1, actor2, False  # a clash has both sides already, whichever killed
        victim = roles.victim
        if victim is None or victim.name == killer.name:  # the side word order made actor1 was the one hit
            victim = actor1 if not actor1.name.startswith("Government") else actor2
        if victim is None or victim.name == killer.name:
            victim = Actor(fill("Civilians ({c})", country), Inter.CIVILIANS)
        return killer, abroad(official(victim, year, sentence), country), True
    if roles.unsaid and sub in _UNATTRIBUTED and actor1.inter == Inter.STATE_FORCES and \
            not actor1.name.startswith("Government"):
        victim = actor2 or roles.victim or actor1  # the force stays in the event, as the side hit or present
        return Actor(fill(_UAG, country), Inter.POLITICAL_MILITIA), victim, False
    return actor1, actor2, False
