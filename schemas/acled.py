"""ACLED vocabularies (codebook, October 2024): event types, sub-event types, inter codes, precisions."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DisorderType(StrEnum):
    POLITICAL_VIOLENCE = "Political violence"
    DEMONSTRATIONS = "Demonstrations"
    STRATEGIC = "Strategic developments"
    MIXED = "Political violence; Demonstrations"


class EventType(StrEnum):
    BATTLES = "Battles"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    STRATEGIC = "Strategic developments"


class SubEventType(StrEnum):
    ARMED_CLASH = "Armed clash"
    GOV_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_OVERTAKES_TERRITORY = "Non-state actor overtakes territory"
    PEACEFUL_PROTEST = "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "Protest with intervention"
    EXCESSIVE_FORCE = "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "Violent demonstration"
    MOB_VIOLENCE = "Mob violence"
    CHEMICAL_WEAPON = "Chemical weapon"
    AIR_DRONE_STRIKE = "Air/drone strike"
    SUICIDE_BOMB = "Suicide bomb"
    SHELLING = "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
    GRENADE = "Grenade"
    SEXUAL_VIOLENCE = "Sexual violence"
    ATTACK = "Attack"
    ABDUCTION = "Abduction/forced disappearance"
    AGREEMENT = "Agreement"
    ARRESTS = "Arrests"
    CHANGE_TO_GROUP = "Change to group/activity"
    DISRUPTED_WEAPONS = "Disrupted weapons use"
    HQ_ESTABLISHED = "Headquarters or base established"
    LOOTING = "Looting/property destruction"
    NON_VIOLENT_TERRITORY = "Non-violent transfer of territory"
    OTHER = "Other"


S, E = SubEventType, EventType

#: sub-event type -> its event type (ACLED's hierarchy).
EVENT_TYPE_OF: dict[SubEventType, EventType] = {
    S.ARMED_CLASH: E.BATTLES,
    S.GOV_REGAINS_TERRITORY: E.BATTLES,
    S.NON_STATE_OVERTAKES_TERRITORY: E.BATTLES,
    S.PEACEFUL_PROTEST: E.PROTESTS,
    S.PROTEST_WITH_INTERVENTION: E.PROTESTS,
    S.EXCESSIVE_FORCE: E.PROTESTS,
    S.VIOLENT_DEMONSTRATION: E.RIOTS,
    S.MOB_VIOLENCE: E.RIOTS,
    S.CHEMICAL_WEAPON: E.EXPLOSIONS,
    S.AIR_DRONE_STRIKE: E.EXPLOSIONS,
    S.SUICIDE_BOMB: E.EXPLOSIONS,
    S.SHELLING: E.EXPLOSIONS,
    S.REMOTE_EXPLOSIVE: E.EXPLOSIONS,
    S.GRENADE: E.EXPLOSIONS,
    S.SEXUAL_VIOLENCE: E.VIOLENCE_AGAINST_CIVILIANS,
    S.ATTACK: E.VIOLENCE_AGAINST_CIVILIANS,
    S.ABDUCTION: E.VIOLENCE_AGAINST_CIVILIANS,
    S.AGREEMENT: E.STRATEGIC,
    S.ARRESTS: E.STRATEGIC,
    S.CHANGE_TO_GROUP: E.STRATEGIC,
    S.DISRUPTED_WEAPONS: E.STRATEGIC,
    S.HQ_ESTABLISHED: E.STRATEGIC,
    S.LOOTING: E.STRATEGIC,
    S.NON_VIOLENT_TERRITORY: E.STRATEGIC,
    S.OTHER: E.STRATEGIC,
}

#: event type -> disorder type.
DISORDER_TYPE_OF: dict[EventType, DisorderType] = {
    E.BATTLES: DisorderType.POLITICAL_VIOLENCE,
    E.EXPLOSIONS: DisorderType.POLITICAL_VIOLENCE,
    E.VIOLENCE_AGAINST_CIVILIANS: DisorderType.POLITICAL_VIOLENCE,
    E.RIOTS: DisorderType.POLITICAL_VIOLENCE,
    E.PROTESTS: DisorderType.DEMONSTRATIONS,
    E.STRATEGIC: DisorderType.STRATEGIC,
}

#: ACLED's precedence when one report fits several sub-types: earlier wins (violence over protest,
#: protest over strategic developments), following the codebook's ordering guidance.
PRECEDENCE: tuple[SubEventType, ...] = (
    S.CHEMICAL_WEAPON, S.SUICIDE_BOMB, S.AIR_DRONE_STRIKE, S.SHELLING, S.REMOTE_EXPLOSIVE, S.GRENADE,
    S.GOV_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY, S.ARMED_CLASH,
    S.MOB_VIOLENCE, S.SEXUAL_VIOLENCE, S.ABDUCTION, S.ATTACK,
    S.EXCESSIVE_FORCE, S.VIOLENT_DEMONSTRATION, S.PROTEST_WITH_INTERVENTION,
    S.PEACEFUL_PROTEST,
    S.LOOTING, S.DISRUPTED_WEAPONS, S.ARRESTS, S.AGREEMENT, S.NON_VIOLENT_TERRITORY,
    S.HQ_ESTABLISHED, S.CHANGE_TO_GROUP, S.OTHER,
)


class Inter(IntEnum):
    """ACLED actor categories (inter1 / inter2); 0 means no actor."""

    NONE = 0
    STATE_FORCES = 1
    REBEL_GROUP = 2
    POLITICAL_MILITIA = 3
    IDENTITY_MILITIA = 4
    RIOTERS = 5
    PROTESTERS = 6
    CIVILIANS = 7
    EXTERNAL_OTHER = 8


class TimePrecision(IntEnum):
    DAY = 1
    WEEK = 2
    MONTH = 3


class GeoPrecision(IntEnum):
    TOWN = 1
    NEAR_OR_PART = 2
    REGION = 3


class CountKind(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    ARRESTED = "arrested"
    DETAINED = "detained"
    RELEASED = "released"
    ABDUCTED = "abducted"
    DISPLACED = "displaced"
    PARTICIPANTS = "participants"


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    OVER = "over"
    UNDER = "under"


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's numeric interaction code: the two inter codes, smaller first (e.g. 1 and 6 -> 16)."""
    low, high = sorted((inter1, inter2))
    return high * 10 if low == 0 else low * 10 + high


#: ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
