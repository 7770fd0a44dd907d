"""Label Studio tasks/config export and JSON-export import, without a Label Studio server."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from records_fixture import make_record

from toolkit.attribution import derive
from toolkit.errors import ToolkitError
from toolkit.formats import export_records, exporters, import_records, importers
from toolkit.formats.label_studio import CONFIG_FILE, labeling_config, roles
from toolkit.records import Attribution, Entity, Event, Meta, Provenance, Record, Span
from toolkit.schema import inventory
from toolkit.spans import crosses
from toolkit.validate import validate_record

LAYERS = ("id", "text", "meta", "cleaning", "split", "schema_version", "entities", "events", "attributions")


def accept_predictions(tasks: list[dict], user: int = 1) -> list[dict]:
    """What Label Studio exports after a user submits each task's prediction unchanged."""
    out = []
    for n, task in enumerate(tasks, start=1):
        pred = task["predictions"][0]
        out.append({
            "id": n, "data": task["data"], "predictions": [n],
            "annotations": [{"id": n, "completed_by": user, "result": copy.deepcopy(pred["result"]),
                             "was_cancelled": False, "ground_truth": False, "created_at": "2026-02-01T10:00:00.5Z",
                             "updated_at": "2026-02-01T10:00:00.5Z", "parent_prediction": n,
                             "prediction": {"id": n, **pred}}],
        })
    return out


def round_trip(records: list[Record], tmp: Path, **options):
    export_records("label-studio", records, tmp / "tasks.json")
    tasks = json.loads((tmp / "tasks.json").read_text(encoding="utf-8"))
    export = tmp / "export.json"
    export.write_text(json.dumps(accept_predictions(tasks)), encoding="utf-8")
    return import_records("label-studio", export, **options)


def layers(record: Record) -> dict:
    d = record.to_dict()
    return {k: d.get(k) for k in LAYERS}


def write_export(tmp: Path, tasks: list[dict]) -> Path:
    path = tmp / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def one_task(record: Record, tmp: Path) -> dict:
    export_records("label-studio", [record], tmp / "tasks.json")
    return accept_predictions(json.loads((tmp / "tasks.json").read_text(encoding="utf-8")))[0]


def result_of(task: dict) -> list[dict]:
    return task["annotations"][0]["result"]


# ---- export --------------------------------------------------------------------------------------------------


def test_registered_both_ways():
    assert "label-studio" in importers() and "label-studio" in exporters()


def test_config_offers_exactly_the_inventory():
    inv = inventory()
    root = ET.fromstring(labeling_config())
    labels = {el.get("name"): [x.get("value") for x in el] for el in root.iter("Labels")}
    choices = {el.get("name"): [x.get("value") for x in el] for el in root.iter("Choices")}
    assert labels["entity"] == inv.entity_labels
    assert labels["event"] == inv.event_labels
    assert [v.lower() for v in labels["attribution"]] == list(roles()) == ["source", "cue", "content"]
    assert choices["modality"] == inv.modality_labels
    modality = next(el for el in root.iter("Choices") if el.get("name") == "modality")
    assert modality.get("perRegion") == "true" and modality.get("whenLabelValue").split(",") == inv.event_labels
    assert [r.get("value") for r in root.iter("Relation")] == list(roles())
    assert all(el.get("toName") == "text" for el in root if el.get("toName"))
    assert [t.get("value") for t in root.iter("Text")] == ["$text"]


def test_export_writes_tasks_and_config_beside(tmp_path):
    record = make_record(method="rules")
    notes = export_records("label-studio", [record], tmp_path / "sub" / "tasks.json")
    assert notes == []
    assert (tmp_path / "sub" / CONFIG_FILE).read_text(encoding="utf-8") == labeling_config()
    [task] = json.loads((tmp_path / "sub" / "tasks.json").read_text(encoding="utf-8"))
    assert task["data"]["text"] == record.text and task["data"]["record_id"] == record.id
    assert task["data"]["meta"]["license"] == "CC-BY-4.0"
    [pred] = task["predictions"]
    assert pred["model_version"] == "rules"
    for item in pred["result"]:
        if item["type"] != "relation":
            v = item["value"]
            assert v["text"] == record.text[v["start"] : v["end"]]
    entity_ids = [i["id"] for i in pred["result"] if i.get("from_name") == "entity"]
    assert entity_ids == [e.id for e in record.entities]


