"""Document-level place resolution on wire and lower-cased news: the dateline as the filing place, casing
that says nothing, and names that only look like towns."""

from __future__ import annotations

from extraction.clean import dateline
from extraction.gazetteer import scan
from extraction.places.document import document_place
from extraction.places.scan import _english_words


def test_a_wire_dateline_with_its_date_and_source_gives_the_filing_place():
    body = "THE POLICE SAID THAT TWO MEN WERE ARRESTED AFTER THE MARKET WAS SET ON FIRE LAST NIGHT."
    assert dateline([f"QUITO, 4 FEB 90 (EFE) -- [TEXT] {body}"]) == "Quito"
    assert dateline([f"Kampala, June 3 (Reuters) - {body}"]) == "Kampala"


def test_a_bracketed_country_after_the_dateline_town_names_its_country():
    body = "THE POLICE SAID THAT TWO MEN WERE ARRESTED AFTER THE MARKET WAS SET ON FIRE LAST NIGHT."
    assert dateline([f"SAN JOSE (COSTA RICA), 9 JUN 89 (ACAN) -- {body}"]) == "San Jose, Costa Rica"
    assert dateline([f"LAGOS (Reuters) - {body}"]) == "Lagos"  # an agency is not a country


def test_the_dateline_decides_when_the_text_names_no_other_country():
    text = "BOGOTA, 2 MAR 90 (AFP) -- UNIDENTIFIED MEN SHOT A JUDGE AS HE LEFT HIS HOUSE THIS MORNING."
    country, place, _ = document_place(text, dateline([text]))
    assert country.name == "Colombia"
    assert place.name == "Bogotá"


def test_a_story_filed_abroad_is_placed_where_its_text_says():
    text = ("MADRID, 2 MAR 90 (EFE) -- GUERRILLAS ATTACKED A POLICE POST IN MEDELLIN, AND SOLDIERS SEARCHED "
            "THE OUTSKIRTS OF CALI. COLOMBIAN OFFICIALS SAID TWO AGENTS DIED IN MEDELLIN.")
    country, place, _ = document_place(text, dateline([text]))
    assert country.name == "Colombia"
    assert place.country.name == "Colombia"


def test_demonyms_count_in_all_caps_text():
    text = "THE BOLIVIAN GOVERNMENT SAID THE STRIKERS WOULD BE PROSECUTED, A BOLIVIAN MINISTER ADDED."
    country, _, _ = document_place(text, None)
    assert country.name == "Bolivia"


def test_a_town_name_after_a_given_name_is_a_surname_in_all_caps_text():
    assert [m for m in scan("A STATEMENT BY FERNANDO ZAMORA WAS READ ON THE RADIO.")] == []
    found = scan("SOLDIERS PATROLLED IN ZAMORA AND NEARBY VILLAGES.")
    assert [p.name for _, _, p in found] == ["Zamora"]


def test_a_lower_cased_article_with_a_capitalised_footer_is_read_as_lower_cased():
    article = ("ahmedabad: the police said on monday that the curfew would stay in force in the old city, where "
               "shops were burnt during the night and several people were hurt in the clashes that followed. "
               "officials said more companies of the reserve police had been sent to the district to keep the "
               "peace, and that schools and markets would stay closed for the rest of the week. ") * 3
    names = [p.name for _, _, p in scan(article + "\n\nFacebook Twitter Link")]
    assert "Ahmedabad" in names


def test_the_english_vocabulary_holds_common_words_and_no_given_names():
    words = _english_words()
    assert {"police", "said", "village", "killed"} <= words
    assert not {"fernando", "garcia", "mohammed"} & words


def test_a_small_town_after_in_is_read_in_all_caps_text_within_the_documents_country():
    from extraction.gazetteer import country

    text = "GUERRILLAS ATTACKED A POLICE POST IN SUCHITOTO LAST NIGHT."
    assert [p.name for _, _, p in scan(text, country("El Salvador"))] == ["Suchitoto"]
    assert scan(text) == []  # without the document's country a village is too ambiguous
    assert scan("GUERRILLAS ATTACKED A POLICE POST IN SUCHITOTO LAST NIGHT.".replace(" IN ", " AND "),
                country("El Salvador")) == []


def _context(country: str, town: str):
    import datetime as dt

    from extraction import places
    from extraction.coder import DocContext

    return DocContext(places.country(country), places.lookup(town, country), dt.date(1990, 1, 1), 1, None, None)


def test_a_settlement_named_by_its_kind_word_in_capitals_is_returned_though_geonames_lacks_it():
    from extraction.places.document import places_in

    ctx = _context("Peru", "Lima")
    found = places_in("REBELS BURNED THE TOWN HALL OF THE SMALL VILLAGE OF QUZTARPA ON MONDAY.", ctx)
    village = next(p for p in found if p.name == "Quztarpa")
    assert village.country.name == "Peru" and village.admin1 == ctx.place.admin1 and village.geo_precision == 2
    assert any(p.name == "Xolatemba" for p in places_in("TROOPS ENTERED XOLATEMBA CANTON AT DAWN.", ctx))


def test_a_kind_word_before_english_words_or_in_cased_text_names_no_village():
    from extraction.places.document import places_in

    ctx = _context("Peru", "Lima")
    assert not [p for p in places_in("TROOPS PATROLLED THE AREA OF OPERATIONS ALL WEEK.", ctx) if p.population == 0]
    assert not [p for p in places_in("Troops entered the village of Quztarpa.", ctx) if p.population == 0]
    known = places_in("THE GUERRILLAS ATTACKED THE TOWN OF HUANTA.", ctx)
    assert [p.name for p in known] == ["Huanta"] and known[0].population > 0  # the gazetteer's town


