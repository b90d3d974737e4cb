"""Sub-event classification of single sentences: triggers, negation, ACLED precedence and protest rules."""

from __future__ import annotations

import pytest

from extraction.classify import choose, has_trigger, refine, triggers
from schemas.acled import SubEventType as S


def classify(sentence: str) -> S | None:
    chosen = choose(sentence, triggers(sentence))
    return chosen.sub_event_type if chosen else None


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # peaceful
        ("Hundreds of teachers marched peacefully to the ministry to demand higher pay.", S.PEACEFUL_PROTEST),
        ("Students staged a sit-in at the university over fees.", S.PEACEFUL_PROTEST),
        ("Opposition supporters held a rally in the capital.", S.PEACEFUL_PROTEST),
        ("Nurses went on strike over unpaid wages.", S.PEACEFUL_PROTEST),
        # intervention: tear gas, water cannon, arrests, batons
        ("Police fired tear gas to disperse students protesting against fee increases.",
         S.PROTEST_WITH_INTERVENTION),
        ("Police fired tear gas at a protest in central Nairobi.", S.PROTEST_WITH_INTERVENTION),
        ("Police dispersed the protest with water cannons.", S.PROTEST_WITH_INTERVENTION),
        ("Police arrested 20 protesters during a demonstration in Kampala.", S.PROTEST_WITH_INTERVENTION),
        ("Police broke up a rally with batons.", S.PROTEST_WITH_INTERVENTION),
        # excessive force: live ammunition, protesters killed
        ("Police used live ammunition to disperse a protest in Khartoum.", S.EXCESSIVE_FORCE),
        ("Security forces shot dead two protesters during a demonstration in the city.", S.EXCESSIVE_FORCE),
        ("Soldiers opened fire on a demonstration, killing three people.", S.EXCESSIVE_FORCE),
        # violent demonstration: stones, torching, rioting
        ("Protesters threw stones at police and torched a bus during the demonstration.",
         S.VIOLENT_DEMONSTRATION),
        ("Demonstrators torched tyres during a protest in Lima.", S.VIOLENT_DEMONSTRATION),
        ("Demonstrators threw stones at police in Lima.", S.VIOLENT_DEMONSTRATION),
        ("Rioters torched a police station after the protest turned violent.", S.VIOLENT_DEMONSTRATION),
        # "protesters" / "demonstrators" alone make the protest context: ACLED's rules still apply
        ("Police fired tear gas at protesters in central Nairobi.", S.PROTEST_WITH_INTERVENTION),
        ("Police arrested 20 protesters outside parliament.", S.PROTEST_WITH_INTERVENTION),
        ("Police used live ammunition against protesters in the capital.", S.EXCESSIVE_FORCE),
        ("Soldiers opened fire on demonstrators, killing three.", S.EXCESSIVE_FORCE),
    ],
)
def test_demonstrations(sentence, expected):
    assert classify(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("An airstrike hit a market in the north of the province.", S.AIR_DRONE_STRIKE),
        ("Drones struck a fuel depot outside the city.", S.AIR_DRONE_STRIKE),
        ("An IED exploded under a military vehicle on the main road.", S.REMOTE_EXPLOSIVE),
        ("A roadside bomb killed two soldiers near the border.", S.REMOTE_EXPLOSIVE),  # explosion over attack
        ("Heavy shelling hit residential areas of the city overnight.", S.SHELLING),
        ("Rebels fired rockets at the airport.", S.SHELLING),
        ("A grenade was thrown into a crowded bar.", S.GRENADE),
        ("Soldiers clashed with rebels near the border on Monday.", S.ARMED_CLASH),
        ("Militants ambushed a patrol, killing four soldiers.", S.ARMED_CLASH),
        ("Fighting broke out between two armed groups in the valley.", S.ARMED_CLASH),
        ("Gunmen abducted three travellers on the highway.", S.ABDUCTION),
        ("Bandits kidnapped a priest from his parish.", S.ABDUCTION),
        ("Gunmen attacked a village, killing five civilians.", S.ATTACK),
        ("Unknown assailants shot dead a journalist outside his home.", S.ATTACK),
        ("The army recaptured the town from rebels.", S.GOV_REGAINS_TERRITORY),
        ("Rebels captured the town of Kitchanga.", S.NON_STATE_OVERTAKES_TERRITORY),
        ("Police arrested two opposition leaders at their homes.", S.ARRESTS),
        ("The government released 70 detainees on Friday.", S.AGREEMENT),
        ("The government freed 40 political prisoners.", S.AGREEMENT),
        ("Rebels released 12 hostages near Goma.", S.AGREEMENT),
        ("The two sides signed a ceasefire agreement.", S.AGREEMENT),
    ],
)
def test_violence_and_strategic_developments(sentence, expected):
    assert classify(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Rights groups called for the release of the detained journalists.",
        "The authorities should release all political prisoners.",
        "Lawyers urged the court to release the activists.",
        "No one was arrested during the march.",
        "Nobody was arrested.",
        "Police did not arrest anyone.",
        "Villagers fear an attack by bandits.",
        "The army must stop the shelling of civilian areas.",
        "The opposition threatened to protest next week.",
        "The ministry released a statement on Monday.",
        "The weather was sunny and markets were busy.",
    ],
)
def test_non_events_yield_no_trigger(sentence):
    assert triggers(sentence) == ()
    assert classify(sentence) is None


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The weather was sunny and markets were busy.", False),
        ("Parliament debated the budget on Tuesday.", False),
        ("Police arrested two men.", True),
        ("No one was arrested.", True),  # the cheap pre-filter does not look at negation
    ],
)
def test_has_trigger_prefilter(sentence, expected):
    assert has_trigger(sentence) is expected


