"""Date expressions resolved against a reference (publication) date, with ACLED time precision."""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.dates import find_dates, standalone_date, years_mentioned

REF = dt.date(2024, 11, 20)  # a Wednesday
D = dt.date


def only(text: str, ref: dt.date | None = REF, default_year: int | None = None):
    """The single date mention in text, as (date, precision, has_year, matched text)."""
    found = find_dates(text, ref, default_year)
    assert len(found) == 1, found
    m = found[0]
    return m.date, m.precision, m.has_year, text[m.start : m.end]


@pytest.mark.parametrize(
    "text, date, precision, has_year",
    [
        ("Police arrested him on 9 May 2020 in Nakuru.", D(2020, 5, 9), 1, True),
        ("Police arrested him on the 9th of May 2020.", D(2020, 5, 9), 1, True),
        ("The march took place on May 9, 2020.", D(2020, 5, 9), 1, True),
        ("The march took place on Sept. 3, 2021.", D(2021, 9, 3), 1, True),
        ("Troops withdrew on November 16th 2024.", D(2024, 11, 16), 1, True),
        ("The report is dated 2020-05-09.", D(2020, 5, 9), 1, True),
        ("Farmers blocked roads on May 20 near Eldoret.", D(2024, 5, 20), 1, False),
        ("Farmers blocked roads on July 28th.", D(2024, 7, 28), 1, False),
        ("Farmers blocked roads on 5 March.", D(2024, 3, 5), 1, False),
        ("The clashes began in March 2018.", D(2018, 3, 1), 3, True),
        ("The clashes began in late March 2023.", D(2023, 3, 1), 3, True),
        ("The clashes began in early March and continued.", D(2024, 3, 1), 3, False),
        ("Gunmen attacked the village on Saturday.", D(2024, 11, 16), 1, False),
        ("Gunmen attacked the village yesterday.", D(2024, 11, 19), 1, False),
        ("Gunmen attacked the village last night.", D(2024, 11, 19), 1, False),
        ("Gunmen attacked the village three days ago.", D(2024, 11, 17), 1, False),
        ("Gunmen attacked the village 4 days ago.", D(2024, 11, 16), 1, False),
        ("It has been four days since the attack on the village.", D(2024, 11, 16), 1, False),
        ("Gunmen attacked the village today.", D(2024, 11, 20), 1, False),
        ("Gunmen attacked the village last week.", D(2024, 11, 13), 2, False),
        ("Gunmen attacked the village earlier this week.", D(2024, 11, 20), 2, False),
        ("Gunmen attacked the village last month.", D(2024, 10, 1), 3, False),
        ("Gunmen attacked the village earlier this month.", D(2024, 11, 1), 3, False),
    ],
)
def test_formats(text, date, precision, has_year):
    assert only(text)[:3] == (date, precision, has_year)


def test_mentions_are_in_text_order_with_spans():
    text = "After clashes on 2 March 2024, police arrested 40 people yesterday."
    found = find_dates(text, REF)
    assert [(text[m.start : m.end], m.date) for m in found] == [
        ("2 March 2024", D(2024, 3, 2)),
        ("yesterday", D(2024, 11, 19)),
    ]


def test_explicit_date_wins_over_the_month_inside_it():
    assert only("Rebels seized the town on 9 May 2020.")[3] == "9 May 2020"


@pytest.mark.parametrize(
    "text",
    [
        "The protest was held on February 30, 2024.",
        "The protest was held on 2024-02-30.",
        "The protest was held on February 29, 2023.",
        "The protest was held on 2024-13-05.",
        pytest.param(
            "The protest was held on 30 February 2024.",
        ),
    ],
)
def test_impossible_dates_are_rejected(text):
    assert find_dates(text, REF) == []


def test_leap_day_is_a_real_date():
    assert only("The protest was held on February 29, 2024.")[:2] == (D(2024, 2, 29), 1)


