"""The gold corpus in annotations/: valid, complete, in sync with its inline markup, with fixed splits."""

from collections import Counter

import pytest

from toolkit.formats import import_records
from toolkit.records import read_records
from toolkit.validate import validate_paths
from conftest import ROOT

ANN = ROOT / "annotations"


@pytest.fixture(scope="module")
def gold():
    return read_records(ANN / "records.jsonl")


def test_gold_validates_and_is_large_enough(gold):
    assert validate_paths([ANN / "records.jsonl"]).ok
    assert len(gold) >= 150
    assert sum(len(r.entities) for r in gold) >= 4000
    assert sum(len(r.events) for r in gold) >= 600
    assert sum(len(r.attributions) for r in gold) >= 400
    assert all(r.provenance.is_gold and r.provenance.reviewed for r in gold)


def test_every_source_document_is_annotated(gold):
    ids = {r.id for r in gold}
    for source in (ANN / "sources").glob("*.jsonl"):
        for line in source.read_text(encoding="utf-8").splitlines():
            import json

            assert json.loads(line)["id"] in ids, source.name
    ap = next(r for r in gold if r.id.startswith("ap-"))
    assert not ap.meta.redistributable


def test_inline_markup_and_records_agree(gold):
    result = import_records("inline", ANN / "inline")
    assert result.problems == []
    by_id = {r.id: r for r in result.records}
    assert set(by_id) == {r.id for r in gold}
    for r in gold:
        m = by_id[r.id]
        assert (m.text, m.entities, m.events, m.attributions) == (r.text, r.entities, r.events, r.attributions), r.id


def test_fixed_stratified_splits(gold):
    splits = Counter(r.split for r in gold)
    assert splits["test"] >= 30 and splits["validation"] > 0 and splits["train"] > 0
    by_source = Counter((r.id.split("-")[0], r.split) for r in gold)
    for source in ("re3d", "amalgum", "gum"):
        assert by_source[(source, "test")] > 0 and by_source[(source, "train")] > 0


def test_double_annotation_is_of_gold_documents(gold):
    texts = {r.id: r.text for r in gold}
    double = read_records(ANN / "double.jsonl")
    before = read_records(ANN / "agreement" / "gold-before-adjudication.jsonl")
    assert len(double) >= 20 and {r.id for r in double} == {r.id for r in before}
    assert all(texts[r.id] == r.text for r in double)
    assert validate_paths([ANN / "double.jsonl"]).ok
