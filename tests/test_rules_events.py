"""Rule event triggers: typing by context, modality cues, lexicon checks, and the AP article."""

from __future__ import annotations

import json

import pytest

from conftest import AP_ID, EXAMPLES
from toolkit.nlp import parse
from toolkit.schema import inventory


from toolkit.extract.rules import events  # noqa: E402
find_events = events.find_events


def triggers(text: str, entities=()) -> list[tuple[str, str, str]]:
    doc = parse(text)
    return [(text[s:e], label, mod) for s, e, label, mod in find_events(doc, list(entities))]


def typed(text: str, entities=()) -> dict[str, tuple[str, str]]:
    return {t: (label, mod) for t, label, mod in triggers(text, entities)}


def test_contract_sorted_and_non_overlapping():
    text = "Rebels attacked the town and killed 12 people. Talks will resume on Monday."
    spans = find_events(parse(text), [])
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    labels, mods = set(inventory().event_labels), set(inventory().modality_labels)
    assert all(label in labels and mod in mods for _, _, label, mod in spans)


def test_basic_types():
    got = typed("Twelve soldiers were killed and 60 injured. Rebels destroyed a bridge and fled.")
    assert got["killed"] == ("CASUALTIES", "asserted")
    assert got["injured"] == ("CASUALTIES", "asserted")
    assert got["destroyed"] == ("DAMAGE_DESTRUCTION", "asserted")
    assert got["fled"] == ("DISPLACEMENT_EVACUATION", "asserted")


def test_attack_typed_by_modifier():
    got = typed("A drone attack hit the depot. A Russian missile strike killed five.")
    assert got["attack"][0] == "AIR_DRONE_STRIKE"
    assert got["strike"][0] == "SHELLING_MISSILE_ATTACK"


def test_attack_typed_by_nearby_weapon_and_link():
    got = typed("Russia launched seven missiles alongside a barrage of drones.")
    assert got["launched"] == ("SHELLING_MISSILE_ATTACK", "asserted")
    assert got["barrage"] == ("AIR_DRONE_STRIKE", "asserted")


def test_suicide_bomber_is_explosive_not_air():
    assert typed("A suicide bomber attacked the base.")["attacked"][0] == "EXPLOSIVE_ATTACK"


def test_attack_on_civilians_and_default():
    assert typed("Gunmen staged an attack on civilians in the village.")["attack"][0] == "ATTACK_ON_CIVILIANS"
    assert typed("Militants carried out a massacre.")["massacre"][0] == "ATTACK_ON_CIVILIANS"
    assert typed("Rebels attacked an army checkpoint.")["attacked"][0] == "ARMED_CLASH"


def test_back_reference_takes_previous_attack_type():
    text = "A missile strike hit the unit. The attack killed 12 soldiers."
    got = triggers(text)
    assert ("attack", "SHELLING_MISSILE_ATTACK", "asserted") in got


def test_strike_as_noun_modifier_is_no_event():
    got = triggers("Russian reconnaissance and strike drones patrol the area.")
    assert not any(t == "strike" for t, _, _ in got)


def test_ambiguous_words_need_a_weapon():
    assert triggers("The two sides struck a deal.") == [("deal", "AGREEMENT_CEASEFIRE", "asserted")]
    assert triggers("The economy was hit by inflation.") == []
    assert triggers("The war and security concerns dominated the summit.") == [
        ("summit", "TALKS_NEGOTIATION", "asserted")
    ]


def test_light_verb_before_attack_noun():
    assert triggers("U.S. helicopters launched airstrikes.") == [("airstrikes", "AIR_DRONE_STRIKE", "asserted")]


def test_fixed_multiword_triggers():
    got = typed("Russian forces have taken control of the village. Air defence shot down 40 drones.")
    assert got["taken control"] == ("TERRITORY_CHANGE", "asserted")
    assert got["shot down"] == ("INTERCEPTION", "asserted")


def test_capture_typed_by_object():
    assert typed("Rebels captured the town of Kidal.")["captured"][0] == "TERRITORY_CHANGE"
    assert typed("Police seized weapons and ammunition.")["seized"][0] == "INTERCEPTION"
    assert typed("Troops captured two militants.")["captured"][0] == "ARREST_DETENTION"
    assert triggers("They captured it.") == []