@pytest.mark.parametrize(
    "phrase, date",
    [
        ("on Wednesday", D(2024, 11, 20)),  # the reference day itself
        ("last Wednesday", D(2024, 11, 13)),  # "last" never means today
        ("on Tuesday", D(2024, 11, 19)),
        ("on Thursday", D(2024, 11, 14)),  # news looks back: the previous Thursday
        ("on Sunday", D(2024, 11, 17)),
        ("late on Friday", D(2024, 11, 15)),
        ("this Monday", D(2024, 11, 18)),
    ],
)
def test_weekday_resolves_to_the_latest_such_day(phrase, date):
    assert only(f"Police dispersed the crowd {phrase}.")[:2] == (date, 1)


def test_weekday_and_relative_words_need_a_reference():
    assert find_dates("Police dispersed the crowd on Saturday and again yesterday.") == []


def test_last_month_in_january_is_december_of_the_year_before():
    assert only("Troops left the base last month.", ref=D(2024, 1, 15))[:2] == (D(2023, 12, 1), 3)


@pytest.mark.parametrize(
    "ref, date",
    [
        (D(2024, 5, 21), D(2024, 5, 20)),
        (D(2024, 5, 19), D(2024, 5, 20)),  # one day ahead is tolerated (time zones)
        (D(2024, 5, 18), D(2024, 5, 20)),  # within a month ahead: news telling a plan ("the vote due on ...")
        (D(2024, 4, 10), D(2023, 5, 20)),  # farther ahead, the day is in the past year
        (D(2025, 1, 3), D(2024, 5, 20)),
    ],
)
def test_day_without_year_is_the_latest_not_after_the_reference_or_a_plan_just_ahead(ref, date):
    assert only("Farmers blocked roads on May 20.", ref=ref)[:3] == (date, 1, False)


@pytest.mark.parametrize(
    "text, default_year, expected",
    [
        ("Farmers blocked roads on May 20.", 2023, (D(2023, 5, 20), 1, False)),
        ("Farmers blocked roads on 5 March.", 2022, (D(2022, 3, 5), 1, False)),
        ("Farmers blocked roads in early March.", 2022, (D(2022, 3, 1), 3, False)),
        ("Farmers blocked roads on 29 February.", 2024, (D(2024, 2, 29), 1, False)),
    ],
)
def test_day_without_year_uses_default_year_without_reference(text, default_year, expected):
    assert only(text, ref=None, default_year=default_year)[:3] == expected


@pytest.mark.parametrize(
    "text, default_year",
    [
        ("Farmers blocked roads on May 20.", None),
        ("Farmers blocked roads on 29 February.", 2023),
    ],
)
def test_day_without_year_is_dropped_when_no_year_fits(text, default_year):
    assert find_dates(text, None, default_year) == []


def test_far_future_dates_are_implausible():
    assert find_dates("Elections are due on 9 May 2090.", REF) == []


# --- years_mentioned ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, years",
    [
        ("Clashes in 2019 and again in 2021 displaced farmers.", [2019, 2021]),
        ("About 2020 people marched in the capital.", []),
        ("Turnout was 2018 percent of the target, 45% in 2016.", [2016]),
        ("The budget rose by 1,2019 and 3.2019 units.", []),
        ("The colonial-era law from 1850 was repealed in 1999.", [1999]),
        ("Elections are planned for 2099.", []),
    ],
)
def test_years_mentioned(text, years):
    assert years_mentioned(text) == years


# --- standalone_date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, date",
    [
        ("November 16th 2024.", D(2024, 11, 16)),
        ("Published: 2024-03-02", D(2024, 3, 2)),
        ("Updated on March 5, 2024", D(2024, 3, 5)),
        ("Tuesday, 5 March 2024", D(2024, 3, 5)),
        ("  — 5 March 2024 —  ", D(2024, 3, 5)),
        ("March 2024", None),  # month precision is not a publication date
        ("5 March", None),  # no year in the line
        ("yesterday", None),
        ("Police fired tear gas on 5 March 2024.", None),  # a sentence, not a date line
        ("5 March 2024 and 6 March 2024", None),
    ],
)
def test_standalone_date(line, date):
    assert standalone_date(line) == date


