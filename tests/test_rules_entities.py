"""Rule-based entity extractor: concrete spans on short sentences, and the AP development article."""

from __future__ import annotations

import json

import pytest

from conftest import AP_ID, EXAMPLES
from toolkit.extract.rules import entities
from toolkit.extract.rules.entities import find_entities
from toolkit.nlp import parse
from toolkit.schema import inventory

AP_ARTICLE = EXAMPLES / f"{AP_ID}.txt"


def spans(text: str) -> set[tuple[str, str]]:
    return {(text[s:e], label) for s, e, label in find_entities(parse(text))}


def test_person_without_title_and_surname_reuse():
    found = spans("Ukrainian President Volodymyr Zelenskyy met Gov. Igor Kobzeva. Zelenskyy said it worked.")
    assert ("Volodymyr Zelenskyy", "PERSON") in found
    assert ("Igor Kobzeva", "PERSON") in found
    assert ("Zelenskyy", "PERSON") in found
    assert ("Ukrainian", "NORP") in found
    assert not any("President" in t or "Gov." in t for t, _ in found)


def test_person_from_speech_and_apposition():
    found = spans("Russian forces launched seven missiles, said Yuriy Ignat, head of communications. "
                  "Speaking Saturday, the top army chief, Oleksandr Syrskyi, said Moscow erred.")
    assert ("Yuriy Ignat", "PERSON") in found
    assert ("Oleksandr Syrskyi", "PERSON") in found
    assert ("seven", "CARDINAL") in found
    assert ("missiles", "WEAPON") in found
    assert ("Saturday", "DATE") in found
    assert ("Moscow", "GPE") in found
    assert not any(t == "Speaking" for t, _ in found)


def test_possessive_country_joins_generic_org_noun():
    found = spans("Ukraine's air force said Russia's Ministry of Defense lied. Russia's territory is vast.")
    assert ("Ukraine's air force", "ORG") in found
    assert ("Russia's Ministry of Defense", "ORG") in found
    assert ("Russia", "GPE") in found


def test_determiner_kept_only_in_names():
    found = spans("An official told The Associated Press that the Kremlin and the Pentagon disagree.")
    assert ("The Associated Press", "ORG") in found
    assert ("Kremlin", "ORG") in found
    assert ("Pentagon", "ORG") in found


def test_region_word_stays_outside_gpe_and_facility_name():
    found = spans("Drones hit the Belaya air base in Russia's Irkutsk region and Pokrovsk in the Donetsk region.")
    assert ("Belaya air base", "FAC") in found
    assert ("Irkutsk", "GPE") in found
    assert ("Donetsk", "GPE") in found
    assert ("Pokrovsk", "GPE") in found
    assert ("Drones", "WEAPON") in found


def test_numbers_dates_times_and_quantities():
    text = ("On June 1, 2025, more than 40 planes were hit at 12:50 p.m., 4,000 kilometers away; "
            "at least 12 died since February 2022 on the 1,000-kilometer (620-mile) front, which cost $1.5 billion, "
            "15% of the budget. The attack took 1 1/2-year to plan.")
    found = spans(text)
    for expected in [("June 1, 2025", "DATE"), ("more than 40", "CARDINAL"), ("12:50 p.m.", "TIME"),
                     ("4,000 kilometers", "QUANTITY"), ("at least 12", "CARDINAL"), ("February 2022", "DATE"),
                     ("1,000-kilometer", "QUANTITY"), ("620-mile", "QUANTITY"), ("$1.5 billion", "MONEY"),
                     ("15%", "PERCENT"), ("1 1/2-year", "DATE"), ("planes", "VEHICLE")]:
        assert expected in found, expected


