"""The number grammar: one figure per construction, and what only looks like a count is dropped."""

from __future__ import annotations

import pytest

from extraction.counts import find_counts
from extraction.incidents import fatalities
from extraction.numbers import numbers
from schemas.acled import CountKind as K
from schemas.acled import Qualifier as Q


def figures(text: str) -> list[int]:
    """The figures of a text, the article "a" aside (a figure only before a word for a person)."""
    return [n.value for n in numbers(text) if n.raw.lower() not in {"a", "an"}]


def kinds(text: str) -> list[tuple[K, int]]:
    return sorted((c.kind, c.value) for c in find_counts(text))


def test_a_part_of_a_whole_counts_the_part_only():
    assert kinds("Gunmen killed 14 of the 30 travellers on the coach.") == [(K.KILLED, 14)]
    assert kinds("FOUR OF THE NINE PRISONERS WERE KILLED.") == [(K.KILLED, 4)]


@pytest.mark.parametrize("text", ["Between 8 and 11 villagers were killed.", "8 to 11 villagers were killed.",
                                  "8-11 villagers were killed.", "eight or eleven villagers were killed."])
def test_a_range_is_its_lower_figure_as_at_least(text):
    assert [(c.kind, c.value, c.qualifier) for c in find_counts(text)] == [(K.KILLED, 8, Q.AT_LEAST)]


@pytest.mark.parametrize("text, expected", [
    ("The raiders killed 4 and wounded 9 at the depot.", [(K.KILLED, 4), (K.INJURED, 9)]),
    ("Two dead, eleven injured in the market blast.", [(K.KILLED, 2), (K.INJURED, 11)]),
    ("TWO DEAD, ELEVEN INJURED IN THE MARKET BLAST.", [(K.KILLED, 2), (K.INJURED, 11)]),
    ("THE AMBUSH LEFT 6 GUARDS DEAD AND 13 WOUNDED.", [(K.INJURED, 13), (K.KILLED, 6)]),
])
def test_deaths_and_injuries_in_one_sentence_stay_apart(text, expected):
    assert kinds(text) == sorted(expected)


def test_injured_and_casualties_are_never_deaths():
    assert fatalities(find_counts("Some 300 casualties were reported after the riot.")) is None
    assert fatalities(find_counts("Nine people were wounded when the bus was hit.")) is None


def test_figures_in_one_noun_phrase_share_the_kind():
    assert fatalities(find_counts("FOUR NUNS AND THREE DRIVERS WHO WERE WITH THEM WERE KILLED.")) == 7
    assert fatalities(find_counts("The militia killed 5 herders and 3 children.")) == 8


def test_a_figure_before_an_active_verb_counts_the_attackers():
    assert kinds("Four gunmen killed two farmers near the well.") == [(K.KILLED, 2)]


@pytest.mark.parametrize("text", ["a dozen", "A DOZEN", "twelve", "TWELVE", "12"])
def test_spelled_and_upper_case_figures(text):
    assert figures(f"{text} soldiers were killed") == [12]


@pytest.mark.parametrize("text", [
    "QUITO, 2 JUN 91 (AFP) -- the report said.",          # a dateline: day and two-digit year
    "The convoy left at 0545 and arrived at 2130 GMT.",    # clock times
    "Officers of unit 17 and the team of case No. 42.",    # labels and ids
    "Call 0711-556677 or 98765432 for help.",              # phone numbers
    "The 1998 ceasefire was recalled.",                    # a year
    "The judge, 61, was seen in a 500-metre radius.",      # an age and a measure
    "A 19-year-old and a 48-hour curfew.",                 # compounds
])
def test_what_only_looks_like_a_count(text):
    assert figures(text) == []


def test_a_dateline_year_is_not_added_to_the_deaths():
    assert fatalities(find_counts("LIMA, 4 MAR 91 (EFE) -- THREE PEASANTS WERE KILLED TODAY.")) == 3


def test_an_age_is_not_a_death_toll():
    assert fatalities(find_counts("FARMER LUIS PEREZ, 52, WAS SHOT TO DEATH ON THE ROAD.")) == 1


def test_named_victims_are_counted_when_no_figure_is_given():
    assert fatalities(find_counts("THE DRIVER AND ONE OF THE GUARDS WERE KILLED IN THE AMBUSH.")) == 2
    assert fatalities(find_counts("Ana Ruiz, 30, and Juan Mora, 41, were shot dead outside the bar.")) == 2
    assert fatalities(find_counts("The killing of the mayor, the judge and the priest shocked the town.")) == 3
    assert fatalities(find_counts("The inquiry into the murder of the mayor of the port went on.")) == 1


def test_a_plural_subject_without_names_or_figures_adds_no_count():
    assert fatalities(find_counts("Residents said the men were killed by rebels.")) is None
