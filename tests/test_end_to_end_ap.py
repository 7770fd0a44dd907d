"""The AP article through `toolkit annotate`: concrete spans a careful reader would mark."""

import datasets
import pytest

from toolkit.annotate import annotate
from toolkit.validate import validate_paths
from conftest import AP_ID, EXAMPLES


@pytest.fixture(scope="module")
def ap(tmp_path_factory):
    out = tmp_path_factory.mktemp("ap")
    result = annotate([EXAMPLES / f"{AP_ID}.txt"], out)
    [record] = result.records
    return out, record


def spans(record, layer):
    t = record.text
    if layer == "entities":
        return {(t[e.start : e.end], e.label) for e in record.entities}
    if layer == "events":
        return {(t[e.trigger.start : e.trigger.end], e.type) for e in record.events}
    raise ValueError(layer)


def test_dataset_loads_and_validates(ap):
    out, record = ap
    assert validate_paths([out]).ok
    docs = datasets.load_from_disk(str(out / "documents"))
    assert sum(len(s) for s in docs.values()) == 1
    parquet = datasets.load_dataset(str(out), "documents")
    assert next(iter(parquet.values()))[0]["id"] == AP_ID
    assert not record.meta.redistributable


def test_no_caption_residue(ap):
    _, record = ap
    assert "caption" not in record.text and "Source in the Ukrainian Security Service" not in record.text
    assert record.text.startswith("KYIV, Ukraine")


def test_counts(ap):
    _, record = ap
    assert len(record.entities) >= 40
    assert len(record.events) >= 8
    assert len(record.attributions) >= 6


@pytest.mark.parametrize("text, label", [
    ("Zelenskyy", "PERSON"), ("Istanbul", "GPE"), ("472", "CARDINAL"), ("drones", "WEAPON"),
    ("Ukrainian", "NORP"), ("Volodymyr Zelenskyy", "PERSON"), ("Sunday", "DATE"), ("Moscow", "GPE"),
])
def test_entities(ap, text, label):
    assert (text, label) in spans(ap[1], "entities")


def test_casualties_trigger_and_claim(ap):
    _, record = ap
    killed = [e for e in record.events if record.text[e.trigger.start : e.trigger.end] == "killed"]
    assert killed and killed[0].type == "CASUALTIES"
    # "Ukraine's army said at least 12 ... were killed": the event is a claim
    assert killed[0].claimed_by is not None
    att = next(a for a in record.attributions if a.id == killed[0].claimed_by)
    assert "army" in " ".join(record.text[s.start : s.end] for s in att.source)


def test_anonymous_official_told(ap):
    _, record = ap
    t = record.text
    found = [a for a in record.attributions
             if [t[s.start:s.end] for s in a.source] == ["a Ukrainian security official"]]
    assert found, [(tuple(t[s.start:s.end] for s in a.source), tuple(t[c.start:c.end] for c in a.cue)) for a in record.attributions]
    att = found[0]
    assert [t[c.start : c.end] for c in att.cue] == ["told"]
    assert att.anonymous
    assert "destroyed more than 40 Russian planes" in t[att.content[0].start : att.content[0].end]
    destroyed = [e for e in record.events if t[e.trigger.start : e.trigger.end] in ("destroyed", "attack")]
    assert any(e.claimed_by == att.id for e in destroyed)


def test_direct_quote_by_zelenskyy(ap):
    _, record = ap
    t = record.text
    direct = [a for a in record.attributions if a.kind == "direct"]
    assert any("We are doing everything" in t[a.content[0].start : a.content[-1].end] for a in direct)
