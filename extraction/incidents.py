"""One incident told in several sentences is one event: a document's event rows linked before they merge.

News tells an incident over several sentences ("A bomb exploded outside the mayor's office on Monday. The blast
destroyed two cars. Three passers-by were wounded."): each holds an event word, but ACLED codes one event, with
the type the whole account gives it and the counts gathered from all its sentences. The coder's rows (dicts with
its helper columns) pass through these steps in document order:

- counts of the non-event sentences after an event sentence are added to it (`with_follow_counts`);
- a casualty sentence right after an event folds into it (`fold_consequences`);
- a sentence that names no other date, place or incident than the event told before it continues that event
  (`link_incidents`): it takes the event's date and place, so the merge in `merge.merge_in_document` makes
  one event of them;
- an undated sentence takes the date of a compatible event the document dated elsewhere (`adopt_main_event`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from extraction.counts import CountMention, find_counts
from extraction.dates import find_dates
from extraction.segment import Sentence
from schemas.acled import CountKind, EventType, Qualifier
from schemas.models import OWN_TEXT, Count

VIOLENT = {EventType.BATTLES, EventType.EXPLOSIONS, EventType.VIOLENCE_AGAINST_CIVILIANS, EventType.RIOTS,
           EventType.PROTESTS}
PLACE_FIELDS = ("iso", "region", "country", "admin1", "admin2", "location", "latitude", "longitude",
                "geo_precision", "place_from")
_DATE_FIELDS = ("event_date", "year", "time_precision", "date_from")
# ACLED codes no fatalities for these: a death told with them is their cause or background ("days after a
# colleague was shot dead"); deaths at a protest make it excessive force or a violent demonstration instead.
NO_DEATHS = {"Peaceful protest", "Protest with intervention", "Arrests", "Agreement", "Change to group/activity",
             "Headquarters or base established", "Non-violent transfer of territory"}


def fatalities(counts: Iterable[CountMention]) -> int | None:
    killed = [c.value for c in counts if c.kind is CountKind.KILLED]
    return sum(killed) if killed else None


def compatible(anchor: dict, row: dict) -> bool:
    """Can the two rows be one event: the same sub-event type, both violent or demonstrations, or arrests at a
    protest."""
    if anchor["sub_event_type"] == row["sub_event_type"]:
        return True
    kinds = {anchor["event_type"], row["event_type"]}
    if kinds <= VIOLENT:
        return True
    return "Arrests" in (anchor["sub_event_type"], row["sub_event_type"]) and EventType.PROTESTS in kinds


def follow_counts(sentences: list[Sentence], coded: dict[int, dict], i: int) -> list[CountMention]:
    """Counts in the sentences after sentence i, in its paragraph, up to the next one that is an event."""
    out: list[CountMention] = []
    for j in range(i + 1, len(sentences)):
        if j in coded or sentences[j].paragraph != sentences[i].paragraph:
            break
        out.extend(find_counts(sentences[j].text))
    return out


def with_follow_counts(row: dict, follow: list[CountMention]) -> dict:
    """A row with the counts of its follow-up sentences ("Residents counted 9 dead."): counts added, and the
    fatalities the larger of the event sentence's and the follow-ups' (the same deaths are often retold)."""
    if row["sub_event_type"] in NO_DEATHS:
        follow = [c for c in follow if c.kind is not CountKind.KILLED]
    if not follow:
        return row
    fatal = max((f for f in (row["_fatal"], fatalities(follow)) if f is not None), default=None)
    counts = row["counts"] + [Count(kind=c.kind, value=c.value, qualifier=c.qualifier).model_dump() for c in follow]
    return {**row, "counts": counts, "_fatal": fatal, "fatalities": fatal or 0}


# "3 persons were killed.", "As a result, a soldier died.": the toll of the event told just before.
_CONSEQUENCE = re.compile(
    r"^\W*(?:(?:as a result|in the (?:incident|clash|attack|violence|firing)|during the \w+)\W+)?"
    r"(?:[\w'(),-]+\s+){1,12}?(?:(?:was|were|have been|has been|had been|got)\s+(?:\w+\s+){0,2}?"
    r"(?:killed|injured|wounded|hurt|shot dead|shot|hospitali[sz]ed)|(?:later\s+)?(?:died|succumbed))\b"
    r"(?![^.]*\b(?:by|when|after)\b)", re.I)


def fold_consequences(rows: list[dict]) -> list[dict]:
    """A casualty sentence right after an event in the same paragraph adds its counts to that event
    (ACLED codes the deaths of a clash with the clash) instead of standing as an attack of its own; not when the
    parse named another killer (`_killer`: "... Two were killed in police firing." after a mob's arson)."""
    out: list[dict] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is not None and row["_para"] == prev["_para"] and prev["sub_event_type"] not in NO_DEATHS \
                and _CONSEQUENCE.match(row["evidence"]) and not (row.get("_killer")
                                                                   and row["actor1"] != prev["actor1"]):
            fatal = max((f for f in (prev["_fatal"], row["_fatal"]) if f is not None), default=None)
            prev.update(_fatal=fatal, fatalities=fatal or 0, counts=prev["counts"] + row["counts"])
            continue
        out.append(row)
    for row in out:
        row.pop("_para")
    return out


# A sentence that announces another incident ("Meanwhile, ...", "In a separate attack, ...", "Another bomb ...").
_NEW_INCIDENT = re.compile(
    r"^\W*(?:meanwhile|separately|elsewhere|similarly|likewise|in (?:a )?(?:separate|similar|another|other|"
    r"an(?:other)? unrelated)\b)"
    r"|\b(?:another|other|separate|second|third|similar|earlier|previous|last|new)\s+(?:\w+\s+)?(?:incidents?|"
    r"attacks?|bombings?|explosions?|blasts?|bombs?|charges?|devices?|clash(?:es)?|ambush(?:es)?|raids?|killings?|murders?|"
    r"kidnappings?|abductions?|cases?|actions?|events?|operations?|protests?|demonstrations?|arrests?)\b", re.I)


# "The blast", "the attack", "this murder": a definite mention of an incident refers back to the one just told.
_INCIDENT_NOUNS = (r"incidents?|attacks?|bombings?|explosions?|blasts?|bomb|clash(?:es)?|ambush|raid|killings?|"
                   r"murders?|assassinations?|massacre|kidnappings?|abductions?|shootings?|fighting|violence|crime|action|"
                   r"operation|fire|riots?|protests?|demonstrations?|march|arrests?")
_BACK_REFERENCE = re.compile(  # "the blast", "this murder", "the judge's murder"
    rf"\b(?:the|this|that|these|those|its|their|\w+['’]s)\s+(?:\w+\s+)?(?:{_INCIDENT_NOUNS})\b", re.I)
# How far apart two tellings of one incident may date it (a report dated by its dateline, the event days before).
RETELL_DAYS = 31
# How long before the day a lead was told a sentence may date its incident (a report tells of the days before).
DATED_LATER_DAYS = 7


def _same_place(anchor: dict, row: dict) -> bool:
    """Does the row's own place agree with the anchor's: the same place, or one a region the other lies in."""
    if not row["_own_place"] or row["location"] == anchor["location"]:
        return True
    coarse = max(row["geo_precision"] or 3, anchor["geo_precision"] or 3) >= 2
    return bool(anchor["admin1"]) and anchor["admin1"] == row["admin1"] and coarse


_QUALIFIER = re.compile(r"\s*\([^()]*\)$")  # "Unidentified Armed Group (Spain)": the country a guess may change


def _refers_back(anchor: dict, row: dict) -> bool:
    """Does the row name the anchor's incident with a definite noun phrase ("the blast", "the judge's murder")?
    Not when it counts more dead than the anchor: "the massacre of 43 villagers" is another incident."""
    return bool(_BACK_REFERENCE.search(row["evidence"])) and (row["_fatal"] or 0) <= (anchor["_fatal"] or 0)


def _same_actor(anchor: dict, row: dict) -> bool:
    """ACLED's event is one per actor pair: police firing on a mob is not the mob's attack. The country in a
    generic actor's name does not tell actors apart (the row's country may be a guess from a name it mentions);
    a row that refers back to the incident ("the assassination of the priests") is of its actor unless the parse
    named another killer in it or it counts other dead."""
    if not (anchor["actor1"] and row["actor1"]) or (
            _QUALIFIER.sub("", anchor["actor1"]) == _QUALIFIER.sub("", row["actor1"])):
        return True
    return _refers_back(anchor, row) and not row.get("_killer") and row["_fatal"] in (None, 0, anchor["_fatal"])


def _retold(anchor: dict, row: dict, report: dt.date | None, incident: Iterable[dict] = ()) -> bool:
    """Does the row tell again the incident of the anchor (told in the rows `incident`), even under another date:
    it refers back to an incident with a definite noun phrase ("the murder of the judge", "the judge's murder") or
    counts the same dead (more than one: single killings are many), in the same place, within `RETELL_DAYS` of
    it; or it refers back to the incident under the report's day only ("investigating the massacre of the
    priests", said today)."""
    if row.get("_named_date") and any(m.get("_named_date") for m in (anchor, *incident)):
        return False  # two days named outright are two incidents ("the 31 October bombing ... the 30 October attack")
    back = _refers_back(anchor, row)
    same_toll = (row["_fatal"] or 0) > 1 and row["_fatal"] == anchor["_fatal"]
    # an anchor dated by the day it was told says nothing of when it happened: a retelling may date it long before
    told = anchor.get("_told") or anchor["event_date"] == report
    near = abs((row["event_date"] - anchor["event_date"]).days) <= RETELL_DAYS or (
        told and row["event_date"] < anchor["event_date"])
    reference = back and row["event_date"] == report
    # "Sources reported today that the nun was shot ... she was wounded on 21 June": the lead gave only the day it
    # was told; a sentence of the same kind of event that dates it a few days before tells when it happened
    dates_it = (anchor.get("_told") and row["_own_date"] and row["sub_event_type"] == anchor["sub_event_type"]
                and 0 < (anchor["event_date"] - row["event_date"]).days <= DATED_LATER_DAYS
                and (row["_fatal"] or 0) <= (anchor["_fatal"] or 0))  # more dead: another incident
    return _same_place(anchor, row) and ((near and (same_toll or back)) or reference or dates_it)


def _same_day(anchor: dict, row: dict) -> bool:
    """Does the row's own date agree with the anchor's: the same day, or a month or week that holds it ("the
    41st attack this month" after "a bomb exploded tonight")?"""
    day, own = anchor["event_date"], row["event_date"]
    if (row["time_precision"] or 1) == 3:
        return (own.year, own.month) == (day.year, day.month)
    return own == day or (row["time_precision"] == 2 and 0 <= (day - own).days < 7)


def _next_day(anchor: dict, row: dict) -> bool:
    """Is the row the same kind of event told a day apart only by words relative to the report ("was shot last
    night ... died early this morning"): a night's incident straddles two days, and no day was named for it?"""
    return (row["sub_event_type"] == anchor["sub_event_type"] and not row.get("_named_date")
            and (row["time_precision"] or 1) == 1 and abs((row["event_date"] - anchor["event_date"]).days) == 1)


def _places_better(row: dict, anchor: dict) -> bool:
    """Does the row place the incident better than the anchor: in its own words where the anchor's place was a
    guess (a dateline, the document's place): "a truck exploded in Town A" after a lead filed from abroad."""
    return row["place_from"] == "sentence" and row["_own_place"] and anchor["place_from"] not in OWN_TEXT


def link_incidents(rows: list[dict], report: dt.date | None = None) -> list[dict]:
    """Each row that continues the incident told before it (the latest compatible row of the same actor: no date
    of its own or the same one, no other place unless it refers back to the incident, no word of another
    incident) takes that incident's date and place. A row that tells it again under another date (`_retold`)
    joins it too, under the anchor's date unless the row names an earlier day outright ("on 4 October"): a report
    retells an incident after it happened, and an anchor is often dated by the report's day."""
    done: list[dict] = []
    told: dict[int, list[dict]] = {}  # id(row) -> the rows told as its incident (one list shared by them)
    for row in rows:
        anchor = next((a for a in reversed(done) if compatible(a, row) and _same_actor(a, row)), None)
        told[id(row)] = [row]
        done.append(row)
        if anchor is None or _NEW_INCIDENT.search(row["evidence"]):
            continue
        continues = (not row["_own_date"] or _same_day(anchor, row) or _next_day(anchor, row)) and (
            _same_place(anchor, row) or _refers_back(anchor, row))
        if not (continues or _retold(anchor, row, report, told[id(anchor)])):
            continue
        earlier = not continues and row["_named_date"] and row["event_date"] < anchor["event_date"]
        # a day the row's own words give beats one the incident only borrowed (another incident's, the report's)
        own = not continues and row["_own_date"] and (anchor["date_from"] not in OWN_TEXT or anchor.get("_told"))
        # a day the row's text gives beats the reference day an anchor that named none fell back on
        found = row["date_from"] in OWN_TEXT and anchor["date_from"] not in (*OWN_TEXT, "document") and (
            row["event_date"] <= anchor["event_date"])
        dated = row if (earlier and row["event_date"] != report) or own or found else anchor
        placed = row if _places_better(row, anchor) else anchor
        incident = told[id(anchor)]
        incident.append(row)
        told[id(row)] = incident
        for member in incident:
            member.update({k: dated[k] for k in _DATE_FIELDS} | {k: placed[k] for k in (*PLACE_FIELDS, "_own_place")})
    return rows


def adopt_main_event(rows: list[dict]) -> list[dict]:
    """A sentence with no date of its own (and none in its paragraph) usually goes on describing an event the
    document dated elsewhere (to the day, if one was, and by its own text before by the day it was told): it takes
    that event's date (unless that is vaguer than the day it has), and its place when it named none more
    specific."""
    # a day outranks a week or a month ("the offensive announced in April" dates nothing told on a day)
    anchors = sorted((r for r in rows if r["_dated"]),
                     key=lambda r: (r["time_precision"] or 3, bool(r.get("_told"))))
    for row in rows:
        anchor = None if row["_dated"] else next((a for a in anchors if compatible(a, row) and (
            a["time_precision"] or 3) <= (row["time_precision"] or 3)), None)  # no month for a day it has
        if anchor is None:
            continue
        row.update({k: anchor[k] for k in _DATE_FIELDS})
        if not row["_placed"] or (row["geo_precision"] or 9) > (anchor["geo_precision"] or 9):
            row.update({k: anchor[k] for k in PLACE_FIELDS})
    return rows


# How sure the sub-event model must be of a strategic development told beside violence on the same day for it
# to stand as an event of its own (named outright, a release or a lone arrest, it stands anyway).
SIDE_DEVELOPMENT = 0.8
_HELD = {CountKind.ARRESTED, CountKind.DETAINED}
# Named outright, yet part of the account of the armed event of their day: an arrest, a release.
_FOLDED = {"Arrests", "Agreement"}
_ARMED = {EventType.BATTLES, EventType.EXPLOSIONS, EventType.VIOLENCE_AGAINST_CIVILIANS}


def fold_side_developments(rows: list[dict]) -> list[dict]:
    """A strategic development told on the day of an armed event in the same document ("the blast destroyed two
    cars", "police arrested ten suspects", "the army reinforced the area") is part of that incident's account:
    its counts (not deaths) join the event of that day, and it is no event of its own unless the model is sure."""
    armed = [r for r in rows if r["event_type"] in _ARMED]
    out: list[dict] = []
    for row in rows:
        day = [a for a in armed if a["event_date"] == row["event_date"]]
        named = row["_sharp"] and row["sub_event_type"] not in _FOLDED  # lone arrests and releases are "sharp"
        seized = row["sub_event_type"] == "Disrupted weapons use" and not row["_sharp"]  # arms taken in the fight
        if row["event_type"] != EventType.STRATEGIC or not day or named or (row["_p"] >= SIDE_DEVELOPMENT
                                                                            and not seized):
            out.append(row)
            continue
        host = next((a for a in day if a["location"] == row["location"]), day[0])
        kept = [c for c in row["counts"] if c["kind"] != CountKind.KILLED]
        if row["sub_event_type"] == "Arrests" and not any(c["kind"] in _HELD for c in kept):  # "arrested the driver"
            kept.append(Count(kind=CountKind.ARRESTED, value=1, qualifier=Qualifier.AT_LEAST).model_dump())
        host["counts"] = host["counts"] + kept
    return out


# "Since 11 November, 2,000 people have died", "five judges have been killed in the past six months": a toll
# summed over a period (not over hours: "at least 9 have died in the past few hours" tells one clash).
_PERIOD = re.compile(r"\b(?:since|so far|to date|thus far|this year|(?:in|during|over) the (?:past|last) (?:\w+ )?"
                     r"(?:days|weeks|months|years))\b", re.I)
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:\w+\s+)?(?:been\s+)?(?:killed|died|murdered|wounded|injured|kidnapped|"
                      r"abducted|disappeared|assassinated)\b", re.I)