def test_weapon_and_vehicle_noun_phrases():
    found = spans("Russia fired ballistic missiles and Shahed drones; Tu-95 bombers and trucks burned. "
                  "Kyiv asked for more Patriot missiles and F-16 fighter jets.")
    for expected in [("ballistic missiles", "WEAPON"), ("Shahed drones", "WEAPON"), ("Tu-95 bombers", "VEHICLE"),
                     ("trucks", "VEHICLE"), ("Patriot missiles", "WEAPON"), ("F-16 fighter jets", "VEHICLE"),
                     ("Kyiv", "GPE")]:
        assert expected in found, expected


def test_org_heuristics_and_acronym_reuse():
    found = spans("The Ukrainian Ground Forces and the Kharkiv City Council met the Syrian Democratic Forces (SDF). "
                  "Later the SDF and the Bravo Support Group (BSG) left; BSG stayed.")
    assert ("Ukrainian Ground Forces", "ORG") in found
    assert ("Kharkiv City Council", "ORG") in found
    assert ("Syrian Democratic Forces", "ORG") in found
    assert ("SDF", "ORG") in found
    assert ("Bravo Support Group", "ORG") in found
    assert ("BSG", "ORG") in found


def test_sentence_initial_words_are_not_entities():
    found = spans("The strike came at night. In the morning, Earlier Sunday reports were confirmed.")
    texts = {t for t, _ in found}
    assert not texts & {"The", "In", "Earlier", "Earlier Sunday"}
    assert ("Sunday", "DATE") in found


def test_output_is_flat_sorted_and_uses_schema_labels():
    text = "Russia's Ministry of Defense said Sunday that Ukrainian drones hit 472 targets in Russia and Belarus."
    result = find_entities(parse(text))
    assert result == sorted(result)
    assert all(a[1] <= b[0] for a, b in zip(result, result[1:]))
    assert {label for _, _, label in result} <= set(inventory().entity_labels)
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e, _ in result)


def test_lexicon_keys_must_be_labels():
    entities.validate_lexicon({"GPE": {"names": ["Kyiv"]}})
    with pytest.raises(ValueError):
        entities.validate_lexicon({"GPE": {}, "TOWN": {"names": ["Kyiv"]}})


def test_lexicon_file_keys_are_labels():
    data = json.loads(entities.LEXICON_PATH.read_text(encoding="utf-8"))
    assert set(data) <= set(inventory().entity_labels)


def test_ap_article():
    text = AP_ARTICLE.read_text(encoding="utf-8").split("\n", 1)[1]  # line 1 is photo-caption residue
    result = find_entities(parse(text))
    found = {(text[s:e], label) for s, e, label in result}
    required = [
        ("Volodymyr Zelenskyy", "PERSON"), ("Istanbul", "GPE"), ("472", "CARDINAL"), ("drones", "WEAPON"),
        ("Ukrainian", "NORP"), ("Russia", "GPE"), ("The Associated Press", "ORG"), ("Sunday", "DATE"),
        ("Igor Kobzeva", "PERSON"), ("Rustem Umerov", "PERSON"), ("Yuriy Ignat", "PERSON"),
        ("Oleksandr Syrskyi", "PERSON"), ("Kremlin", "ORG"), ("Moscow", "GPE"), ("12:50 p.m.", "TIME"),
        ("4,000 kilometers", "QUANTITY"), ("Pokrovsk", "GPE"), ("Toretsk", "GPE"), ("Lyman", "GPE"),
        ("Oleksiivka", "GPE"), ("Sumy", "GPE"), ("missiles", "WEAPON"), ("trucks", "VEHICLE"),
        ("planes", "VEHICLE"), ("February 2022", "DATE"), ("Ukraine's air force", "ORG"),
    ]
    missing = [r for r in required if r not in found]
    assert not missing, missing
    zelenskyy = [s for s in range(len(text)) if text.startswith("Zelenskyy", s)]
    person_spans = [(s, e) for s, e, label in result if label == "PERSON"]
    assert all(any(s <= z < e for s, e in person_spans) for z in zelenskyy)
    assert len(result) >= 45
