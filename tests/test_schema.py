import json

from jsonschema import Draft202012Validator

from toolkit.schema import inventory, record_schema
from conftest import needs_shared, shared_dir


def test_inventory_sizes_and_definitions():
    inv = inventory()
    assert len(inv.entity_labels) == 14
    assert len(inv.event_labels) == 19
    assert inv.modality_labels == ["asserted", "negated", "hypothetical"]
    assert all(inv.entity_types[label] for label in inv.entity_labels)
    assert all(spec["definition"] for spec in inv.event_types.values())


def test_record_schema_is_valid_and_enums_come_from_labels():
    schema = record_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["entity_label"]["enum"] == inventory().entity_labels
    assert schema["$defs"]["event_type"]["enum"] == inventory().event_labels


def test_bio_labels_cover_every_entity_type():
    bio = inventory().bio_labels
    assert bio[0] == "O" and len(bio) == 1 + 2 * 14
    assert "B-WEAPON" in bio and "I-VEHICLE" in bio


def test_acled_reverse_mapping_is_derived_from_event_table():
    table = inventory().acled_to_event_type()
    assert table["Air/drone strike"] == "AIR_DRONE_STRIKE"
    assert table["Disrupted weapons use"] == "INTERCEPTION"
    assert table["Suicide bomb"] == "EXPLOSIVE_ATTACK"


@needs_shared
def test_mappings_use_only_names_from_the_reference_ontologies():
    ref = json.loads((shared_dir() / "reference" / "event-and-entity-ontologies.json").read_text())
    acled = {(t, s) for t, subs in ref["ACLED_codebook_2023_2024"].items() for s in subs}
    plover = ref["PLOVER_manual_v2_draft_HEAD"]["modes"]
    for label, spec in inventory().event_types.items():
        for a in spec["acled"]:
            assert (a["event_type"], a["sub_event_type"]) in acled, label
        for p in spec["plover"]:
            assert p["category"] in plover, label
            assert p["mode"] is None or p["mode"] in plover[p["category"]], label
        assert spec["cameo_root"] in ref["CAMEO_root"], label
    # every ACLED sub-event type except "Other" has exactly one of our types
    covered = {a["sub_event_type"] for spec in inventory().event_types.values() for a in spec["acled"]}
    assert {s for _, s in acled} <= covered
    re3d = inventory().entity_mapping("re3d")
    assert set(ref["re3d_entity_types"][:-1]) <= set(re3d)