def test_a_title_before_a_town_name_in_capitals_makes_it_a_persons_name():
    assert not scan("REPORTERS ASKED COL RIVERA ABOUT THE NIGHT PATROLS.")
    assert not scan("THE CABINET MET GEN SALTO AND TWO ADVISERS.")
    assert [p.name for _, _, p in scan("THE PATROLS LEFT FOR THE NIGHT IN RIVERA.")] == ["Rivera"]


def test_a_bracketed_dateline_counts_once_as_the_filing_place():
    from extraction.places.document import document_evidence
    from extraction.places.rank import FEATURES

    text = ("LIMA (PERU), 3 MAR 90 (EFE) -- [TEXT] A PERUVIAN DIPLOMAT SAID THE TALKS WOULD GO ON NEXT WEEK.")
    codes, rows = document_evidence(text, dateline([text])).matrix()
    row = dict(zip(FEATURES, rows[codes.index("PE")], strict=True))
    assert row["dateline"] == 1.0
    assert row["located"] == row["scanned"] == row["scanned_paren"] == row["scanned_first"] == 0.0


def test_a_name_the_document_gives_a_person_is_no_place_anywhere_in_it():
    from extraction.places.scan import person_names

    text = ("SAN SALVADOR, 4 MAR 90 -- [TEXT] COLONEL ARTURO VARGAS TOLD REPORTERS THAT THE ARMY HELD THE TOWN.\n\n"
            "[VARGAS] WE HAVE NO REPORTS OF FIGHTING. RUBEN ZAMORA SAID LATER THAT ZAMORA'S PARTY WOULD PROTEST.")
    persons = person_names(text)
    assert {"vargas", "zamora"} <= persons
    country, _, _ = document_place(text, dateline([text]))
    assert country.name == "El Salvador"
    assert "kandahar" not in person_names("Fighting closed the Kabul Kandahar road on Monday, officials said.")


def test_a_name_after_in_near_or_at_is_a_place_not_a_person():
    """Two unknown capitalised words after a locative are where something happened (a village GeoNames may
    lack), so the name stays free to be read as a place elsewhere in the document."""
    from extraction.places.scan import person_names

    persons = person_names("GUATEMALA CITY, 27 SEP 89 -- ARMED MEN KIDNAPPED THREE EUROPEANS IN TECUN UMAN LAST NIGHT. "
                           "THOSE KIDNAPPED ARE JOSE MARTINEZ AND LUIS ROSSI.")
    assert "tecun uman" not in persons and "uman" not in persons
    assert {"jose martinez", "rossi"} <= persons


def test_an_english_word_in_capitals_is_no_other_name_of_a_place():
    found = [place.name for _, _, place in scan("THE OFFICER IN CHARGE OF THE POST SAID THE GUERRILLAS FLED.")]
    assert found == []


def test_a_street_named_after_a_town_or_region_is_no_place():
    from extraction.gazetteer import country

    for text in ("A BOMB WENT OFF ON THE CORNER OF SARMIENTO AND SAN MARTIN STREETS.",
                 "A device exploded on O'Higgins Avenue at noon.",
                 "Protesters filled Bolivar Square on Friday."):
        assert [p for _, _, p in scan(text, country("Colombia")) if p.kind != "country"] == [], text


def test_a_town_written_with_its_kind_word_in_capitals_is_read_within_the_documents_country():
    from extraction.gazetteer import country

    text = "SMALL CLASHES WERE REPORTED IN NORTHERN ZACATECOLUCA CITY OVERNIGHT."
    assert [p.name for _, _, p in scan(text, country("El Salvador"))] == ["Zacatecoluca"]
    assert scan(text) == []  # without the document's country a town of 40,000 is too ambiguous
    assert scan("THE MAYOR OF THE GREEN TOWN SPOKE.", country("El Salvador")) == []


def test_the_kind_word_search_never_hides_a_settlement_the_full_patterns_would_find():
    from extraction.places import document

    sentences = ["THE HAMLET OF LOS ANDES WAS SHELLED.", "TROOPS ENTERED SAN LUIS CANTON.", "NO PLACE HERE AT ALL.",
                 "THE MUNICIPALITY OF EL PARAISO.", "A LOCALITY OF TWO STREETS.", "THE VILLAGE, ITS TOWN HALL."]
    for sentence in sentences:
        full = [m for p in (document._SETTLEMENT_OF_CAPS, document._SETTLEMENT_AFTER) for m in p.finditer(sentence)]
        assert not full or document._ANY_SETTLEMENT_WORD.search(sentence)
    assert not document._ANY_SETTLEMENT_WORD.search(sentences[2])


def test_a_country_name_inside_a_longer_place_name_is_not_the_country():
    # a district named after a country, written in capitals: neither span is the country
    text = "A MAYOR WAS SHOT IN THE VILLA EL SALVADOR DISTRICT. HE DIED IN VILLA EL SALVADOR LATER."
    assert not [p for _, _, p in scan(text) if p.kind == "country"]
    assert [p.name for _, _, p in scan("TROOPS WERE SENT TO EL SALVADOR.")] == ["El Salvador"]


def test_the_country_an_envoy_was_sent_to_or_a_speech_was_given_in_does_not_place_the_story():
    text = ("GUATEMALA CITY, 3 MAR 90 (EFE) -- [TEXT] GUNMEN KILLED A FORMER AMBASSADOR TO SPAIN IN THE CAPITAL "
            "TODAY. THE HONDURAN MINISTER CONDEMNED THE CRIME IN A SPEECH HE GAVE IN TEGUCIGALPA.")
    country, _, _ = document_place(text, dateline([text]))
    assert country.name == "Guatemala"
