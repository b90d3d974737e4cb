"""Counts of people in news sentences, with kind, qualifier and ACLED's values for vague numbers."""

from __future__ import annotations

import pytest

from extraction.counts import find_counts
from schemas.acled import CountKind as K
from schemas.acled import Qualifier as Q


def counts(text: str) -> list[tuple[K, int, Q]]:
    return [(m.kind, m.value, m.qualifier) for m in find_counts(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("At least 12 people were killed when gunmen stormed the market.", (K.KILLED, 12, Q.AT_LEAST)),
        ("No fewer than 8 people were killed in the ambush.", (K.KILLED, 8, Q.AT_LEAST)),
        ("Police arrested over 40 protesters in the capital.", (K.ARRESTED, 40, Q.OVER)),
        ("More than 2,400 people were detained after the protests.", (K.DETAINED, 2400, Q.OVER)),
        ("Nearly 200 people were injured during the clashes.", (K.INJURED, 200, Q.APPROX)),
        ("Almost 30 people died in the attack on the camp.", (K.KILLED, 30, Q.APPROX)),
        ("About 3,000 people took part in the rally.", (K.PARTICIPANTS, 3000, Q.APPROX)),
        ("Some 500 farmers protested outside the ministry.", (K.PARTICIPANTS, 500, Q.APPROX)),
        ("Up to 50 people were arrested on Sunday.", (K.ARRESTED, 50, Q.AT_MOST)),
        ("Fewer than 10 people were injured.", (K.INJURED, 10, Q.UNDER)),
        ("Security forces detained 15 students on Monday.", (K.DETAINED, 15, Q.EXACT)),
    ],
)
def test_qualifiers(text, expected):
    assert counts(text) == [expected]


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("Gunmen shot dead 4 villagers near Zamfara.", K.KILLED, 4),
        ("The blast left 9 people dead.", K.KILLED, 9),
        ("Seven soldiers were wounded in the attack.", K.INJURED, 7),
        ("Police arrested 23 people after the match.", K.ARRESTED, 23),
        ("The army detained 6 suspected militants.", K.DETAINED, 6),
        ("The authorities released 70 detainees on Friday.", K.RELEASED, 70),
        ("Twelve political prisoners were freed on Saturday.", K.RELEASED, 12),
        ("Gunmen abducted three travellers on the highway.", K.ABDUCTED, 3),
        ("Bandits kidnapped 15 students from their school.", K.ABDUCTED, 15),
        ("Around 4,000 people fled their homes.", K.DISPLACED, 4000),
        ("Hundreds of teachers marched through the city.", K.PARTICIPANTS, 100),
        ("Twenty-three people were killed in the attack.", K.KILLED, 23),
        ("A man was shot dead outside his house.", K.KILLED, 1),
    ],
)
def test_kinds(text, kind, value):
    assert [(m.kind, m.value) for m in find_counts(text)] == [(kind, value)]


def test_two_counts_in_one_sentence():
    assert counts("Police arrested 12 people, while 3 others were injured.") == [
        (K.ARRESTED, 12, Q.EXACT),
        (K.INJURED, 3, Q.EXACT),
    ]


def test_count_spans_cover_the_number_and_its_qualifier():
    text = "At least 12 people were killed."
    (mention,) = find_counts(text)
    assert text[mention.start : mention.end] == "At least 12"


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("Dozens of people were injured in the stampede.", K.INJURED, 12),
        ("Hundreds of protesters gathered outside parliament.", K.PARTICIPANTS, 100),
        ("Thousands of teachers marched to the ministry.", K.PARTICIPANTS, 1000),
        ("Tens of thousands of people took to the streets.", K.PARTICIPANTS, 10000),
        ("Several people were arrested after the rally.", K.ARRESTED, 3),
        ("Scores of villagers were displaced by the fighting.", K.DISPLACED, 20),
    ],
)
def test_vague_numbers_take_acled_values(text, kind, value):
    (mention,) = find_counts(text)
    assert (mention.kind, mention.value, mention.vague) == (kind, value, True)


def test_exact_numbers_are_not_vague():
    (mention,) = find_counts("Police arrested 12 people.")
    assert mention.vague is False


