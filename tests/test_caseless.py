"""extraction.caseless: the lower-cased search finds what IGNORECASE finds, and steps aside when it might not."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction import caseless, classify
from extraction.caseless import Caseless, fold

PATTERNS = [
    r"\b(?:shot dead|gunned down|(?<!\bsuch )killed|rap(?:ed|e|ing)\b|air ?strikes?)\b",
    r"(?:(?<=\d )|(?<=\d\w\w ))march\b|\bmarch(?=,?\s+\d)",
    r"\b[a-z]{3,}\s+(?:of\s+)?(?P<n>\d+)(?!\d)",
    r"[^a-z\s]+|\bsa(?:nta)?\b",
    r"(\w)\1",
]
WORDS = ["Shot", "DEAD", "shot dead", "such killed", "KILLED", "Rape", "raping", "airstrike", "Air Strikes", "march",
         "3 March", "MARCH 2020", "on", "of", "Santa", "sa", "ſa", "K", "ı", "É", "é", "’", "—", "12", "aA", "  "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from(PATTERNS))
def test_same_matches_as_ignorecase(words, source):
    text = " ".join(words)
    reference = re.compile(source, re.I)
    caseless = Caseless(source)
    assert caseless.lower is not None  # these patterns take the fast path where the text allows
    assert [m.span() for m in caseless.finditer(text)] == [m.span() for m in reference.finditer(text)]
    found = caseless.search(text)
    expected = reference.search(text)
    assert (found and found.span()) == (expected and expected.span())


def test_fold_only_when_every_cased_letter_is_ascii():
    assert fold("Police Fired") == "police fired"
    assert fold("“Police” fired — twice") == "“police” fired — twice"  # uncased punctuation keeps the fast path
    assert fold("Bogotá") is None  # a cased accented letter: IGNORECASE decides
    assert fold("ſhot") is None  # the long s matches "s" under IGNORECASE


def test_patterns_that_could_differ_run_with_ignorecase():
    for source in [r"\bPolice\b", r"[A-Z]+", r"(?-i:may)\b", r"\bstraße\b", r"(?>ab)c"]:
        assert Caseless(source).lower is None
    assert Caseless(r"\bMay\b").search("in may").span() == (3, 6)


def test_the_month_march_is_blanked_not_the_protest():
    text = "On 3 March, Protesters Marched in early March."
    blanked = classify._no_month(text)
    assert len(blanked) == len(text)
    assert "3      ," in blanked and "Marched" in blanked and "early      ." in blanked


def test_the_ignorecase_pattern_is_compiled_only_for_text_that_needs_it():
    pattern = Caseless(r"\b(?:police|army) (?:fired|shot)\b")
    assert pattern.search("The POLICE fired tear gas").span() == (4, 16)
    assert "exact" not in vars(pattern)  # ASCII text went the lower-cased way
    assert pattern.search("La POLICÍA dijo: police shot").span() == (17, 28)
    assert "exact" in vars(pattern)


def test_shouted_is_text_in_capitals():
    """Wire copy in capitals is shouted; a cased sentence, or one with no letters, is not."""
    assert caseless.shouted("SAN SALVADOR, 3 JAN 90 -- THE ARMY REPORTED")
    assert not caseless.shouted("Police arrested 12 people in Dhaka.")
    assert not caseless.shouted("12 -- 34")


def test_cased_words_need_capitals_among_lower_case_words():
    """Capitals mark names in ordinary prose and in a short name; not in all caps, lower case or Title Case."""
    assert caseless.cased("Police arrested protesters in Nairobi on Monday".split())
    assert caseless.cased(["Gwoza"])
    assert not caseless.cased("POLICE ARRESTED PROTESTERS IN NAIROBI".split())
    assert not caseless.cased("police arrested protesters in nairobi".split())
    assert not caseless.cased("Protesters Clash With Police In Nairobi".split())


def test_cased_text_judges_the_whole_document():
    """A document is cased when capitalised words stand among lower-case ones, not when it is all capitals."""
    assert caseless.cased_text("Police arrested twelve protesters in Nairobi on Monday, officials said.")
    assert not caseless.cased_text("POLICE ARRESTED TWELVE PROTESTERS IN NAIROBI ON MONDAY, OFFICIALS SAID.")
    assert not caseless.cased_text("police arrested twelve protesters in nairobi on monday, officials said.")


def test_a_grouped_alternation_finds_what_the_plain_one_finds():
    import random
    import re

    from extraction.caseless import alternation

    rng = random.Random(3)
    words = ["kabul", "kandahar", "kan", "mosul", "mo", "Mosul", "MOSUL", "k-9", "a.b", "al qaeda", "al"]
    for _ in range(200):
        picked = rng.sample(words, rng.randint(1, len(words)))
        text = " ".join(rng.choice([*words, "x", "Kabul", "AL QAEDA", "-", "."]) for _ in range(12))
        for flags, ignore_case in ((0, False), (re.I, True)):
            plain = re.compile(rf"(?:{'|'.join(map(re.escape, picked))})(?![\w-])", flags)
            grouped = re.compile(rf"(?:{alternation(picked, ignore_case)})(?![\w-])", flags)
            assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert alternation(["kabul", "kandahar", "mosul"]) == "k(?:abul|andahar)|m(?:osul)"
    assert alternation(["émir", "emir"]) == "émir|emir"  # a non-ASCII first letter: not grouped


def test_lowered_text_keeps_every_offset_of_the_original():
    text = "GUNMEN KILLED TWO IN İZMIR ON MONDAY"
    low = caseless.lowered(text)
    assert len(low) == len(text)
    assert low[text.index("GUNMEN"):][:6] == "gunmen" and low[text.index("MONDAY"):] == "monday"
    assert low[text.index("İ")] == "İ"  # its lower case is two characters: left as it is