def test_export_to_a_folder_names_the_tasks_file(tmp_path):
    export_records("label-studio", [make_record()], tmp_path / "ls")
    assert (tmp_path / "ls" / "tasks.json").is_file() and (tmp_path / "ls" / CONFIG_FILE).is_file()


def test_export_notes_a_source_entity_the_importer_would_not_derive(tmp_path):
    record = make_record()
    record.entities.append(Entity("T9", *_find(record.text, "governor"), "PERSON"))
    record.attributions[0].source_entity = "T9"
    moved = copy.deepcopy(record)
    moved.attributions[0].source_entity = "T2"  # Kharkiv: not inside the source span
    assert export_records("label-studio", [record], tmp_path / "a.json") == []
    [note] = export_records("label-studio", [moved], tmp_path / "b.json")
    assert "A1" in note and "T2" in note and "T9" in note


def _find(text: str, s: str) -> tuple[int, int]:
    i = text.index(s)
    return i, i + len(s)


# ---- round trip --------------------------------------------------------------------------------------------------


def test_round_trip_of_accepted_predictions(tmp_path):
    record = make_record(method="rules")
    result = round_trip([record], tmp_path)
    assert result.problems == []
    [back] = result.records
    assert layers(back) == layers(record)
    prov = back.provenance
    assert (prov.method, prov.tool, prov.annotator) == ("gold", "label-studio", "label-studio-user-1")
    assert (prov.pre_annotation, prov.reviewed, prov.guideline_version) == ("rules", True, "1.0")
    assert prov.created == "2026-02-01T10:00:00+00:00"
    assert validate_record(back.to_dict()) == []


def test_round_trip_keeps_the_pre_annotation_of_a_gold_record(tmp_path):
    record = make_record(method="gold")
    record.provenance.pre_annotation = "rules"
    [back] = round_trip([record], tmp_path).records
    assert back.provenance.pre_annotation == "rules"


TEXT_CHARS = st.sampled_from(list("ab cd,.\"“”'\n") + ["é", "😀", "Ж"])


@st.composite
def records(draw) -> Record:
    text = draw(st.text(TEXT_CHARS, min_size=2, max_size=60))
    n = len(text)
    span = st.integers(0, n - 1).flatmap(lambda s: st.integers(s + 1, n).map(lambda e: Span(s, e)))
    inv = inventory()

    def no_crossing(spans: list[Span], taken: list[Span]) -> list[Span]:
        kept = []
        for sp in spans:
            if not any(crosses((sp.start, sp.end), (o.start, o.end)) for o in taken + kept):
                kept.append(sp)
        return kept

    ents = no_crossing(draw(st.lists(span, max_size=5)), [])
    entities = [Entity(f"T{i}", sp.start, sp.end, draw(st.sampled_from(inv.entity_labels)))
                for i, sp in enumerate(ents, start=1)]
    trig = no_crossing(draw(st.lists(span, max_size=4)), [])
    events = [Event(f"E{i}", sp, draw(st.sampled_from(inv.event_labels)), draw(st.sampled_from(inv.modality_labels)))
              for i, sp in enumerate(trig, start=1)]
    atts, cues = [], []
    for _ in range(draw(st.integers(0, 3))):
        cue = no_crossing(draw(st.lists(span, min_size=1, max_size=2)), cues)
        own = no_crossing(draw(st.lists(span, min_size=1, max_size=2)), cue)
        source = no_crossing(draw(st.lists(span, max_size=2)), cue + own)
        if not cue or not own:
            continue
        cues += cue
        atts.append(Attribution(f"A{len(atts) + 1}", cue=cue, content=own, source=source,
                                anonymous=draw(st.booleans())))
    meta = Meta(title=draw(st.none() | st.text(max_size=5)), license="CC-BY-4.0", redistributable=True,
                extra=draw(st.dictionaries(st.sampled_from(["feed", "section"]), st.text(max_size=3), max_size=2)))
    record = Record(f"doc-{draw(st.integers(0, 99))}", text, meta, entities, events, atts,
                    Provenance(draw(st.sampled_from(["rules", "model:en_core_web_sm"])), "x", guideline_version="1.0"),
                    split=draw(st.none() | st.sampled_from(inv.splits)))
    return derive(record)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(), min_size=1, max_size=3))