def test_trigger_spans_point_at_the_trigger_word():
    sentence = "Gunmen abducted three travellers on the highway."
    (trigger,) = triggers(sentence)
    assert sentence[trigger.start : trigger.end] == "abducted"


def test_only_the_negated_trigger_is_dropped():
    sentence = "Police arrested five men, but no one was injured."
    assert {t.sub_event_type for t in triggers(sentence)} == {S.ARRESTS}


def test_precedence_decides_between_triggers_without_a_parse():
    sentence = "The authorities released 30 people who had been arrested in March."
    found = triggers(sentence)
    assert {t.sub_event_type for t in found} == {S.ARRESTS, S.AGREEMENT}
    assert choose(sentence, found).sub_event_type is S.ARRESTS


def test_shallowest_trigger_in_the_parse_wins():
    sentence = "The authorities released 30 people who had been arrested in March."
    found = triggers(sentence)
    depth = {t.start: 0 if t.sub_event_type is S.AGREEMENT else 3 for t in found}
    chosen = choose(sentence, found, depth)
    assert chosen.sub_event_type is S.AGREEMENT
    assert sentence[chosen.start : chosen.end] == "released"


def test_choose_without_triggers():
    assert choose("Parliament debated the budget.", []) is None


@pytest.mark.parametrize(
    "sentence, sub, present, expected",
    [
        ("Soldiers clashed with rebels and rioters threw stones.", S.ARMED_CLASH,
         {S.ARMED_CLASH, S.VIOLENT_DEMONSTRATION}, S.VIOLENT_DEMONSTRATION),
        ("Soldiers clashed with rebels near the border.", S.ARMED_CLASH, {S.ARMED_CLASH}, S.ARMED_CLASH),
        ("Police fired tear gas at a protest.", S.PEACEFUL_PROTEST, {S.PEACEFUL_PROTEST},
         S.PROTEST_WITH_INTERVENTION),
        ("Police shot dead a man at a protest.", S.ATTACK, {S.ATTACK, S.PEACEFUL_PROTEST}, S.EXCESSIVE_FORCE),
        ("Gunmen attacked a village.", S.ATTACK, {S.ATTACK}, S.ATTACK),
        ("An airstrike hit a protest camp.", S.AIR_DRONE_STRIKE, {S.AIR_DRONE_STRIKE, S.PEACEFUL_PROTEST},
         S.AIR_DRONE_STRIKE),
    ],
)
def test_refine(sentence, sub, present, expected):
    assert refine(sentence, sub, present) is expected


def test_the_month_of_march_is_not_a_protest_march() -> None:
    """"On 3 March" is neither an event word nor a crowd: a model sure of a protest needs a real cue."""
    from extraction.classify import candidate, decide

    sure = {sub: 0.01 for sub in S}
    sure[S.PEACEFUL_PROTEST] = 0.9
    assert not candidate("On 3 March 2021, the council met in early March to review the budget.")
    assert decide("On 3 March 2021, relatives gathered at the hospital gate.", None, sure) is None
    assert decide("On 3 March 2021, nurses held a march to the ministry.", None, sure) is not None


def test_against_negates_only_the_event_it_is_the_object_of() -> None:
    """ "marched against the police killing" is not a killing; a beating after a long "against ..." clause is."""
    assert S.ATTACK not in {t.sub_event_type for t in triggers("Residents marched against the police killing.")}
    beaten = ("Men turned away at a checkpoint set up against the coronavirus proceeded to beat people at the "
              "entrance.")
    assert S.ATTACK in {t.sub_event_type for t in triggers(beaten)}


def test_a_gathering_that_condemns_or_petitions_is_a_protest_and_theft_may_be_looting() -> None:
    """Without the word "protest", people gathered to condemn or to press for something are demonstrating;
    "stolen" is an event word the model may confirm as looting."""
    from extraction.classify import decide

    protest = {sub: 0.01 for sub in S}
    protest[S.PEACEFUL_PROTEST] = 0.9
    coded = decide("Supporters gathered in the square and condemned the arrest of their leader.", None, protest)
    assert coded is not None and coded.sub_event_type is S.PEACEFUL_PROTEST
    assert decide("Relatives gathered in the square for the wedding.", None, protest) is None
    looting = {sub: 0.01 for sub in S}
    looting[S.LOOTING] = 0.9
    assert decide("Forty head of cattle were stolen from a farm overnight.", None, looting) is not None


def test_weapons_found_or_seized_are_a_seizure_not_an_attack_with_them():
    from extraction.classify import triggers

    for text in ("Troops seized four rifles, two mortars and several grenades at the rebel camp.",
                 "Two rifles, five grenades and a box of dynamite were found in the house."):
        assert {t.sub_event_type for t in triggers(text)} == {S.DISRUPTED_WEAPONS}, text
    for text in ("Rebels hurled grenades at the patrol and police later found their car.",
                 "Police recovered the body of a guard killed by a grenade."):
        assert S.GRENADE in {t.sub_event_type for t in triggers(text)}, text
