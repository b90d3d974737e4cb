"""Sub-event classification of one sentence: trigger lexicon, ACLED precedence and context rules.

A sentence yields at most one sub-event type. Triggers that sit under a modal, a call or a negation
("called for the release", "should be freed", "no one was arrested") are not events. When spaCy's parse
is available the trigger closest to the root wins (so "the release of people who were detained" is a
release); ties go to ACLED's precedence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from extraction.caseless import Caseless, fold
from extraction.senses import blank
from schemas.acled import EVENT_TYPE_OF, PRECEDENCE, EventType, SubEventType

S = SubEventType

# An explosive named as the means of an act ("explosives were hurled at", "planted a bomb", "blew up a bus").
EXPLOSIVE_MEANS = (
    r"(?<!petrol )(?<!fire )(?<!gasoline )(?:bombs?|explosives?|dynamite|explosive charges?) (?:\w+ ){0,3}?"
    r"(?:(?:was|were|had been|have been) )?"
    r"(?:hurled|thrown|planted|placed|launched|detonated|set off|went off)|"
    r"(?:hurl(?:ed|ing)|thr(?:ew|own)|plant(?:ed|ing)|plac(?:ed|ing)|launch(?:ed|ing)|detonat(?:ed|ing)|set off|"
    r"us(?:ed|ing)) (?:\w+ ){0,3}?(?:bombs?|explosives?|dynamite)|bl(?:ew|own) up|(?<!air )(?<!aerial )bombed|"
    # "killed by a bomb", "destroyed with dynamite", "a dynamite attack", "the offices were dynamited"
    r"(?:by|with) (?:(?!petrol|fire|gasoline|molotov|incendiary|smoke|aerial|air|tear)[\w-]+ ){0,3}?"
    r"(?:bombs?|explosives?|dynamite|explosive (?:devices?|charges?))|"
    r"(?:dynamite|bomb|explosive|car[- ]bomb) (?:attacks?|explosions?|blasts?)|dynamited")

# What is released when a statement, not a person, is: "released a communique", "a letter released today".
_INFORMATION = (r"statements?|reports?|video|footage|figures|data|list|album|details|photos?|images?|information|"
                r"funds?|notes?|communiqu\w*|letters?|speech|text|documents?|bulletins?|messages?|declarations?|"
                r"studies|study|results|findings|tapes?|recordings?|records|names|budget|version|book|film")
_INFORMATION_BEFORE = re.compile(rf"\b(?:{_INFORMATION})[\s,—–-]+(?:\w+[\s,]+){{0,2}}$", re.I)

_PURPOSE_BEFORE = re.compile(r"\b(?:to|in)\s+$", re.I)

TRIGGERS: dict[SubEventType, str] = {
    S.CHEMICAL_WEAPON: r"chemical (?:weapons?|attack)|chlorine gas|sarin|mustard gas|nerve agent",
    S.SUICIDE_BOMB: r"suicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er)?s?|vest|car bomb)|blew (?:him|her)self up",
    S.AIR_DRONE_STRIKE: r"air ?strikes?|airstrikes?|air raids?|drone (?:strikes?|attacks?)|warplanes?|"
                        r"fighter jets?|(?:helicopter )?gunships?|aerial (?:bombardment|attack|strikes?)|"
                        r"drones? (?:struck|hit|attacked|targeted|exploded)|bombed from the air|"
                        r"(?:kamikaze|shahed|attack) drones?",
    S.SHELLING: r"shell(?:ed|ing|s)\b|artillery|mortars?|rockets?|missiles?|katyushas?|howitzers?|"
                r"multiple launch|mlrs|fired projectiles",
    S.REMOTE_EXPLOSIVE: r"\bieds?\b|improvised explosive|roadside bombs?|land ?mines?|car bombs?|vbied|"
                        r"explosive devices?|bombs? (?:exploded|went off|blasts?|attacks?|explosions?)|dynamite|"
                        r"explosive charges?|"
                        rf"{EXPLOSIVE_MEANS}|"
                        r"(?:mine|bomb) (?:explosion|blast)|booby.?trap|remotely detonated|"
                        r"explosions?|blasts?|detonated|exploded",
    S.GRENADE: r"(?<!propelled )(?<!rocket )grenades?",
    S.GOV_REGAINS_TERRITORY: r"(?:recaptured|retook|regained control|recovered control|liberated|reclaimed)",
    S.NON_STATE_OVERTAKES_TERRITORY: r"(?:captured|seized|overran|took (?:over|control of)) (?:the )?"
                                     r"(?:town|village|city|district|base|area|territory|control)",
    S.ARMED_CLASH: r"clash(?:ed|es|ing)?|exchanged? (?:of )?(?:fire|gunfire)|gun ?battles?|gun ?fights?|fire ?fights?|"
                   r"fighting|fought|battled?|ambush(?:ed)?|engaged|skirmish(?:es)?|offensive|"
                   r"repell?ed|repuls(?:ed|ing)|counter-?attack(?:ed|s)?|confrontations?|shoot-?outs?|"
                   r"attack(?:ed)? (?:on )?(?:an? |the |their )?(?:[\w-]+ ){0,3}(?:post|base|convoy|checkpoint|"
                   r"patrol|position|camp|station|outpost|barracks)s?",
    S.SEXUAL_VIOLENCE: r"rap(?:ed|e|ing)\b|gang-?raped|sexual(?:ly)? (?:assault(?:ed)?|abuse[d]?|violence|"
                       r"harass(?:ed|ment))",
    S.ABDUCTION: r"abduct(?:ed|ion|ions|s)?|kidnapp?(?:ed|ing|ings|s)?|forced(?:ly)? disappear(?:ed|ance)|"
                 r"taken hostage|held hostage|hostage-?taking|"
                 r"(?:took|taken|taking|take|takes|held|holding|hold|holds|seized|seizing|kept|keeping)\s+"
                 r"(?:[\w'’-]+\s+){0,5}?(?:as\s+)?hostages?|"
                 r"disappearance of|whereabouts (?:are|is|remain\w*) (?:still )?unknown",
    S.ATTACK: r"shot dead|gunned down|shot (?:and killed|at)|(?<!\bsuch )killed|murder(?:ed)?|stabbed|hacked|beheaded|"
              r"assassinat(?:ed|ion)|executed|beat(?:en)?(?: to death| up)?|assault(?:ed)?|attack(?:ed|s)?|"
              r"opened fire|found dead|bod(?:y|ies) (?:of|was|were)|shot(?! down)|injured|wounded|set (?:on )?fire to|"
              r"torched|lynched|tortur(?:ed|ing)|lashed|caned|flogged|whipped|kicked|humiliated|intimidated|"
              r"massacre[d]?|violence against|killings?",
    S.MOB_VIOLENCE: r"\bmobs?\b|lynch(?:ed|ing)?|mob justice|(?:crowd|villagers|residents|locals) "
                    r"(?:[a-z]+ ){0,3}(?:beat|lynched|attacked|dragged|stoned|set fire|torched|assaulted)",
    S.VIOLENT_DEMONSTRATION: r"riot(?:s|ed|ing|ers)?\b|rioters|pelted|threw (?:stones|rocks|petrol bombs|"
                             r"molotov)|stone[- ]pelting|vandali[sz]ed|burn(?:ed|t|ing) tyres",
    S.PEACEFUL_PROTEST: r"protest(?:s|ed|ers|ing)?\b|demonstrat(?:ion|ions|ors|ed|ing)\b|rall(?:y|ies|ied)\b|"
                        r"march(?:ed|es|ers)\b|marched|sit-?ins?|picket(?:ed|s)?|vigils?|"
                        r"went on strike|hunger strike|took to the streets|gathered (?:in front of|outside|"
                        r"at|in) .{0,40}(?:demand|against|call)|human chain|boycott(?:ed)?",
    S.LOOTING: r"loot(?:ed|ing)|ransack(?:ed)?|pillag(?:ed|ing)|arson(?:ists?)?|burn(?:ed|t) down|"
               r"(?:burn(?:ed|t)|set fire to) (?:down )?(?:the |a |an |his |her |their |several |\d+ )?"
               r"(?:houses?|homes?|shops?|vehicles?|cars?|trucks?|schools?|buildings?|property|church|mosque|office)|"
               r"destroyed (?:property|houses|homes|shops)|"
               r"demolish(?:ed)?|vandalism|seized (?:land|property)",
    S.DISRUPTED_WEAPONS: r"defused|seized (?:weapons|arms|explosives|ammunition)|(?:weapons|arms) cache|"
                         r"bomb disposal|intercepted|shot down|(?:discovered|found|recovered) (?:an? )?"
                         r"(?:ied|explosive|landmine|bomb)s?",
    S.ARRESTS: r"(?<!preventive )(?<!temporary )(?<!under )arrest(?:ed|s|ing)?\b(?! warrants?| orders?)|"
               r"detain(?:ed|s|ing)?\b|detentions?|taken into custody|rounded up|"
               r"apprehended|jailed|imprisoned|held (?:incommunicado|without charge)|remanded",
    S.AGREEMENT: rf"(?<!press )releas(?:ed|e|es|ing)\b(?! (?:a |an |the |its |their |his |her )?(?:\w+ )?"
                 rf"(?:{_INFORMATION}))|freed|frees|set free|freeing|"
                 r"pardon(?:ed|s)?|amnesty|ceasefire|cease-fire|truce|peace (?:deal|agreement|accord)|"
                 r"signed an? (?:agreement|accord|deal)|prisoner (?:swap|exchange)",
    S.CHANGE_TO_GROUP: r"(?:formed|launched|announced) (?:a )?new (?:group|coalition|alliance|armed group)|"
                       r"merged with|pledged allegiance|curfew|state of emergency|banned",
    S.HQ_ESTABLISHED: r"(?:established|set up|built) (?:a |an )?(?:new )?(?:base|headquarters|camp|outpost)",
    S.NON_VIOLENT_TERRITORY: r"withdrew from|withdrawn from|handed over (?:control|the town)|"
                             r"took over .{0,30}without (?:a )?fight|without resistance",
}
# Searched over lower-cased text (extraction.caseless): the same matches, several times faster than IGNORECASE.
_TRIGGER_RE = {k: Caseless(rf"\b(?:{v})\b") for k, v in TRIGGERS.items()}
_ANY_TRIGGER = Caseless(r"\b(?:" + "|".join(f"(?:{v})" for v in TRIGGERS.values()) + r")\b")
_RANK = {s: i for i, s in enumerate(PRECEDENCE)}

# Words shortly before a trigger that make it not a report of an event.
_NOT_EVENT_BEFORE = re.compile(
    r"\b(?:should|must|would|could|might|(?<!\d )(?-i:may)(?! \d)|will|shall|to be|needs? to|ought|"
    r"called for|calls? for|calling for|"
    r"urg(?:e|ed|es|ing)|demand(?:ed|s|ing)?|order(?:ed|s)? (?:the |his |her |their )?|warrants? for (?:the )?|"
    r"(?:years?|decades?) ago|press(?:ed|ing)? for|push(?:ed|ing)? for|appeal(?:ed|s)? for|"
    r"hope[sd]?|hoping|plan(?:s|ned)? to|threat(?:en(?:ed|s)?)? to|vow(?:ed|s)? to|promis(?:ed|es) to|"
    r"seek(?:s|ing)?|sought|wants? to|refus(?:ed|es|ing|e) to|offer(?:ed|s|ing)? to|intention of|decision to|"
    r"(?:willing|ready|prepared) to|negotiat\w+|warn(?:ed|s)? of|fear(?:s|ed)?|risk of|avoid|prevent(?:ed)?|"
    r"no one (?:was|were)|nobody|not|never|no|denied|deny|without|condemn(?:ed|s|ing)?|denounc(?:ed|es|ing)|"
    r"criticiz(?:ed|es)|defend(?:ed|s|ing)|reject(?:ed|s|ing)?|such|counted|documented|recorded|tally of|"
    r"the (?:total )?number of|if|unless|whether|rumou?rs? of|alleged plan|"
    r"anniversary of|in memory of|commemorat\w+)\b[^.;]{0,25}$"
    # "against the police killing"; not "against the virus proceeded to beat"
    r"|\bagainst\s+(?:the\s+)?(?:[\w'’-]+\s+){1,2}$",
    re.I,
)
# A trigger followed by a vague stretch of time is background, not an event ("killed in recent months").
_NOT_EVENT_AFTER = re.compile(r"^\s+(?:\w+\s+){0,3}(?:in recent (?:days|weeks|months|years)|over the (?:past|last) "
                              r"(?:\w+ )?(?:days|weeks|months|years)|since (?:19|20)\d\d|in previous years|"
                              r"(?:years?|decades?) ago)", re.I)
PROTEST_CONTEXT = re.compile(r"\b(?:protest(?:s|ed|ing|ers)?|demonstrat(?:ions?|ors|ed|ing)|marching|marchers|"
                             r"rall(?:y|ies|ied)|march(?:ed|es)|sit-?ins?|marched|picket|strike|took to the streets)\b",
                             re.I)
# Words that introduce what a protest is about: force or arrests named after them are its cause, not its outcome
# ("protested against the killing of", "demanding the release of a detained activist").
_CAUSE = re.compile(r"\b(?:against|over|in support of|in solidarity with|justice for|(?:death|killing|arrest|detention|"
                    r"release|shooting) of|in response to|demand\w*|denounc\w*|decr(?:y|ied|ying)|condemn\w*|accused|"
                    r"who (?:was|were|had been|got)|(?:after|following) (?:the|a|an|his|her|their))\b[^.;]{0,30}$",
                    re.I)


# "a man killed by police" (a participle after a noun) names the cause; "protesters were shot by police" an event.
_BY_AFTER = re.compile(r"^\s+(?:\w+\s+){0,2}by\b", re.I)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|got)\s+(?:\w+\s+)?$", re.I)


def _happening(pattern: re.Pattern, sentence: str) -> bool:
    """Does the pattern occur as something done at this event (not hypothetical, not the protest's cause)?"""
    for m in pattern.finditer(sentence):
        before = sentence[max(0, m.start() - 60) : m.start()]
        if _NOT_EVENT_BEFORE.search(before) or _CAUSE.search(before):
            continue
        if _BY_AFTER.match(sentence[m.end() :]) and not _PASSIVE_BEFORE.search(before):
            continue
        return True
    return False


# Arrests count as intervention when someone is arrested at the event, not "a detained activist" protested for.
_INTERVENTION = re.compile(
    r"\b(?:tear[- ]?gas|water cannons?|baton\w*|intervened|lathi\w*|rubber bullets|pellets|pepper spray|stun grenades?|"
    r"(?:police|forces|officers|troops|authorities|security|they)\s+(?:[a-z]+\s+){0,3}(?:dispersed|disperse|broke up|"
    r"arrested|detained|beat|hit|charged|removed|cleared|escorted|moved in)|"
    r"dispersed by (?:police|security|forces|officers)|"
    r"(?:were|was|been|being|got)\s+(?:\w+\s+)?(?:arrested|detained|dispersed|beaten)|"
    r"(?:arrested|detained)\s+(?:at least\s+|about\s+|around\s+|some\s+|over\s+)?(?:\d+|two|three|four|five|six|"
    r"seven|eight|nine|ten|several|dozens|hundreds|scores|many|some|a number|protesters|demonstrators|students)\b|"
    r"arrests)\b", re.I)
_LETHAL_FORCE = re.compile(r"\b(?:live (?:ammunition|rounds|bullets|fire)|opened fire|shot dead|killed|"
                           r"killing|fired (?:on|at|into)|shot)\b", re.I)
_PROTESTER_VIOLENCE = re.compile(r"\b(?:riot(?:ed|ing|s)?|rioters|threw (?:stones|rocks|petrol|molotov|bricks)|"
                                 r"pelted|stone[- ]pelting|torched|set (?:on )?fire|burn(?:ed|t|ing)|vandali[sz]ed|"
                                 r"clash(?:ed|es)|attacked (?:police|officers|a police)|damaged|smashed|"
                                 r"looted)\b", re.I)


@dataclass(frozen=True)
class Trigger:
    sub_event_type: SubEventType
    start: int
    end: int
    sharp: bool = False  # named outright (weapon, release, mob) or set by ACLED's protest rules


# Weapons found, seized or recovered ("troops seized five rifles and two grenades", "mortars and ammunition were
# found at the camp"): the weapon named is what was taken, not what was used; the seizure is the event.
_TAKEN = r"(?:seized|confiscated|recovered|found|discovered|captured|seizure of)"
_ARMS = (r"(?:weapons|arms|rifles?|guns?|grenades?|mortars?|rockets?|missiles?|shells|explosives?|dynamite|"
         r"ammunition|cartridges|bombs?|launchers?)(?![\s-]*(?:planters?|makers?|squads?|experts?|threats?))")
_USED = r"(?:explod\w*|blast|hurl\w*|thr(?:ew|own)|lobb\w*|fired|firing|attack\w*|detonat\w*|used|using|killed)"
_SEIZURE = re.compile(rf"\b{_TAKEN}\b(?=(?:(?!\b{_USED}\b)[^.;:]){{0,120}}?\b{_ARMS}\b)(?:(?!\b{_USED}\b)[^.;:])*"
                      rf"|\b{_ARMS}\b(?:(?!\b{_USED}\b)[^.;:]){{0,160}}?\b(?:was|were|have been|had been|has been)"
                      rf"\s+(?:\w+\s+)?{_TAKEN}\b", re.I)
_WEAPON_USE = {S.GRENADE, S.SHELLING, S.REMOTE_EXPLOSIVE}


@lru_cache(maxsize=8192)
def triggers(sentence: str) -> tuple[Trigger, ...]:
    """Every trigger in a sentence that is reported as happening (not called for, feared or denied).
    Cached: the coder asks once to choose what to parse and again to decide."""
    found = []
    seized = [(m.start(), m.end()) for m in _SEIZURE.finditer(sentence)]
    found.extend(Trigger(S.DISRUPTED_WEAPONS, a, b) for a, b in seized)
    folded = fold(sentence)
    for sub, pattern in _TRIGGER_RE.items():
        for m in pattern.finditer(sentence, folded):
            if sub in _WEAPON_USE and any(a <= m.start() < b for a, b in seized):
                continue  # "seized two grenades": a seizure, not a grenade attack
            before = sentence[max(0, m.start() - 60) : m.start()]
            if _NOT_EVENT_BEFORE.search(before) or _NOT_EVENT_AFTER.match(sentence[m.end() :]):
                continue
            if sub is S.AGREEMENT and _INFORMATION_BEFORE.search(before):
                continue  # "a communique released by the army", "the text of the speech, released tonight"
            if sub is S.PEACEFUL_PROTEST and _PURPOSE_BEFORE.search(before) and m.group().lower().startswith("protest"):
                continue  # "attacked the pipeline to protest the contract": the purpose of another act
            found.append(Trigger(sub, m.start(), m.end()))
    return tuple(found)


def has_trigger(sentence: str) -> bool:
    """Cheap pre-filter: could this sentence report an event at all? (One regex for every lexicon.)"""
    return bool(_ANY_TRIGGER.search(sentence))


def choose(sentence: str, found: list[Trigger], depth: dict[int, int] | None = None) -> Trigger | None:
    """The sentence's event: shallowest trigger in the parse (if given), then ACLED precedence;
    then ACLED's protest rules refine the type."""
    if not found:
        return None

    depth = depth or {}
    shallowest = min(depth.get(t.start, 0) for t in found)
    # Triggers buried deeper than one level below the main clause (relative clauses, "the news of the
    # release of people who were detained") do not compete; among the rest ACLED's precedence decides.
    main = [t for t in found if depth.get(t.start, 0) <= shallowest + 1]
    best = min(main, key=lambda t: (_RANK[t.sub_event_type], t.start))
    return Trigger(refine(sentence, best.sub_event_type, {t.sub_event_type for t in found}), best.start, best.end)


def refine(sentence: str, sub: SubEventType, present: set[SubEventType]) -> SubEventType:
    """ACLED's demonstration rules: force, intervention and violence change what a protest is."""
    protest = S.PEACEFUL_PROTEST in present and PROTEST_CONTEXT.search(sentence)
    if S.MOB_VIOLENCE in present and sub in (S.ATTACK, S.LOOTING, S.VIOLENT_DEMONSTRATION):
        return S.MOB_VIOLENCE
    if not protest:
        if sub is S.ARMED_CLASH and S.VIOLENT_DEMONSTRATION in present:
            return S.VIOLENT_DEMONSTRATION
        return sub
    if sub in (S.PEACEFUL_PROTEST, S.ARRESTS, S.ATTACK, S.ARMED_CLASH, S.VIOLENT_DEMONSTRATION, S.LOOTING,
               S.MOB_VIOLENCE):
        if _happening(_LETHAL_FORCE, sentence) and re.search(r"\b(?:police|security|soldiers|troops|forces|officers|"
                                                        r"army|military)\b", sentence, re.I):
            if not _PROTESTER_VIOLENCE.search(sentence) or re.search(r"live (?:ammunition|rounds|bullets|fire)",
                                                                      sentence, re.I):
                return S.EXCESSIVE_FORCE
        if _happening(_PROTESTER_VIOLENCE, sentence):
            return S.VIOLENT_DEMONSTRATION
        if _happening(_INTERVENTION, sentence):
            return S.PROTEST_WITH_INTERVENTION
        return S.PEACEFUL_PROTEST
    return sub


# Trigger words that name the weapon or the deal: where they occur ACLED's type is clear and the rule stands.
SHARP: dict[SubEventType, re.Pattern] = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in {
    S.CHEMICAL_WEAPON: TRIGGERS[S.CHEMICAL_WEAPON],
    S.SUICIDE_BOMB: TRIGGERS[S.SUICIDE_BOMB],
    S.AIR_DRONE_STRIKE: TRIGGERS[S.AIR_DRONE_STRIKE],
    S.SHELLING: r"shell(?:ed|ing)|artillery|mortars?|rockets?|missiles?|katyushas?|howitzers?|mlrs",
    S.REMOTE_EXPLOSIVE: r"\bieds?\b|improvised explosive|roadside bombs?|land ?mines?|car bombs?|vbied|"
                        r"explosive devices?|booby.?trap|remotely detonated|"
                        r"bombs? (?:exploded|went off|blasts?|attacks?|explosions?)|dynamite|explosive charges?|"
                        + EXPLOSIVE_MEANS,
    S.GRENADE: TRIGGERS[S.GRENADE],
    S.ABDUCTION: TRIGGERS[S.ABDUCTION],
    S.SEXUAL_VIOLENCE: TRIGGERS[S.SEXUAL_VIOLENCE],
    S.MOB_VIOLENCE: TRIGGERS[S.MOB_VIOLENCE],
    S.AGREEMENT: TRIGGERS[S.AGREEMENT],
}.items()}
# Words that may report an event the trigger lexicon misses ("fired at positions", "pillaged the village",
# "gathered at the ministry"): such a sentence is coded only when the model is confident.
WEAK_TRIGGER = Caseless(
    r"\b(?:fir(?:ed|ing)\b(?:[^.;]|\.\d){0,80}?\b(?:at|on|into|upon)|shots|captur(?:ed|ing)|bomb(?:s|ed|ing)?|explosives?|"
    r"fortif\w+|caches?|shooting|operations?|projectiles?|gunfire|gunmen|"
    r"downed|pillag\w*|heavy weapons|flares?|bl(?:ew|own) up|altercations?|scuffl\w+|brawls?|gunshots?|hurl(?:ed|ing)|"
    r"bursts?|siege|surrender\w*|hostages?|attacking|st(?:ole|olen|ealing)|rustl\w+|"
    r"burn(?:ed|t|ing)|set (?:on )?fire|damag(?:ed|ing)|destroy(?:ed|ing)|block(?:ed|ing|aded)|barricad\w+|"
    r"gather(?:ed|ing)|staged?|held an? |march|walk|strikes?|went (?:on|to) the streets?|occupied|stormed|"
    r"raid(?:ed|s)?|seiz(?:ed|ing)|hostilities|incursion|hit|struck|targeted|launched|denounc\w+|"
    r"expelled|evacuated|displaced|fled|deported|took over|entered|intercepted|killing|kills?|died|dead|"
    r"intervened|dispers\w+|tear[- ]?gas|participat\w+|took part|attended|joined|caravan|parade|procession|"
    r"motorcade|flotilla|lined|deploy\w*|redeploy\w*|moved|moving|drills|exercises|roadblocks?|checkpoints?|"
    r"recruit\w*|assembled|reinforcements?|patroll\w*|lockdown|quarantine|restrictions?|ban(?:s|ned)?|suspended)\b")