_SINCE = re.compile(r"\bsince\b[^,;]{0,50}$", re.I)


def tally(evidence: str) -> bool:
    """Does the sentence sum a toll over a period ("Since August, five students have been murdered"), naming no
    day but the one the period began ("since the offensive began on 11 November")? A day named otherwise tells an
    incident ("The murder took place on 24 March; many have been killed since")."""
    if not (_PERIOD.search(evidence) and _PERFECT.search(evidence)):
        return False
    return not any(d.precision == 1 and not d.relative and not _SINCE.search(evidence[: d.start])
                   for d in find_dates(evidence))


def drop_tallies(rows: list[dict]) -> list[dict]:
    """A toll summed over a period is the background of a document's incidents, no event ACLED codes: beside
    other event rows it is left out, unless it alone tells of deaths (then they may be the incident's: "the mayor
    was shot; three officials have been killed since May"); alone, it stands: the document may tell of nothing
    else."""
    summed = [tally(r["evidence"]) for r in rows]
    deaths = any(r["_fatal"] for r, s in zip(rows, summed, strict=True) if not s)
    if all(summed):
        return rows
    return [r for r, s in zip(rows, summed, strict=True) if not s or (r["_fatal"] and not deaths)]


def link(rows: list[dict], report: dt.date | None = None) -> list[dict]:
    """The document's rows after folding, linking and adopting (their helper columns kept for the merge); `report`
    is the day the document was published, when known."""
    rows = fold_side_developments(adopt_main_event(link_incidents(fold_consequences(drop_tallies(rows)), report)))
    for row in rows:
        row.pop("_own_date"), row.pop("_own_place"), row.pop("_p"), row.pop("_named_date", None), row.pop("_told", None)
    return rows
