"""Which event a date in a sentence dates, read from spaCy's dependency parse.

A sentence often names more than one day: the day it was told ("police reported today that gunmen kidnapped
three men last night"), the day of something else ("the process begun on 14 January 1986"), and the event's
own day. Word order cannot tell them apart; the parse can. A date belongs to the event word it modifies: the
date's chain of heads and the event word's meet in one clause (the same clause, or the event word's clause
hangs off the date, "since 1 August, when X was murdered", or the date's clause hangs off the event word, "the
murder, carried out this morning"). A date in a clause above the one that tells the event, through a clause of
saying or thinking ("reported today that ..."), dates that other clause; so does a date in a clause of its own
beside the event's.

Only the parse's shape is used (dependency labels), never tags. Capitals wreck the small model's parse, so an
all-capitals sentence is parsed lower-cased (`parse_text`, which keeps every character offset).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.caseless import lowered, shouted

# Attachment classes, best first.
OWN, NEUTRAL, TOLD, OTHER = 0, 1, 2, 3
# Dependency labels of a token that heads a clause of its own.
_CLAUSES = {"ccomp", "advcl", "relcl", "acl", "xcomp", "csubj", "csubjpass", "parataxis", "pcomp"}
# A clause that tells what someone said, thought or found: a date above it dates the telling.
_CONTENT = {"ccomp", "parataxis", "csubj", "csubjpass"}
# A clause that tells the same happening as the one above it ("attacked the town, killing five", "tried to kidnap").
_SAME_EVENT = {"advcl", "xcomp", "pcomp"}
_OBJECTS = {"dobj", "pobj"}
# Labels of a noun (an event word that is no verb: "the massacre", "the murder of the judge").
_NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "dep", "npadvmod", "oprd", "conj"}


@dataclass(frozen=True)
class Parse:
    """A parsed sentence reduced to what attachment needs: each token's character span, head and label."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    heads: tuple[int, ...]
    deps: tuple[str, ...]
    words: tuple[str, ...]

    @classmethod
    def of(cls, doc) -> Parse:
        """From a spaCy Doc (offsets relative to the parsed text)."""
        return cls(tuple(t.idx for t in doc), tuple(t.idx + len(t.text) for t in doc),
                   tuple(t.head.i for t in doc), tuple(t.dep_ for t in doc), tuple(t.lower_ for t in doc))

    def token_at(self, offset: int) -> int | None:
        """The token that holds character `offset`, else the first that starts after it."""
        for i, end in enumerate(self.ends):
            if offset < end:
                return i
        return None

    def span_head(self, start: int, end: int) -> int | None:
        """The token of a character span whose head lies outside it (the span's root)."""
        inside = [i for i, (s, e) in enumerate(zip(self.starts, self.ends, strict=True)) if s < end and e > start]
        for i in inside:
            if self.heads[i] not in inside or self.heads[i] == i:
                return i
        return inside[0] if inside else None

    def chain(self, i: int) -> list[int]:
        """Token i and its heads up to the root."""
        out = [i]
        while self.heads[out[-1]] != out[-1] and len(out) < 100:
            out.append(self.heads[out[-1]])
        return out


# What is no part of the sentence's grammar: a wire's dateline ("SAN SALVADOR, 13 NOV 89 (ACAN-EFE) -- [TEXT]")
# and bracketed insertions ("[PERU]", "[FARABUNDO MARTI NATIONAL LIBERATION FRONT]").
_NOT_GRAMMAR = re.compile(r"^[^\n]{0,120}?\s(?:--|—)\s(?:\s*\[[^\]\n]{0,40}\])*|\[[^\]\n]{0,80}\]")


def parse_text(text: str) -> str:
    """The text the parser reads: datelines and bracketed insertions blanked, lower-cased when it is in
    capitals (offsets kept: one character for one)."""
    text = _NOT_GRAMMAR.sub(lambda m: " " * len(m.group(0)), text)
    return lowered(text) if shouted(text) else text


def _in_clause(parse: Parse, path: list[int]) -> int:
    """A date and an event word in one clause, `path` the event word's way up to where they meet: the date is
    the event's unless the event word is a noun that the clause's verb acts on ("claimed the attack today",
    "condemned the murder": NEUTRAL, as often "carried out an attack on Monday")."""
    if any(parse.deps[i] in _OBJECTS for i in path):
        return NEUTRAL
    return OWN


def attachment(parse: Parse, start: int, end: int, at: int) -> int:
    """How the date at characters start:end relates to the event word starting at `at`: OWN (it dates that
    word's clause), TOLD (it dates a clause of telling above the event's), OTHER (it dates a clause beside the
    event's or a relative clause of its own) or NEUTRAL (the parse does not say: a date on a main clause whose
    relative clause tells the event)."""
    d, t = parse.span_head(start, end), parse.token_at(at)
    if d is None or t is None:
        return NEUTRAL
    while parse.deps[t] == "compound" and parse.heads[t] != t:  # "bomb attack": the attack
        t = parse.heads[t]
    return _attach(parse, d, t)


def hangs_off(parse: Parse, start: int, end: int, at: int) -> bool:
    """Does the clause of the event word at `at` hang off the date at start:end ("since 1 August, when X was
    murdered", "after 4 May, when police fired")? Then the date is the event's, whatever preposition leads it."""
    d, t = parse.span_head(start, end), parse.token_at(at)
    if d is None or t is None:
        return False
    up_t = parse.chain(t)
    if d not in up_t:
        return False
    below = [i for i in up_t[: up_t.index(d)] if parse.deps[i] in _CLAUSES]
    return bool(below) and parse.heads[below[-1]] == d


def _attach(parse: Parse, d: int, t: int) -> int:
    """`attachment` of the date token d to the event token t."""
    up_d, up_t = parse.chain(d), parse.chain(t)
    meet = next((i for i in up_d if i in up_t), None)
    if meet is None:
        return NEUTRAL  # the parser cut the sentence in two
    below_d = [i for i in up_d[: up_d.index(meet)] if parse.deps[i] in _CLAUSES]
    below_t = [i for i in up_t[: up_t.index(meet)] if parse.deps[i] in _CLAUSES]
    if not below_d and not below_t:  # one clause
        return _in_clause(parse, up_t[: up_t.index(meet)])
    if below_d and not below_t:  # the date in a clause under the event's: on the event word's phrase, or elsewhere
        on_phrase = meet == t and parse.deps[t] in _NOMINAL  # "the massacre of six priests carried out on 16 May"
        if parse.heads[below_d[-1]] == t or on_phrase:
            return OWN
        # a participle's phrase ("men dressed as soldiers on 28 April") is as often the parser's misreading of
        # where the date hangs; a clause with a verb of its own ("who took office on Friday") is not
        return NEUTRAL if all(parse.deps[i] == "acl" for i in below_d) else OTHER
    if below_t and not below_d:  # the event in a clause under the date's
        top = below_t[-1]
        if meet == d or parse.heads[top] == d:
            return OWN  # "since 1 August, when X was murdered"
        if parse.deps[top] in _CONTENT:
            return TOLD  # "reported today that men kidnapped ...": the telling's day, no later than the event's
        return OWN if parse.deps[top] in _SAME_EVENT else NEUTRAL
    if parse.deps[below_d[-1]] == parse.deps[below_t[-1]] in _CONTENT:
        # two complements of one verb ("announced that men on 28 April kidnapped X, killed Y"): a coordination
        # the parser split; the date goes with the event as it goes with its own complement
        return _attach(parse, d, below_d[-1])
    return OTHER  # two clauses side by side