# Modals, calls, denials and conditionals: the model cannot overrule these.
_HARD_NOT_EVENT = re.compile(
    r"\b(?:should|must|would|could|might|will|shall|needs? to|ought|called for|calls? for|calling for|"
    r"urg(?:e|ed|es|ing)|"
    r"appeal(?:ed|s)? for|hope[sd]?|plan(?:s|ned)? to|threat(?:en(?:ed|s)?)? to|vow(?:ed|s)? to|promis(?:ed|es) to|"
    r"wants? to|warn(?:ed|s)? (?:of|that)|fear(?:s|ed)?|no one|nobody|never|denied|deny|if|unless|whether|"
    r"rumou?rs?|alleged plan|anniversary|in memory of|commemorat\w+|last year|years? ago|"
    r"frequently|often|usually|regularly|routinely|typically|tends? to)\b", re.I)  # habits are background
# How much a rule trigger adds to the model's probability of its type (a sharp one decides unless the
# model is very sure of another type), and how sure the model must be to code a sentence on its own.
# A demonstration needs a crowd: without one the model's protest types count for less ("hundreds were arrested,
# including activists" is an arrest, even though arrests in ACLED's notes mostly happen at protests).
# What a crowd does that says it is demonstrating, with no word for a protest ("burnt tires to demand power").
_CROWD_ACTS = (r"burn\w* (?:\w+ ){0,2}(?:tyres|tires)|cut off (?:the |a )?(?:roads?|streets?|highway)|"
               r"to demand|demanding")