def test_a_date_that_names_an_election_a_movement_or_an_accord_does_not_date_an_event():
    from extraction.coder import event_dates

    ref = dt.date(1990, 4, 27)
    for text in ("Gunmen of the 19 April Movement attacked a patrol.", "Violence marred the May 20 election.",
                 "Rebels broke the 12 March accord and shelled the town."):
        assert event_dates(text, find_dates(text, ref)) == [], text
    text = "Police arrested five students on 19 April in Lima."
    assert [d.date for d in event_dates(text, find_dates(text, ref))] == [dt.date(1990, 4, 19)]


def test_the_date_nearest_an_event_word_dates_it_and_a_date_beside_a_verb_of_saying_dates_the_report():
    from extraction.coder import event_dates

    ref = dt.date(1991, 3, 9)
    text = "The army reported today that gunmen shot a trader dead on 6 March near the market."
    at = text.index("shot")
    assert event_dates(text, find_dates(text, ref), at)[0].date == dt.date(1991, 3, 6)
    text = "Rebels on 7 March claimed the ambush that killed two guards last week."
    assert event_dates(text, find_dates(text, ref), text.index("ambush"))[0].date != dt.date(1991, 3, 7)
    # A day outranks a vaguer mention even when the vaguer one stands nearer.
    text = "A panel set up last week looks into the killing carried out on 2 March in the port."
    assert event_dates(text, find_dates(text, ref), text.index("killing"))[0].date == dt.date(1991, 3, 2)


def test_a_date_opening_the_sentence_frames_all_of_it():
    from extraction.coder import event_dates

    ref = dt.date(2021, 5, 11)
    text = "On 10 May 2021, a farmer who had been seized by bandits on 3 May was found dead in a field."
    assert event_dates(text, find_dates(text, ref), text.index("seized"))[0].date == dt.date(2021, 5, 10)


def test_a_date_naming_the_event_word_dates_it_even_after_since_or_following():
    from extraction.coder import event_dates

    ref = dt.date(1991, 3, 9)
    text = "Unions broke off talks following the 4 March bomb attack that killed six workers."
    assert [d.date for d in event_dates(text, find_dates(text, ref), text.index("killed"))] == [dt.date(1991, 3, 4)]
    text = "Unions have refused to talk since 4 March, when police killed six workers."  # the "when" clause's day
    assert [d.date for d in event_dates(text, find_dates(text, ref), text.index("killed"))] == [dt.date(1991, 3, 4)]
    text = "Unions have refused to talk since 4 March, and police killed six workers."
    assert event_dates(text, find_dates(text, ref), text.index("killed")) == []


def test_a_quoted_date_is_a_name_and_a_day_just_ahead_is_a_plan_of_this_year():
    from extraction.coder import event_dates

    ref = dt.date(1991, 3, 9)
    text = 'A band calling itself the "2 February" command set off a bomb at a bank.'
    assert event_dates(text, find_dates(text, ref), text.index("bomb")) == []
    text = "Gunmen shot a candidate ahead of the vote due on 20 March."
    assert [d.date for d in find_dates(text, ref)] == [dt.date(1991, 3, 20)]  # not March 1990
    assert event_dates(text, find_dates(text, ref), text.index("shot"), ref) == []


def test_an_undated_sentence_takes_the_day_of_the_incident_the_document_dated_elsewhere():
    from tests.test_coder import code

    text = ("Relatives buried the two farmers today.\n\n"
            "The farmers were shot dead by gunmen on 4 March in the hills above the village of Pueblo Nuevo.\n\n"
            "The union said the gunmen also burned the farmers' house and stole their cattle.")
    events = code(text, dt.date(1991, 3, 9))
    assert events and all(e["event_date"] == dt.date(1991, 3, 4) for e in events if e["event_type"] != "Protests")


def test_a_day_with_a_verb_of_saying_between_it_and_the_event_word_dates_the_telling():
    from extraction.dates import dates_report

    ref = dt.date(1991, 3, 9)
    text = "On 2 March the governor acknowledged that soldiers had shot the two farmers."
    at = text.index("shot")
    (day,) = find_dates(text, ref)
    assert dates_report(text, day, at) and not dates_report(text, day)
    text = "On 2 March soldiers shot the two farmers, the governor acknowledged."
    (day,) = find_dates(text, ref)
    assert not dates_report(text, day, text.index("shot"))