def test_capture_uses_entity_layer():
    text = "Forces captured Oleksiivka."
    start = text.index("Oleksiivka")
    ents = [(start, start + len("Oleksiivka"), "GPE")]
    assert typed(text, ents)["captured"][0] == "TERRITORY_CHANGE"


def test_cue_inside_place_name_is_ignored():
    text = "A strike hit Belaya air base."
    start = text.index("Belaya")
    ents = [(start, start + len("Belaya air base"), "FAC")]
    assert triggers(text, ents) == []


def test_words_inside_names_are_not_triggers():
    text = "Ban Ki-moon criticized the launch."
    ents = [(0, len("Ban Ki-moon"), "PERSON")]
    assert triggers(text, ents) == [("criticized", "ACCUSATION_THREAT", "asserted")]


def test_negated_modality():
    got = typed("No civilians were killed. The army denied shelling the town. Troops did not withdraw.")
    assert got["killed"] == ("CASUALTIES", "negated")
    assert got["shelling"] == ("SHELLING_MISSILE_ATTACK", "negated")
    assert got["withdraw"] == ("TERRITORY_CHANGE", "negated")


def test_hypothetical_modality():
    got = typed("Ukraine will send troops. Russia could attack Kharkiv. Rebels plan to retake the city.")
    assert got["send"] == ("MOBILIZATION_DEPLOYMENT", "hypothetical")
    assert got["attack"][1] == "hypothetical"
    assert got["retake"] == ("TERRITORY_CHANGE", "hypothetical")


def test_conditional_covers_its_clause_but_not_the_next():
    text = "If the talks fail, the army said, troops were evacuated."
    got = typed(text)
    assert got["talks"] == ("TALKS_NEGOTIATION", "hypothetical")
    assert got["evacuated"] == ("DISPLACEMENT_EVACUATION", "asserted")


def test_accountable_is_hypothetical_threat():
    got = typed("Those responsible will be held strictly accountable.")
    assert got["accountable"] == ("ACCUSATION_THREAT", "hypothetical")


def test_unknown_lexicon_key_is_rejected(monkeypatch):
    data = events.load_lexicon_data()
    data["triggers"]["NOT_A_TYPE"] = ["foo"]
    monkeypatch.setattr(events, "load_lexicon_data", lambda: data)
    events.lexicon.cache_clear()
    try:
        with pytest.raises(ValueError, match="NOT_A_TYPE"):
            events.lexicon()
    finally:
        events.lexicon.cache_clear()


def test_lexicon_file_is_valid_json_keyed_by_types():
    data = events.load_lexicon_data()
    assert set(data["triggers"]) <= set(inventory().event_labels)
    json.dumps(data)


def test_many_sentences_give_one_trigger_each_per_event():
    text = "Russian forces launched 40 drones and a missile strike killed five civilians in Kharkiv. " * 50
    spans = find_events(parse(text), [])
    assert len(spans) >= 50 * 3


AP_ARTICLE = EXAMPLES / f"{AP_ID}.txt"


def test_ap_article():
    text = AP_ARTICLE.read_text(encoding="utf-8").split("\n", 1)[1]  # line 1: caption residue
    got = triggers(text)
    assert len(got) >= 12
    expected = {
        ("killed", "CASUALTIES", "asserted"),
        ("injured", "CASUALTIES", "asserted"),
        ("destroyed", "DAMAGE_DESTRUCTION", "asserted"),
        ("attack", "AIR_DRONE_STRIKE", "asserted"),
        ("talks", "TALKS_NEGOTIATION", "asserted"),
        ("evacuations", "DISPLACEMENT_EVACUATION", "asserted"),
        ("taken control", "TERRITORY_CHANGE", "asserted"),
        ("strike", "SHELLING_MISSILE_ATTACK", "asserted"),
        ("investigative commission", "INVESTIGATION", "asserted"),
        ("transported", "MOBILIZATION_DEPLOYMENT", "asserted"),
        ("accountable", "ACCUSATION_THREAT", "hypothetical"),
    }
    assert expected <= set(got)
    words = {t for t, _, _ in got}
    assert not {"send", "lead", "war", "security", "threat", "held"} & words
    assert ("strike", "AIR_DRONE_STRIKE", "hypothetical") in got  # "drones are able to strike"