_CROWD = re.compile(rf"\b(?:{_CROWD_ACTS}|protest\w*|demonstrat\w+|rall(?:y|ies|ied)|march\w*|sit-?ins?|"
                    r"picket\w*|strikes?|took to the streets|riot\w*|crowds?|gather(?:ed|ing)|block(?:ed|ing|ade)|"
                    r"barricad\w+|chant\w*|"
                    r"slogans?|placards?|banners?|demand(?:ed|ing)|denounc\w+|caravans?|processions?|parades?|"
                    r"motorcades?|vigils?|flotillas?|in (?:support|solidarity)|to (?:show )?support|to honou?r|"
                    r"intervened|dispers\w+|tear[- ]?gas)\b", re.I)
CROWD = _CROWD  # public: the coder's merge reads a crowd's words too
# Without a trigger the model's protest needs a word for one ("relatives gathered at the gate" is not a protest).
_PROTEST_CUE = re.compile(r"\b(?:protest\w*|demonstrat\w+|rall(?:y|ies|ied)|march\w*|sit-?ins?|picket\w*|strikes?|"
                          r"riot\w*|block(?:ed|ing|ade)|barricad\w+|chant\w*|slogans?|placards?|banners?|caravans?|"
                          rf"{_CROWD_ACTS}|dispers\w+|"
                          r"processions?|parades?|motorcades?|vigils?|flotillas?|(?:gathered|gathering|assembled|"
                          r"rallied|stood|convened|lined|took part|participated|rode|drove)\b.{0,150}\b(?:demand\w*|"
                          r"against|over|calling|support\w*|for justice|condemn\w*|denounc\w*|reject\w*|voiced|"
                          r"pressur\w*|petition\w*|to (?:call|denounce|condemn|protest|show|"
                          r"express|honou?r|mourn|remember|celebrate|raise awareness)|"
                          r"in (?:solidarity|memory|honou?r)))\b", re.I)
