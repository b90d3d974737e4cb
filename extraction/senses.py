"""Protest words that name no protest, read from spaCy's dependency parse of one sentence.

A word for a demonstration is not always a report of one. "The evidence demonstrates that he was the killer",
"as demonstrated by the trial" and "called on the rebels to demonstrate they can negotiate" use 'demonstrate' for
'show'; "the school called a protest meeting for Friday", "a decree prohibiting rallies", "they urged workers to
strike" name a protest that is called for, planned or banned, not one that took place. The lexicon cannot tell
these from "students demonstrated against the fees" or "the union held a rally"; the parse can:

- 'demonstrate' meaning 'show': the verb governs a clause ("demonstrates that ...", "demonstrate they can ..."),
  is passive ("was demonstrated", "as demonstrated by the trial"), or hangs from "as" without a subject of its own.
  "Youths demonstrated by blocking the road" (a subject, a 'by' with a gerund) is a protest.
- a protest called, planned, banned or appealed for: the protest word is the object (or the complement, through
  a preposition, a coordination or an infinitive) of a verb or noun of calling, planning, scheduling, banning,
  prohibiting, urging or appealing ("called a strike", "prohibiting meetings and demonstrations", "urged people
  to join the march", "a ban on rallies"), or it is set for a named day ("a strike for 3 November").
  The protest as a subject is not planned ("protesters called for his release").

Only dependency labels and lower-cased word forms are read (the pipeline runs without tagger or lemmatizer), so
upper-cased wire text is parsed lower-cased (`parse_text`). `unreal` returns the character spans of the protest
words that report no protest; the classifier drops triggers on them and does not count them as a crowd.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extraction.caseless import lowered, shouted

# Word forms that name a demonstration (or a crowd's demand) and are read here.
_PROTEST = re.compile(r"protest\w*|demonstrat\w+|rall(?:y|ies|ied|ying)|march(?:es|ed|ing|ers)?|strikes?|"
                      r"sit-?ins?|picket\w*|vigils?|boycott\w*|stoppages?|hartals?|bandhs?|shutdowns?|demand(?:s|ed|ing)?",
                      re.I)
# Those who protest are people, not a protest planned: "police summoned the protesters".
_PEOPLE = re.compile(r"(?:protest|demonstrat|march|strik|picket|boycott)(?:ers?|ors?)", re.I)
_DEMONSTRATE = {"demonstrate", "demonstrates", "demonstrated", "demonstrating"}
# Verbs and nouns whose object or complement is a protest not (yet) held.
_CALLING = re.compile(r"call(?:s|ed|ing)?|plan(?:s|ned|ning)?|schedul\w+|announc\w+|prohibit\w*|ban(?:s|ned|ning)?|"
                      r"forb(?:id|ids|ade|idden|idding)|outlaw\w*|urg(?:e|es|ed|ing)|appeal\w*|invit\w+|summon\w*|"
                      r"convok\w+|postpon\w+|cancel\w*|threat\w*|propos\w+|prepar\w+|decree\w*|exhort\w*|"
                      r"encourag\w+|incit\w+|want\w*|wish\w*|intend\w*|hop(?:e|es|ed|ing)|seek\w*|sought|aim\w*",
                      re.I)
# Verbs through which a protest passes to the word that calls for it: "urged them to join the march" (not "wanted
# to disperse the protest").
_HOLD = re.compile(r"join\w*|hold|holds|holding|held|stag(?:e|es|ed|ing)|organi[sz]\w+|attend\w*|engag\w+|"
                   r"participat\w+|launch\w*|start\w*|begin\w*|began|conduct\w*|mount\w*|observ\w+|go|goes|"
                   r"went|take|takes|taking|took|carry\w*|carri\w+|continu\w+|resum\w+|call\w*", re.I)
_MODALS = {"will", "would", "shall", "should", "can", "could", "may", "might", "must", "ll", "'ll", "wo", "ca"}
# Words of the prefilter: a sentence without any of them has nothing for `unreal` to find.
_CUE = re.compile(rf"\b(?:demonstrat(?:e|es|ed|ing)|{_CALLING.pattern}|will|would|shall|should|"
                  r"can|could|may|might|must|\w+'ll|won't|can't)\b", re.I)
# Labels through which a protest word passes its role on to the word it hangs from (noun-phrase internal,
# coordination, apposition) before its governor is found.
_WITHIN = {"compound", "amod", "conj", "appos", "nmod", "nn", "cc"}
# Labels that make the head word the protest's governor.
_GOVERNED = {"dobj", "oprd", "attr", "nsubjpass", "xcomp", "pobj"}
_MONTHS = re.compile(r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
                     r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow",
                     re.I)


def needs_parse(text: str) -> bool:
    """Could `unreal` find anything in this sentence (a protest word and a word of showing or calling)?"""
    return bool(_CUE.search(text)) and bool(_PROTEST.search(text))


def parse_text(text: str) -> str:
    """The text to parse: text in capitals lower-cased (one character for one, so offsets hold)."""
    return lowered(text) if shouted(text) else text


def _low(token) -> str:
    return token.text.lower()


def _shows(token) -> bool:
    """Is this 'demonstrate' the verb of showing ("demonstrates that", "as demonstrated by the trial"), not of
    protesting?"""
    deps = {c.dep_ for c in token.children}
    if "auxpass" in deps:  # "was demonstrated"
        return True
    if "ccomp" in deps or any(c.dep_ == "mark" and _low(c) == "that" for c in token.children):
        return True  # "demonstrates that ...", "demonstrate they can ..."
    if deps & {"nsubj", "nsubjpass", "csubj", "expl"}:
        return False
    # "as demonstrated by the trial": hung from 'as' ("activists demonstrated by the monument" has a subject)
    return any(c.dep_ in ("mark", "prep") and _low(c) == "as" for c in token.children) or (
        token.dep_ == "pobj" and _low(token.head) == "as")


def _dated(token) -> bool:
    """Is the protest (or the verb it is the object of) set 'for' a named day ("a strike for 3 November")?"""
    for c in token.children:
        if c.dep_ == "prep" and _low(c) == "for":
            if any(g.dep_ == "pobj" and _MONTHS.fullmatch(_low(g)) for g in c.children):
                return True
    return False


def _modal(token) -> bool:
    """Does a modal stand by this verb ("will strike", "can be deadly")?"""
    return any(c.dep_ == "aux" and _low(c) in _MODALS for c in token.children)


def _planned(token) -> bool:
    """Is this protest word the object or complement of a word of calling, planning, banning or appealing?"""
    t = token
    for _ in range(8):
        if t.dep_ in _WITHIN and t.head.i != t.i:
            t = t.head
            continue
        break
    if _dated(t) or _modal(t) or t.dep_ in ("nsubj", "nsubjpass") and _modal(t.head):
        return True  # "a strike for 3 November", "we will march", "a rally can be deadly"
    for _ in range(4):
        if t.dep_ not in _GOVERNED or t.head.i == t.i:
            return False
        head = t.head
        if t.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.i != head.i:
            head = head.head  # through the preposition: "a ban on rallies", "to engage in a strike"
        if _CALLING.fullmatch(_low(head)) and not (head.dep_ == "acl" and _low(head) == "called"):
            return True  # ("a protest called 'Justice March'" names it)
        if _dated(head) and t.dep_ in ("dobj", "oprd"):
            return True
        t = head
        # only an infinitive of holding goes on to its own governor ("urged them to join the march")
        if t.dep_ != "xcomp" or not _HOLD.fullmatch(_low(t)):
            return False
    return False


def _month(token) -> bool:
    """'March' the month ("15 March", "March 19")?"""
    doc = token.doc
    return _low(token) == "march" and any(0 <= j < len(doc) and doc[j].like_num for j in (token.i - 1, token.i + 1))


def unreal(doc) -> list[tuple[int, int]]:
    """Character spans (relative to the parsed text) of the protest words that report no protest."""
    words = [t for t in doc if _PROTEST.fullmatch(_low(t)) and not _PEOPLE.fullmatch(_low(t)) and not _month(t)]
    planned = {t.i for t in words if _planned(t)}
    # what a protest planned is for is planned too: "postponed their demonstration ... to register their protest"
    nouns = {i for i in planned if doc[i].dep_ in ("dobj", "pobj", "nsubjpass", "oprd", "attr")}
    planned |= {t.i for t in words if any(a.i in nouns for a in t.ancestors)}
    return [(t.idx, t.idx + len(t.text)) for t in words if t.i in planned or _low(t) in _DEMONSTRATE and _shows(t)]


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the spans blanked out (same length, so offsets hold)."""
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text
