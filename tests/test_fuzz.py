"""Property-based tests: random and adversarial input never raises, spans stay inside their text, and what is
read as a count of people stays within sane bounds (a year, an id, a phone number or a time is never one).

Each property runs `EXAMPLES` generated inputs (hypothesis, derandomised so a run is reproducible); the total
tried is 6 x 500 = 3,000 inputs plus the explicit examples."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extraction import gazetteer
from extraction.clean import stage
from extraction.counts import find_counts
from extraction.dates import find_dates
from extraction.ingest import Item, Limits, receive
from extraction.segment import split_document
from schemas.models import RawDocument

EXAMPLES = 500
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NOW = dt.datetime(2024, 6, 1)

# Text that looks like news mess: words of events, places, numbers, dates, markup, odd characters.
WORDS = ["police", "killed", "arrested", "protest", "2024", "1999", "May", "3", "12,000", "dozens", "Monday",
         "yesterday", "Lagos", "Nigeria", "KABUL", "of the", "passengers", "injured", "<b>", "&amp;", "\u202e",
         "\u200b", "\x00", "\ufffd", "Ã©", "—", "(", ")", ",", ".", "\n\n", "ID", "No.", "#4471", "+234 803 555 0199",
         "10:30", "p.m.", "1,000,000,000,000", "-5", "½", "٣", "四", "e\u0301", "\t", "\r\n", "ALL CAPS"]
news = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=80).map(" ".join)
any_text = st.one_of(st.text(max_size=2000), news)


def _within(spans, text):
    return all(0 <= s <= e <= len(text) for s, e in spans)


@FUZZ
@given(st.lists(st.tuples(st.binary(max_size=600), st.sampled_from(["txt", "md", "html", "jsonl", None])),
                max_size=6))
def test_receiving_any_bytes_gives_one_explained_receipt_per_item(items):
    batch = [Item(f"f{i}.{kind or 'bin'}", None, data, kind) for i, (data, kind) in enumerate(items)]
    receipts, docs = receive(batch, limits=Limits(min_doc_chars=1), now=NOW)
    assert len(receipts) == len({(i.path, i.data) for i in batch})
    assert all(r.status != "rejected" or r.reason for r in receipts)
    assert {d.doc_id for d in docs} <= {r.doc_id for r in receipts}


@FUZZ
@given(any_text)
def test_staging_any_text_keeps_offsets_inside_the_cleaned_text(text):
    doc = stage(RawDocument(doc_id="d", path="p", media_type="txt", encoding="utf-8", text=text, received_at=NOW))
    paragraphs = doc.text.split("\n\n") if doc.text else []
    for s in split_document(paragraphs):
        assert doc.text[s.start : s.end] == s.text and s.text.strip() == s.text and s.text


@FUZZ
@given(any_text, st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))))
@example("On 31 February 2024 and 2024-13-45, and Monday", dt.date(2024, 3, 1))
def test_dates_are_real_days_inside_the_text_and_not_far_after_the_reference(text, ref):
    found = find_dates(text, ref)
    assert _within([(d.start, d.end) for d in found], text)
    upper = (ref or dt.date.today()) + dt.timedelta(days=366)
    assert all(dt.date(1900, 1, 1) <= d.date <= upper and d.precision in (1, 2, 3) for d in found)


NOT_COUNTS = st.one_of(
    st.integers(1900, 2099).map(str),  # years
    st.integers(10_000_000, 99_999_999_999).map(lambda n: f"ID {n}"),  # ids
    st.integers(100, 999).map(lambda n: f"+1 {n} 555 0{n}"),  # phone numbers
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),  # times
)


@FUZZ
@given(any_text)
def test_counts_are_inside_the_text_and_within_sane_bounds(text):
    found = find_counts(text)
    assert _within([(c.start, c.end) for c in found], text)
    assert all(0 <= c.value < 1_000_000_000 for c in found)


@FUZZ
@given(NOT_COUNTS, st.sampled_from(["{} people were killed", "police arrested {} protesters",
                                     "killed in {} by soldiers", "{}: three dead"]))
def test_a_year_an_id_a_phone_number_or_a_time_is_never_a_count(number, template):
    text = template.format(number)
    at = text.index(number)
    inside = [c for c in find_counts(text) if c.start < at + len(number) and at < c.end]
    assert not inside, (text, inside)


@FUZZ
@given(any_text)
def test_the_gazetteer_scan_finds_places_inside_the_text(text):
    for found in (gazetteer.scan(text), gazetteer.located(text)):
        assert _within([(s, e) for s, e, _ in found], text)
        assert all(text[s:e].strip() for s, e, _ in found)