# A protest named as the purpose or outcome of another act ("resigned to protest the murder", "attacked pipelines
# to protest the contract", "price rises led to protests") or 'demonstrates' meaning 'shows': no crowd at this event.
_PURPOSE_PROTEST = re.compile(r"(?<![\w-])(?:to|in)\s+protest\w*|\bdemonstrat\w+\s+that\b", re.I)
_DEMONSTRATION = {S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION, S.EXCESSIVE_FORCE, S.VIOLENT_DEMONSTRATION}
NO_CROWD = 0.3
# Announced, planned or scheduled: not (yet) an event.
_PLANNED = re.compile(r"\b(?:(?:is|are|was|were|has been|have been) (?:\w+ )?(?:announced|planned|scheduled|expected)|"
                      r"(?:will|would|to) (?:be held|take place)|later (?:this|in the|next) (?:week|month|year))\b",
                      re.I)
# The model reads "dispersed" or "police" as intervention; ACLED wants the force or arrests to be reported.
_ESCALATION = {S.PROTEST_WITH_INTERVENTION, S.EXCESSIVE_FORCE}
ESCALATE_ALONE = 0.8
# ACLED codes an exchange that involves small arms as an armed clash, even when mortars were fired too.
_SMALL_ARMS = re.compile(r"\b(?:small arms|machine ?guns?|rifles?|gunfire|gun ?fights?|gun ?battles?|clash(?:ed|es)?|"
                         r"exchanged? (?:of )?fire)\b", re.I)