def test_a_day_in_a_relative_clause_about_a_person_dates_no_event_word_outside_it():
    from extraction.coder import event_dates

    ref = dt.date(1991, 3, 9)
    text = "The new governor, who took office on 4 March, was wounded by gunmen near his home."
    assert event_dates(text, find_dates(text, ref), text.index("wounded"), ref) == []
    text = "The mayor, who was shot on 4 March, died in hospital today."
    assert [d.date for d in event_dates(text, find_dates(text, ref), text.index("died"), ref)][:1] == [
        dt.date(1991, 3, 4)]
    text = "Two guards died in the raid, which began at dawn on 4 March."
    assert [d.date for d in event_dates(text, find_dates(text, ref), text.index("raid"), ref)] == [dt.date(1991, 3, 4)]


def test_a_date_before_a_noun_that_is_no_event_word_dates_no_event():
    from extraction.coder import event_dates

    ref = dt.date(1990, 2, 24)
    text = "Rebels seized them in protest at the recent 15 February drug summit in the port."
    assert event_dates(text, find_dates(text, ref), text.index("seized")) == []
    text = "The army blamed rebels for the 12 February bomb attack in the port."
    assert [d.date for d in event_dates(text, find_dates(text, ref))] == [dt.date(1990, 2, 12)]
    text = "Rebels seized two engineers on the 12 February in the port."  # a preposition after it: no noun
    assert [d.date for d in event_dates(text, find_dates(text, ref), text.index("seized"))] == [dt.date(1990, 2, 12)]


@pytest.mark.parametrize("text, date", [
    ("Farmers blocked roads on 5 and 6 March.", D(2024, 3, 5)),
    ("The talks ran on 12-14 May 2020 in the capital.", D(2020, 5, 12)),
    ("The talks ran between May 12 and 14, 2020.", D(2020, 5, 12)),
    ("Strikes were held on 10 or 11 June.", D(2024, 6, 10)),
])
def test_a_span_of_days_is_dated_by_its_first(text, date):
    assert only(text)[0] == date


def test_a_wire_dateline_gives_the_day_the_text_was_told():
    from extraction.dates import dateline_day

    published = dt.date(1991, 3, 9)
    assert dateline_day("LIMA, 8 MAR 91 (EFE) -- [TEXT] Gunmen shot a guard today.", published) == D(1991, 3, 8)
    assert dateline_day("Nairobi, March 8 (Reuters) - Police fired tear gas.", published) == D(1991, 3, 8)
    assert dateline_day("LIMA, 8 FEB 91 (EFE) -- [TEXT] Gunmen shot a guard.", published) is None  # too long before
    assert dateline_day("On 8 March, police fired tear gas in Lima.", published) is None  # no dateline


def test_a_count_after_a_day_and_month_is_no_year():
    assert only("Travellers said that on 3 March 28 bodies were found.")[0] == D(2024, 3, 3)
    assert only("On 3 March, 12 people were hurt.")[0] == D(2024, 3, 3)
    assert find_dates("LIMA, 3 MAR 91 (EFE) -- Police fired.", REF) == []  # a dateline's two-digit year


def test_each_date_pattern_is_skipped_only_for_a_text_without_a_literal_all_its_matches_hold():
    from extraction import dates
    from extraction.caseless import fold

    texts = ["On 3 March 2021 and 2021-03-04, then Sept. 5, 2020, in mid-June 2019 and by August.",
             "Police said on Monday, last week, two days ago, tonight and overnight; Friday's raid. 12th of Dec 2020",
             "They met this morning and last night, earlier this month; 5 jul, nov 30."]
    for text in texts:
        folded = fold(text)
        for kind, pattern in dates._PATTERNS:
            for m in pattern.finditer(text, folded):
                assert any(literal in m.group() for literal in dates._NEEDS[kind]), (kind, m.group())
    assert [d.date.isoformat() for d in dates.find_dates("No date here, none at all.")] == []