@pytest.mark.parametrize(
    "text",
    [
        "There were no fatalities.",
        "Officials said there were no deaths.",
        "The convoy passed the checkpoint without casualties.",
    ],
)
def test_no_fatalities_is_zero_killed(text):
    assert counts(text) == [(K.KILLED, 0, Q.EXACT)]


def test_no_injuries_is_not_a_zero_fatality_count():
    assert counts("There were no injuries.") == []


@pytest.mark.parametrize("text", ["No one was killed in the blast.", "No one was killed."])
def test_no_one_killed_is_only_zero_killed(text):
    assert counts(text) == [(K.KILLED, 0, Q.EXACT)]


def test_no_one_injured_counts_nobody():
    assert counts("No one was injured in the blast.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Turnout fell by 45 percent in the district.",
        "Prices rose 12% after the strike.",
        "Health officials reported 225 cases of cholera in the camp.",
        "In 2019 the army killed rebels in the forest.",
        "The curfew lasted 3 days and was lifted.",
        "Police seized 40 vehicles at the border.",
        "The clashes took place 5 km from the town.",
        "Rebels fired 12 rockets at the airport.",
        "The shops reopened at 9 am on Monday.",
    ],
)
def test_numbers_that_are_not_people_are_ignored(text):
    assert counts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The explosion killed 10^21 people, a rumour claimed.",
        "The explosion killed 1000000000000000000000 people, a rumour claimed.",
        "The attack killed -5 people, the broken ticker read.",
        "The attack killed −5 people, the broken ticker read.",
        pytest.param(
            "The explosion killed 1e21 people, a rumour claimed.",
        ),
    ],
)
def test_absurd_numbers_are_ignored(text):
    assert counts(text) == []


def test_large_but_real_figures_are_kept():
    assert counts("The war has killed 4 million people.") == [(K.KILLED, 4_000_000, Q.EXACT)]


def test_dead_and_injured_in_one_phrase():
    assert counts("Clashes left 7 dead and 20 injured.") == [(K.KILLED, 7, Q.EXACT), (K.INJURED, 20, Q.EXACT)]


def test_killing_and_injuring():
    text = "Gunmen opened fire on a bus, killing two and injuring five."
    assert counts(text) == [(K.KILLED, 2, Q.EXACT), (K.INJURED, 5, Q.EXACT)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A day of the month is not a count.
        ("On October 21, 2023, gunmen killed at least six villagers.", [(K.KILLED, 6, Q.AT_LEAST)]),
        ("On 17 March 2021 soldiers shot dead two herders.", [(K.KILLED, 2, Q.EXACT)]),
        # The perpetrators ("by two men") are not victims.
        ("A trader was shot dead by two men on a motorbike.", [(K.KILLED, 1, Q.EXACT)]),
        # A number and its verb across a short subject; "and" ends the clause of the earlier verb.
        ("One person was killed and at least 7 others were injured.", [(K.KILLED, 1, Q.EXACT),
                                                                        (K.INJURED, 7, Q.AT_LEAST)]),
        ("Guards freed 40 inmates who were arrested last year.", [(K.RELEASED, 40, Q.EXACT)]),
        # Deaths told without a number.
        ("The headman was killed in his home.", [(K.KILLED, 1, Q.EXACT)]),
        ("Gunmen assassinated a local chief in the market.", [(K.KILLED, 1, Q.EXACT)]),
        ("Soldiers executed eleven detainees near the camp.", [(K.KILLED, 11, Q.EXACT)]),
        # Vehicles are not people.
        ("Attackers burned four trucks and killed a driver.", [(K.KILLED, 1, Q.EXACT)]),
    ],
)
def test_dates_agents_and_implicit_deaths(text, expected):
    assert sorted(counts(text)) == sorted(expected)


def test_acled_fatality_coding_notes():
    """ACLED notes say where deaths were counted: elsewhere means none here; "coded as N" sets the figure."""
    moved = counts("Two soldiers were killed (fatalities coded to the Marib event).")
    assert [c for c in moved if c[0] is K.KILLED] == [(K.KILLED, 0, Q.EXACT)]
    assert counts("Unknown fatalities were assessed as low and coded as 3.") == [(K.KILLED, 3, Q.EXACT)]