# A strategic development the model reads into a sentence that reports violence (no word of its own for it)
# must be this sure to replace the violence; "Other" never does.
STRATEGIC_BESIDE_VIOLENCE = 0.8
_VIOLENT_TYPES = {EventType.BATTLES, EventType.EXPLOSIONS, EventType.VIOLENCE_AGAINST_CIVILIANS, EventType.RIOTS}
RULE_BONUS = 0.35
SHARP_BONUS = 0.6
MODEL_ALONE = 0.5
# ... or sure that it is one of two types ("fired with unspecified weapons on positions": a clash or shelling).
MODEL_PAIR = 0.7
MODEL_PAIR_BEST = 0.35


# The category labels ACLED's coders open some notes with ("Movement of forces: On 3 May, ..."), with the
# sub-event type each stands for in the training files (labels seen 4+ times, 90%+ one type).
ACLED_LABELS = {
    S.OTHER: "displacement|other|non-violent activity|training|mass grave|strikes|coup/military takeover",
    S.CHANGE_TO_GROUP: "movement of forces|security measures|recruitment|change to armed group|"
                       "formation of armed group",
    S.LOOTING: "looting|property destruction|land seizure",
    S.DISRUPTED_WEAPONS: "interception|weapons seizure|defusal|detonation",
    S.ARRESTS: "arrests",
    S.AGREEMENT: "agreement",
    S.NON_VIOLENT_TERRITORY: "non-violent transfer of territory",
    S.HQ_ESTABLISHED: "headquarters or base established",
}
_LABEL = re.compile(r"^\s*(?:" + "|".join(f"(?P<{sub.name}>{words})" for sub, words in ACLED_LABELS.items())
                    + r")\s*:\s", re.I)