def test_import_of_export_gives_back_the_records(tmp_path, recs):
    assume(all(validate_record(r.to_dict()) == [] for r in recs))
    result = round_trip(recs, tmp_path)
    assert result.problems == []
    assert [layers(r) for r in result.records] == [layers(r) for r in recs]
    for back, rec in zip(result.records, recs):
        assert back.provenance.method == "gold" and back.provenance.pre_annotation == rec.provenance.method


# ---- corrections made in Label Studio ------------------------------------------------------------------------


def test_regions_drawn_in_label_studio_get_fresh_ids_and_group_by_relations(tmp_path):
    record = make_record()
    task = one_task(record, tmp_path)
    result = result_of(task)
    text = record.text
    s, e = _find(text, "people")

    def region(rid, name, start, end, key, value):
        return {"id": rid, "from_name": name, "to_name": "text", "type": key,
                "value": {"start": start, "end": end, "text": text[start:end], key: [value]}}

    # a new entity and a new attribution with a discontinuous content, as the editor writes them (random ids)
    result.append(region("xYz01", "entity", s, e, "labels", "CARDINAL"))
    cue_s, cue_e = _find(text, "said")
    result += [region("q1", "attribution", cue_s, cue_e, "labels", "Cue"),
               region("q2", "attribution", 0, 7, "labels", "Content"),
               region("q3", "attribution", 15, 22, "labels", "Content"),
               {"type": "relation", "from_id": "q2", "to_id": "q1", "direction": "right", "labels": []},
               {"type": "relation", "from_id": "q3", "to_id": "q2", "direction": "right", "labels": ["content"]}]
    export = write_export(tmp_path, [task])
    out = import_records("label-studio", export)
    assert out.problems == []
    [back] = out.records
    assert back.entities[-1] == Entity("T5", s, e, "CARDINAL")
    new = back.attributions[-1]
    assert (new.id, new.cue, new.content, new.source, new.anonymous) == (
        "A3", [Span(cue_s, cue_e)], [Span(0, 7), Span(15, 22)], [], True)
    assert validate_record(back.to_dict()) == []


def test_misaligned_region_is_a_problem_naming_file_and_task(tmp_path):
    record = make_record()
    task = one_task(record, tmp_path)
    entity = next(i for i in result_of(task) if i["id"] == "T2")
    entity["value"]["start"] += 1
    export = write_export(tmp_path, [task])
    out = import_records("label-studio", export)
    [problem] = out.problems
    assert problem.file == str(export) and problem.record_id == record.id
    assert "task 1" in problem.message and "T2" in problem.message and "misaligned" in problem.message
    assert "Kharkiv" in problem.message
    assert [e.id for e in out.records[0].entities] == ["T1", "T3", "T4"]


@pytest.mark.parametrize("name,key,value", [("entity", "labels", "SPACESHIP"), ("event", "labels", "PARTY"),
                                            ("modality", "choices", "maybe"), ("mood", "labels", "PERSON")])
def test_unknown_label_is_a_problem(tmp_path, name, key, value):
    record = make_record()
    task = one_task(record, tmp_path)
    result_of(task).append({"id": "zz9", "from_name": name, "to_name": "text", "type": key,
                            "value": {"start": 0, "end": 7, "text": "Russian", key: [value]}})
    out = import_records("label-studio", write_export(tmp_path, [task]))
    [problem] = out.problems
    assert "zz9" in problem.message and "unknown" in problem.message
    assert layers(out.records[0]) == layers(record)


def test_unknown_relation_label_is_a_problem(tmp_path):
    task = one_task(make_record(), tmp_path)
    next(i for i in result_of(task) if i["type"] == "relation")["labels"] = ["speaker"]
    [problem] = import_records("label-studio", write_export(tmp_path, [task])).problems
    assert "'speaker'" in problem.message


def test_attribution_without_content_is_a_problem_not_dropped_silently(tmp_path):
    task = one_task(make_record(), tmp_path)
    task["annotations"][0]["result"] = [i for i in result_of(task)
                                        if i.get("id") != "A2-content-1" and i.get("to_id") != "A2-content-1"]
    out = import_records("label-studio", write_export(tmp_path, [task]))
    [problem] = out.problems
    assert "A2-cue-1" in problem.message and "Content" in problem.message
    assert [a.id for a in out.records[0].attributions] == ["A1"]


def test_modality_on_a_non_event_region_is_a_problem(tmp_path):
    task = one_task(make_record(), tmp_path)
    result_of(task).append({"id": "T1", "from_name": "modality", "to_name": "text", "type": "choices",
                            "value": {"start": 0, "end": 7, "text": "Russian", "choices": ["negated"]}})
    [problem] = import_records("label-studio", write_export(tmp_path, [task])).problems
    assert "T1" in problem.message and "modality" in problem.message


