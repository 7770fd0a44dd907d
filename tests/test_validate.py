import json

import pytest

from toolkit.validate import validate_paths, validate_record
from records_fixture import make_record


def good() -> dict:
    return make_record().to_dict()


def test_fixture_is_valid_and_derived_fields_are_set():
    d = good()
    assert validate_record(d) == []
    assert [e["claimed_by"] for e in d["events"]] == ["A1", "A1", "A2"]
    assert [a["kind"] for a in d["attributions"]] == ["indirect", "direct"]


def _broken(change) -> list[str]:
    d = good()
    change(d)
    return validate_record(d)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.update(text_sha256="0" * 64), "text_sha256 does not match"),
        (lambda d: d["entities"][0].update(end=10_000), "outside the text"),
        (lambda d: d["entities"][0].update(text="Ukrainian"), "stored text 'Ukrainian' differs"),
        (lambda d: d["entities"][0].update(label="TANK"), "schema: entities/0/label"),
        (lambda d: d["events"][0].update(type="WAR"), "schema: events/0/type"),
        (lambda d: d["entities"][1].update(id="T1"), "duplicate entity id T1"),
        (lambda d: d["attributions"][0].update(cue=[]), "schema: attributions/0/cue"),
        (lambda d: d["attributions"][0].update(content=[]), "schema: attributions/0/content"),
        (lambda d: d["attributions"][1].update(kind="indirect"), "kind is 'indirect' but its quotation marks make it 'direct'"),
        (lambda d: d["events"][1].update(claimed_by=None), "event E2: claimed_by is None but its trigger lies in A1"),
        (lambda d: d["events"][0].update(claimed_by="A2"), "claimed_by is A2"),
        (lambda d: d["attributions"][0].update(source_entity="T9"), "source_entity T9 is not an entity id"),
        (lambda d: d.pop("provenance"), "schema: 'provenance' is a required property"),
    ],
)
def test_each_broken_invariant_is_reported(change, expected):
    problems = _broken(change)
    assert any(expected in p for p in problems), problems


def test_crossing_entities_reported():
    def cross(d):
        e = d["entities"][1]  # Kharkiv
        d["entities"].append({"id": "T9", "start": e["start"] - 3, "end": e["start"] + 2, "label": "GPE"})

    assert any("crossing spans in entities" in p for p in _broken(cross))


def test_validate_paths_lines_ids_and_duplicates(tmp_path):
    a, b = good(), good()
    b["text_sha256"] = "1" * 64
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(a) + "\n" + "{oops\n" + json.dumps(b) + "\n")
    report = validate_paths([tmp_path])
    lines = [str(p) for p in report.problems]
    assert lines[0].startswith(f"{path}:2: malformed JSON")
    assert f"{path}:3 doc-1: text_sha256 does not match text" in lines
    assert f"{path}:3 doc-1: duplicate record id (first at {path}:1)" in lines
    assert not report.ok and report.records == 3


def test_missing_path(tmp_path):
    report = validate_paths([tmp_path / "none.jsonl"])
    assert [str(p) for p in report.problems] == [f"{tmp_path / 'none.jsonl'}: no such file or folder"]