def labelled(sentence: str) -> Trigger | None:
    """The event an ACLED category label at the start of the sentence names."""
    m = _LABEL.match(sentence)
    if m is None:
        return None
    name = next(name for name, text in m.groupdict().items() if text)
    return Trigger(S[name], m.start(name), m.end(name), sharp=True)


# The month, not a protest march: "3 March", "3rd March", "March 2021", "in early March".
_MONTH_MARCH = Caseless(r"(?:(?<=\d )|(?<=\d\w\w ))march\b|\bmarch(?=,?\s+\d)|\b(?:in|early|late|mid|since|"
                        r"until|by|of|from|last|next|this|before|after)[\s-]+march\b")


def _no_month(sentence: str) -> str:
    """The sentence with the month March blanked out (same length, so offsets hold): each match ends in it."""
    folded = fold(sentence)
    if folded is not None and "march" not in folded:  # every match holds the word
        return sentence
    ends = [m.end() for m in _MONTH_MARCH.finditer(sentence, folded)]
    if not ends:
        return sentence
    pieces, last = [], 0
    for end in ends:
        pieces += [sentence[last : end - 5], " " * 5]
        last = end
    return "".join(pieces) + sentence[last:]


def candidate(sentence: str) -> bool:
    """Worth coding: a trigger, a weaker event word the model may confirm, or an ACLED label."""
    sentence = _no_month(sentence)
    return has_trigger(sentence) or bool(WEAK_TRIGGER.search(sentence)) or bool(_LABEL.match(sentence))