def test_anonymous_choice_on_a_cue_is_a_problem(tmp_path):
    task = one_task(make_record(), tmp_path)
    cue = next(i for i in result_of(task) if i.get("id") == "A1-cue-1")
    result_of(task).append({**cue, "from_name": "anonymous", "type": "choices",
                            "value": {**cue["value"], "choices": ["anonymous"]}})
    [problem] = import_records("label-studio", write_export(tmp_path, [task])).problems
    assert "A1-cue-1" in problem.message and "anonymous" in problem.message


def test_discontinuous_content_is_several_linked_regions(tmp_path):
    record = make_record()
    text = record.text
    att = record.attributions[1]
    att.content = [Span(*_find(text, '"We will')), Span(*_find(text, 'rebuild,"'))]
    derive(record)
    assert validate_record(record.to_dict()) == []
    task = one_task(record, tmp_path)
    relations = [(i["from_id"], i["to_id"], i["labels"]) for i in result_of(task) if i["type"] == "relation"]
    assert ("A2-cue-1", "A2-content-2", ["content"]) in relations
    [back] = import_records("label-studio", write_export(tmp_path, [task])).records
    assert back.attributions[1].content == att.content


def test_event_without_modality_choice_is_asserted(tmp_path):
    task = one_task(make_record(), tmp_path)
    task["annotations"][0]["result"] = [i for i in result_of(task) if i.get("from_name") != "modality"]
    [back] = import_records("label-studio", write_export(tmp_path, [task])).records
    assert {e.modality for e in back.events} == {"asserted"}


# ---- which annotation ----------------------------------------------------------------------------------------


def _second_annotation(task: dict, user, updated: str, label: str) -> dict:
    other = copy.deepcopy(task["annotations"][0])
    other.update(id=99, completed_by=user, updated_at=updated, created_at=updated)
    other["result"][0]["value"]["labels"] = [label]
    task["annotations"].append(other)
    return task


def test_latest_annotation_by_default_and_annotator_picks_one(tmp_path):
    record = make_record()
    task = _second_annotation(one_task(record, tmp_path), {"id": 7, "email": "b@example.org"},
                              "2026-03-01T00:00:00Z", "ORG")
    export = write_export(tmp_path, [task])
    [latest] = import_records("label-studio", export).records
    assert (latest.entities[0].label, latest.provenance.annotator) == ("ORG", "b@example.org")
    [first] = import_records("label-studio", export, annotator="1").records
    assert (first.entities[0].label, first.provenance.annotator) == ("NORP", "label-studio-user-1")
    for key in ("7", "b@example.org"):
        assert import_records("label-studio", export, annotator=key).records[0].entities[0].label == "ORG"
    out = import_records("label-studio", export, annotator="nobody@example.org")
    assert out.records == [] and "no submitted annotation by nobody@example.org" in out.problems[0].message


def test_skipped_annotation_and_unannotated_task_are_problems(tmp_path):
    record = make_record()
    skipped = _second_annotation(one_task(record, tmp_path), 2, "2026-04-01T00:00:00Z", "ORG")
    skipped["annotations"][1]["was_cancelled"] = True
    empty = copy.deepcopy(skipped)
    empty.update(id=2, annotations=[])
    empty["data"]["record_id"] = "doc-2"
    empty["drafts"] = [{"id": 5, "result": []}]
    out = import_records("label-studio", write_export(tmp_path, [skipped, empty]))
    assert [r.entities[0].label for r in out.records] == ["NORP"]
    [problem] = out.problems
    assert problem.record_id == "doc-2" and "task 2" in problem.message and "not imported" in problem.message
    assert "1 unsubmitted drafts" in problem.message


def test_edited_text_is_a_problem(tmp_path):
    task = one_task(make_record(), tmp_path)
    task["data"]["text"] = task["data"]["text"].replace("Monday", "Sunday")
    out = import_records("label-studio", write_export(tmp_path, [task]))
    assert out.records == [] and "text_sha256" in out.problems[0].message


@pytest.mark.parametrize("content", ["{not json", '{"tasks": []}'])
def test_not_an_export_is_one_line_error(tmp_path, content):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ToolkitError, match=str(path)):
        import_records("label-studio", path)
