#!/usr/bin/env python3
"""Build extraction/data/actors.json: ACLED's actor naming, learned from the training files' actor columns.

    uv run python scripts/build_actor_lexicon.py [--data ../shared/data] [--out extraction/data/actors.json]

What it derives (names and counts only; no event rows, no note text):

* ``state``: per country, the state-force names ACLED uses ("Police Forces of Kenya (2013-)", "Military
  Forces of Russia (2000-) Air Force") with their regime years and sub-units, so the coder can write the name
  that was current in the event's year, and whether ACLED writes the country with "the".
* ``templates``: the country-qualified naming patterns ("Protesters ({c})", "Civilians ({c})",
  "Unidentified Armed Group ({c})", "Fulani Ethnic Militia ({c})", ...), counted by column: ACLED uses some
  as actor1/actor2 and others ("Students ({c})", "Labour Group ({c})") only as associated actors.
* ``groups``: named groups seen at least MIN_GROUP times as actor1/actor2, with aliases derived from the
  name ("JNIM: Group for Support of Islam and Muslims" -> "JNIM", "Group for Support of Islam and Muslims")
  plus a few well-known aliases written by hand (HAND_ALIASES), and an inter code.

The training bundle has no inter columns, so inter codes come from the name (inter_of_name); where a file
has inter1/inter2 (acled_usa_2020.csv) the script prints how often the inferred code agrees.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
FILES = ("acled_training_bundle.csv", "acled_usa_2020.csv", "acled_bangladesh_2022_2024.csv")
PRIMARY = ("actor1", "actor2")
ASSOCIATED = ("assoc_actor_1", "assoc_actor_2")
MIN_GROUP = 3  # a named group must be seen this often as actor1/actor2 to be kept
MIN_TEMPLATE = 3

# Countries ACLED writes with "the" that the training files may not show ("Military Forces of the Philippines").
HAND_WITH_THE = {"Philippines", "Netherlands", "Republic of Congo", "United Arab Emirates", "Czech Republic",
                 "Dominican Republic", "Central African Republic", "Democratic Republic of Congo", "United States",
                 "United Kingdom"}
STATE = re.compile(r"^(?P<kind>Police Forces|Military Forces|Government) of (?P<the>the )?(?P<country>.+?) "
                   r"\((?P<start>\d{4})-(?P<end>\d{4})?\)(?: (?P<unit>.+))?$")
QUALIFIED = re.compile(r"^(?P<head>.+?) \((?P<country>[^()]+)\)$")

# Well-known groups and their usual names in the news; kept even when the training files see them rarely,
# because the coder meets them worldwide. name -> (inter, aliases, countries it is limited to; [] = anywhere).
HAND_GROUPS: dict[str, tuple[int, list[str], list[str]]] = {
    "Al Shabaab": (2, ["Al Shabaab", "Al-Shabaab", "Al Shabab", "Al-Shabab", "Shabaab"], []),
    "Taliban": (2, ["Taliban"], []),
    "Islamic State (Afghanistan)": (2, ["Islamic State Khorasan", "ISKP", "IS-K", "ISIS-K", "Islamic State",
                                        "ISIS", "IS"], ["Afghanistan"]),
    "Islamic State (West Africa)": (2, ["ISWAP", "Islamic State West Africa", "Islamic State in West Africa",
                                        "Islamic State", "ISIS", "IS"], ["Nigeria", "Chad", "Cameroon"]),
    "Islamic State (Greater Sahara)": (2, ["ISGS", "Islamic State in the Greater Sahara", "Islamic State",
                                           "Islamic State Greater Sahara", "ISIS", "IS"],
                                       ["Burkina Faso", "Mali", "Niger"]),
    "Islamic State (Sahel)": (2, ["Islamic State Sahel", "Islamic State Sahel Province"], []),
    "Islamic State (Syria)": (2, ["Islamic State", "ISIS", "ISIL", "IS", "Daesh"], ["Syria"]),
    "Islamic State (Iraq)": (2, ["Islamic State", "ISIS", "ISIL", "IS", "Daesh"], ["Iraq"]),
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad": (2, ["Boko Haram"], []),
    "Military Forces of Yemen (2016-) Supreme Political Council": (1, ["Houthis", "Houthi", "Ansar Allah",
                                                                        "Houthi rebels", "Houthi forces"], []),
    "Hamas Movement": (2, ["Hamas"], []),
    "Hezbollah": (3, ["Hezbollah", "Hizbollah", "Hizballah"], []),
    "ELN: National Liberation Army": (2, ["ELN"], ["Colombia", "Venezuela"]),
    "FARC Dissident Faction": (2, ["FARC dissidents", "FARC dissident", "FARC"], []),
    "NPA: New People's Army": (2, ["NPA", "New People's Army", "New Peoples Army"], ["Philippines"]),
    "M23: March 23 Movement": (2, ["M23", "March 23 Movement"], []),
    "PKK: Kurdistan Workers Party": (2, ["PKK", "Kurdistan Workers Party", "Kurdistan Workers' Party"], []),
    "TTP: Tehreek-i-Taliban Pakistan": (2, ["TTP", "Tehreek-e-Taliban", "Tehrik-i-Taliban", "Pakistani Taliban"],
                                        []),
    "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)": (
        2, ["JNIM and/or ISGS", "JNIM and/or IS", "JNIM or ISGS", "JNIM or IS"], ["Burkina Faso", "Mali", "Niger"]),
    "JNIM: Group for Support of Islam and Muslims": (2, ["JNIM", "Jama'at Nusrat al-Islam wal-Muslimin",
                                                         "Jamaat Nusrat al-Islam wal Muslimin"], []),
    "ADF: Allied Democratic Forces": (2, ["ADF", "Allied Democratic Forces"], []),
    "HTS: Hayat Tahrir al Sham": (2, ["HTS", "Hayat Tahrir al-Sham", "Hayat Tahrir al Sham", "Tahrir al-Sham"], []),
    "QSD: Syrian Democratic Forces": (2, ["SDF", "Syrian Democratic Forces", "QSD"], []),
    "Wagner Group": (8, ["Wagner Group", "Wagner mercenaries", "Wagner forces", "Wagner"], []),
    "NAF: United Armed Forces of Novorossiya": (2, ["Donetsk People's Militia", "Luhansk People's Militia",
                                                    "Donbass People's Militia", "LPR forces", "DPR forces",
                                                    "pro-Russian separatists", "separatists"], ["Ukraine"]),
    "CODECO: Cooperative for the Development of Congo": (4, ["CODECO"], []),
    "LTTE: Liberation Tigers of Tamil Eelam": (2, ["LTTE", "Tamil Tigers", "Liberation Tigers of Tamil Eelam"], []),
    "AA: Arakan Army": (2, ["Arakan Army"], []),
    "AQAP: Al Qaeda in the Arabian Peninsula": (2, ["AQAP", "Al Qaeda in the Arabian Peninsula",
                                                    "Al-Qaeda in the Arabian Peninsula"], []),
    "Islamic State (Yemen)": (2, ["Islamic State", "ISIS", "IS"], ["Yemen"]),
    "CPI (Maoist): Communist Party of India (Maoist)": (2, ["Maoists", "Maoist rebels", "Naxals", "Naxalites",
                                                            "CPI (Maoist)"], ["India"]),
    "Anti-Balaka": (4, ["Anti-Balaka", "anti-balaka"], ["Central African Republic"]),
    "TPNPB: West Papua National Liberation Army": (2, ["TPNPB", "West Papua National Liberation Army", "OPM",
                                                       "Free Papua Movement", "KKB"], ["Indonesia"]),
}
# State forces the news names by an acronym or proper name: alias -> (ACLED name without regime years, the
# countries where the alias counts). The coder adds the regime years the lexicon knows.
HAND_STATE_ALIASES: dict[str, tuple[str, list[str]]] = {
    "ANSF": ("Military Forces of Afghanistan", ["Afghanistan"]),
    "ANDSF": ("Military Forces of Afghanistan", ["Afghanistan"]),
    "Afghan National Army": ("Military Forces of Afghanistan", ["Afghanistan"]),
    "Afghan National Police": ("Police Forces of Afghanistan", ["Afghanistan"]),
    "FARDC": ("Military Forces of Democratic Republic of Congo", ["Democratic Republic of Congo"]),
    "FAMa": ("Military Forces of Mali", ["Mali"]),
    "FACA": ("Military Forces of Central African Republic", ["Central African Republic"]),
    "Somali National Army": ("Military Forces of Somalia", ["Somalia"]),
    "SNA": ("Military Forces of Somalia", ["Somalia"]),
    "Syrian Arab Army": ("Military Forces of Syria", ["Syria"]),
    "Tatmadaw": ("Military Forces of Myanmar", ["Myanmar"]),
    "IDF": ("Military Forces of Israel", ["Israel", "Palestine", "Lebanon", "Syria"]),
    "Israel Defense Forces": ("Military Forces of Israel", []),
    "Armed Forces of the Philippines": ("Military Forces of Philippines", ["Philippines"]),
    "Philippine National Police": ("Police Forces of Philippines", ["Philippines"]),
    "PNP": ("Police Forces of Philippines", ["Philippines"]),
    "Operation Restoring Hope": ("Operation Restoring Hope", ["Yemen"]),
    "Saudi-led coalition": ("Operation Restoring Hope", ["Yemen"]),
    "Arab coalition": ("Operation Restoring Hope", ["Yemen"]),
    "coalition warplanes": ("Operation Restoring Hope", ["Yemen"]),
    "coalition aircraft": ("Operation Restoring Hope", ["Yemen"]),
    "coalition forces": ("Operation Restoring Hope", ["Yemen"]),
    "Hadi forces": ("Military Forces of Yemen", ["Yemen"]),
    "pro-Hadi forces": ("Military Forces of Yemen", ["Yemen"]),
}

# Aliases too short or too common to match on their own.
STOP_ALIASES = {"al", "gm", "mo", "no", "pp", "ab", "gf", "ga", "jp", "sm", "dem", "gop", "bu", "pc", "wtp", "ars",
                "party", "group", "movement", "league", "front", "union", "army", "people", "force", "forces",
                "democratic party", "republican party", "labour party", "national party", "militia"}

# Inter codes from ACLED's naming: 1 state forces, 2 rebels, 3 political militia, 4 identity militia,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other. First match wins.
INTER_RULES: list[tuple[str, int]] = [
    (r"^Mutiny of", 2),
    (r"^(?:Police Forces|Military Forces|Government) of|^Police Forces \(|^Military Forces \(", 1),
    (r"^Rioters\b", 5),
    (r"^Protesters\b", 6),
    (r"^(?:Civilians|Migrants|Refugees|Prisoners|Journalists|Health Workers|Farmers|Students|Teachers|Women|"
     r"Labou?r Group|Lawyers|Fishers|Traders|Cattle Traders)\b", 7),
    (r"Ethnic Militia|Communal Militia|Clan Militia|Tribal Militia|Ethnic Group|Caste Group|Tribal Group|"
     r"Religious Group|Muslim Group|Christian Group|Hindu Group|Buddhist Group|Koglweogo|Dozo|Vigilante|"
     r"Local Defense Forces", 4),
    (r"^(?:Private Security Forces|Wagner Group|Global Coalition|Operation Restoring Hope|UN|MONUSCO|MINUSMA|"
     r"MINUSCA|UNMISS|AMISOM|UNIFIL)\b:?|^United Nations|Contractors", 8),
    (r"Islamic State|\bJNIM\b|Al Shabaab|Taliban|Boko Haram|Jihad|Mujahid|Liberation Army|Liberation Front|"
     r"Independence Army|Independence Organization|National Union|Novorossiya|Coalition of Patriots|"
     r"Ansaroul Islam|Katiba|Rebels|Revolutionary Army|People's Army|People's Defense Force|Defense Force|"
     r"Civil Guerrilla|Ansharut|Mujahidin|Arakan Army|Syrian Democratic Forces|Hamas|PKK|Union for Peace|"
     r"Liberation Tigers|Movements of the Azawad|Permanent Strategic Framework|Rapid Support Forces|"
     r"Special Forces|Revolution Army|Revolution Front|Pyu Saw Htee|Phoenix Organization", 2),
]
_INTER_RULES = [(re.compile(p), i) for p, i in INTER_RULES]


def inter_of_name(name: str) -> int:
    """ACLED inter code of an actor name, from its naming pattern; named groups default to 3."""
    return next((i for p, i in _INTER_RULES if p.search(name)), 3)


def read_names(data: Path) -> pl.DataFrame:
    """Every actor name in the training files: (name, column, event country, inter if the file has it)."""
    frames = []
    for file in FILES:
        path = data / file
        if not path.exists():
            continue
        raw = pl.read_csv(path, infer_schema_length=0)
        raw = raw.rename({c: c.lower() for c in raw.columns})
        for col in PRIMARY + ASSOCIATED:
            if col not in raw.columns:
                continue
            inter_col = {"actor1": "inter1", "actor2": "inter2"}.get(col)
            inter = pl.col(inter_col) if inter_col in raw.columns else pl.lit(None, pl.String)
            frames.append(raw.select(name=pl.col(col).str.split("; "), column=pl.lit(col), country="country",
                                     inter=inter).explode("name"))
    names = pl.concat(frames).with_columns(pl.col("name").str.strip_chars())
    return names.filter(pl.col("name").is_not_null() & (pl.col("name") != "") & (pl.col("name") != "NA"))


def state_forces(names: pl.DataFrame) -> dict:
    """country -> list of state-force names with kind, regime years, unit and count."""
    out: dict[str, list[dict]] = defaultdict(list)
    the: set[str] = set()
    counts = Counter(names.filter(pl.col("column").is_in(PRIMARY))["name"].to_list())
    for name, n in sorted(counts.items()):
        m = STATE.match(name)
        if not m:
            continue
        if m["the"]:
            the.add(m["country"])
        out[m["country"]].append({"name": name, "kind": m["kind"], "from": int(m["start"]),
                                  "to": int(m["end"]) if m["end"] else None, "unit": m["unit"], "n": n})
    return {"with_the": sorted(the | HAND_WITH_THE), "forces": {c: sorted(v, key=lambda e: (-e["n"], e["name"]))
                                                for c, v in sorted(out.items())}}


def templates(names: pl.DataFrame) -> list[dict]:
    """Country-qualified naming patterns with how often ACLED uses each as a primary or associated actor."""
    qualified = names.with_columns(head=pl.col("name").str.extract(QUALIFIED.pattern, 1),
                                   of=pl.col("name").str.extract(QUALIFIED.pattern, 2)).drop_nulls("head")
    qualified = qualified.filter(pl.col("of") == pl.col("country"))  # "(X)" is the event's country
    agg = (qualified.group_by("head")
           .agg(primary=pl.col("column").is_in(PRIMARY).sum(), associated=pl.col("column").is_in(ASSOCIATED).sum())
           .filter(pl.col("primary") + pl.col("associated") >= MIN_TEMPLATE)
           .sort("primary", "associated", "head", descending=[True, True, False]))
    return [{"template": f"{r['head']} ({{c}})", "inter": inter_of_name(r["head"]), "primary": r["primary"],
             "associated": r["associated"]} for r in agg.iter_rows(named=True)]


def aliases_of(name: str) -> list[str]:
    """Names a group goes by in text, derived from ACLED's "ACR: Long Name" / "A/B: Name A/Name B" form.
    A qualified name ("Islamic State (Sahel)") gives no alias: its bare head names other branches too."""
    if QUALIFIED.match(name):
        return []
    out = []
    if ": " in name:
        acronyms, long = name.split(": ", 1)
        out += acronyms.split("/")
        out += long.split("/") if long.count("/") == acronyms.count("/") else [long]
    else:
        out += [name, re.sub(r" (?:Movement|Group)$", "", name)]
    out += [re.sub(r" - .*$", "", a) for a in out]
    return _unique(a for a in out if a.lower() not in STOP_ALIASES and len(a) >= 3)


def _unique(aliases) -> list[str]:
    """Aliases without case-insensitive duplicates, sorted."""
    seen: dict[str, str] = {}
    for a in aliases:
        seen.setdefault(a.strip().lower(), a.strip())
    return sorted(a for a in seen.values() if a)


def groups(names: pl.DataFrame) -> list[dict]:
    """Named groups (not state forces, not country-qualified patterns) seen as actor1/actor2, with the countries
    of their events: a group learned from a few countries' data is matched only in those countries."""
    primary = names.filter(pl.col("column").is_in(PRIMARY))
    counts = Counter(primary["name"].to_list())
    where: dict[str, set[str]] = defaultdict(set)
    for name, country in primary.select("name", "country").unique().iter_rows():
        where[name].add(country)
    found: dict[str, dict] = {}
    for name, n in counts.items():
        if n < MIN_GROUP or STATE.match(name) or " and/or " in name or name.startswith(
                ("Unidentified", "Sole Perpetrator", "Military Forces", "Police Forces", "Government")):
            continue
        if QUALIFIED.match(name) and not name.startswith("Islamic State"):
            continue
        found[name] = {"name": name, "inter": inter_of_name(name), "n": n, "aliases": aliases_of(name),
                       "countries": sorted(where[name])}
    for name, (inter, extra, countries) in HAND_GROUPS.items():
        entry = found.setdefault(name, {"name": name, "n": counts.get(name, 0), "aliases": aliases_of(name)})
        entry.update(inter=inter, aliases=_unique([*entry["aliases"], *extra]), countries=countries)
    for alias, (name, countries) in HAND_STATE_ALIASES.items():
        entry = found.setdefault(name, {"name": name, "n": counts.get(name, 0), "aliases": [],
                                        "inter": inter_of_name(name), "countries": countries})
        entry["aliases"] = _unique([*entry["aliases"], alias])
        entry["countries"] = sorted(set(entry["countries"]) | set(countries)) if entry["countries"] else []
    # An alias shared by several groups of the same countries belongs to the most frequent one.
    owner: dict[tuple[str, tuple[str, ...]], str] = {}
    for entry in sorted(found.values(), key=lambda e: (-e["n"], e["name"])):
        for alias in entry["aliases"]:
            owner.setdefault((alias.lower(), tuple(entry["countries"])), entry["name"])
    for entry in found.values():
        entry["aliases"] = [a for a in entry["aliases"] if owner[a.lower(), tuple(entry["countries"])] == entry["name"]]
    return sorted(found.values(), key=lambda e: (-e["n"], e["name"]))


def check_inter(names: pl.DataFrame) -> str:
    """Agreement of inter_of_name with the inter codes of the files that have them."""
    known = names.filter(pl.col("inter").is_not_null() & pl.col("inter").str.contains(r"^\d$"))
    if known.is_empty():
        return "no inter columns to check against"
    ok = sum(inter_of_name(n) == int(i) for n, i in known.select("name", "inter").iter_rows())
    return f"inferred inter agrees with the file's inter code on {ok}/{known.height} actor mentions"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "extraction" / "data" / "actors.json")
    args = ap.parse_args()
    names = read_names(args.data)
    lexicon = {
        "about": "ACLED actor naming derived by scripts/build_actor_lexicon.py from the actor columns of "
                 f"{', '.join(FILES)} (names and counts only). Inter: 1 state forces, 2 rebel group, "
                 "3 political militia, 4 identity militia, 5 rioters, 6 protesters, 7 civilians, 8 external/other.",
        "state": state_forces(names),
        "templates": templates(names),
        "groups": groups(names),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(lexicon, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(lexicon['state']['forces'])} countries' state forces, "
          f"{len(lexicon['templates'])} templates, {len(lexicon['groups'])} named groups")
    print(check_inter(names))


if __name__ == "__main__":
    main()