def decide(sentence: str, depth: dict[int, int] | None, probs: dict[SubEventType, float] | None,
           lead: bool = False, unreal: Sequence[tuple[int, int]] = ()) -> Trigger | None:
    """The sentence's event: rule triggers and the model's probabilities combined.

    Each type scores the model's probability, plus RULE_BONUS when a trigger of that type is reported in the
    sentence, plus SHARP_BONUS when it is named outright (an airstrike, an IED, a release); ACLED's protest
    rules then refine the winner. With no usable trigger, a confident model (sure of one type, or of a pair of
    types) codes the sentence when an event word is there and nothing marks it as hypothetical; a document's
    `lead` (its dated, placed report of a recent event, when no sentence was coded) needs no sure model.
    `unreal` are the spans of protest words the parse read as no protest ('demonstrates that', a strike called
    for; `extraction.senses`): no trigger of a demonstration on them, and no crowd."""
    if (label := labelled(sentence)) is not None:
        return label
    sentence = _no_month(sentence)
    found = _real(triggers(sentence), unreal)
    rule = choose(sentence, found, depth)
    if not probs:
        return rule
    unpurposed = _PURPOSE_PROTEST.sub(lambda m: " " * len(m.group()), blank(sentence, unreal))
    if not _CROWD.search(unpurposed):
        probs = {sub: p * NO_CROWD if sub in _DEMONSTRATION else p for sub, p in probs.items()}
    if rule is None:
        best, second = sorted(probs, key=probs.get, reverse=True)[:2]
        sure = lead or probs[best] >= MODEL_ALONE or (
            probs[best] >= MODEL_PAIR_BEST and probs[best] + probs[second] >= MODEL_PAIR)
        word = WEAK_TRIGGER.search(sentence) or next((p.search(sentence) for p in _TRIGGER_RE.values()
                                                      if p.search(sentence)), None)
        if not sure or word is None or _HARD_NOT_EVENT.search(sentence[: word.start()]) or (
                best in _DEMONSTRATION and not _PROTEST_CUE.search(unpurposed)) or _planned(sentence, word.start()):
            return None
        return Trigger(_unescalated(sentence, best, probs), word.start(), word.end())
    depth = depth or {}
    shallowest = min(depth.get(t.start, 0) for t in found)
    main = [t for t in found if depth.get(t.start, 0) <= shallowest + 1]
    present = {t.sub_event_type for t in main}
    sharp = {sub for sub in present if sub in SHARP and any(
        SHARP[sub].match(sentence, t.start) for t in main if t.sub_event_type is sub)}
    if _SMALL_ARMS.search(sentence):
        sharp.discard(S.SHELLING)
        if S.ARMED_CLASH in present:  # an exchange of fire where explosives were used too is a clash
            sharp.discard(S.REMOTE_EXPLOSIVE)
    if S.ATTACK in present:  # abducted and killed: ACLED codes the killing, the model weighs the account
        sharp.discard(S.ABDUCTION)
    if present == {S.ARRESTS}:  # an arrest and nothing else reported: the model's Arrests class is thin
        sharp.add(S.ARRESTS)
    score = {sub: p + RULE_BONUS * (sub in present) + SHARP_BONUS * (sub in sharp) for sub, p in probs.items()}
    best = max(score, key=lambda sub: (score[sub], -_RANK[sub]))
    violent = [sub for sub in present if EVENT_TYPE_OF[sub] in _VIOLENT_TYPES]
    if best in (S.ATTACK, S.ARMED_CLASH) and SHARP[S.REMOTE_EXPLOSIVE].search(sentence) and not (
            _SMALL_ARMS.search(sentence)):
        best = S.REMOTE_EXPLOSIVE  # the weapon named decides, even where the bombing is condemned or recalled
    if violent and EVENT_TYPE_OF[best] is EventType.STRATEGIC and best not in present and (
            best is S.OTHER or probs[best] < STRATEGIC_BESIDE_VIOLENCE):
        best = max(violent, key=lambda sub: (score[sub], -_RANK[sub]))  # the violence reported stands
    at = next((t for t in main if t.sub_event_type is best), rule)
    if _planned(sentence, at.start):
        return None
    refined = refine(sentence, best, {t.sub_event_type for t in found})
    if refined is not best and refined is not S.PEACEFUL_PROTEST:  # ACLED's protest rules found force
        return Trigger(refined, at.start, at.end, sharp=True)
    return Trigger(_unescalated(sentence, best, probs), at.start, at.end, sharp=best in sharp)


def _real(found: tuple[Trigger, ...], unreal: Sequence[tuple[int, int]]) -> tuple[Trigger, ...]:
    """The triggers, less those of a demonstration that hold a protest word the parse read as no protest."""
    if not unreal:
        return found
    return tuple(t for t in found if t.sub_event_type is not S.PEACEFUL_PROTEST
                 or not any(t.start <= a < t.end for a, _ in unreal))


def _planned(sentence: str, start: int) -> bool:
    """Is the event word at `start` announced or scheduled rather than reported ("marches were announced", "the
    march will begin at noon")?"""
    return bool(_PLANNED.search(sentence[start : start + 60]) or _FUTURE_AFTER.match(sentence, start))


# The event word is the subject of a future verb: "the strike will begin", "the rally is to end at the square".
_FUTURE_AFTER = re.compile(r"[\w-]+\s+(?:[\w-]+\s+){0,2}?(?:will|shall|(?:is|are) to|(?:is|are) going to)\s", re.I)


def _unescalated(sentence: str, sub: SubEventType, probs: dict[SubEventType, float]) -> SubEventType:
    """The model's intervention or excessive force stands when the force is reported, or when it is sure."""
    if sub in _ESCALATION and probs[sub] < ESCALATE_ALONE and not (
            _happening(_INTERVENTION, sentence) or _happening(_LETHAL_FORCE, sentence)):
        return S.PEACEFUL_PROTEST
    return sub
