"""Spans survive cleaning, JSON serialization and the Hugging Face dataset, in both directions."""

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from toolkit.cleaning import clean
from toolkit.dataset import build, record_from_row
from toolkit.records import Entity, Record
from toolkit.schema import inventory
from records_fixture import make_record

WORDS = ["Kyiv", "shelled", "the", "army", "said", "drones", "caf\u00e9", "â€œquotedâ€\x9d", "“curly”", "12"]
SEPS = [" ", "  ", "\t", "\n", "\n\n\n", " \u00a0"]
CAPTION = "Smoke rises. AP/Photographer hide caption"


@st.composite
def raw_documents(draw):
    n = draw(st.integers(1, 30))
    parts, words = [], []
    pos = 0
    if draw(st.booleans()):
        parts.append(CAPTION + "\n")
        pos += len(CAPTION) + 1
    for _ in range(n):
        w = draw(st.sampled_from(WORDS))
        words.append((pos, pos + len(w)))
        parts.append(w)
        pos += len(w)
        sep = draw(st.sampled_from(SEPS))
        parts.append(sep)
        pos += len(sep)
    return "".join(parts), words


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw_documents(), st.data())
def test_spans_survive_cleaning_and_serialization(doc, data):
    raw, words = doc
    cleaned = clean(raw)
    if not cleaned.text.strip():
        return
    labels = inventory().entity_labels
    entities = []
    for i, (s, e) in enumerate(words):
        mapped = cleaned.offsets.span_to_clean((s, e))
        touched = any(ed.start < e and s < ed.end for ed in cleaned.edits)
        if mapped is None or touched:
            continue
        assert cleaned.text[mapped[0] : mapped[1]] == raw[s:e]
        if not entities or entities[-1].end <= mapped[0]:
            entities.append(Entity(f"T{i + 1}", mapped[0], mapped[1], data.draw(st.sampled_from(labels))))
    record = Record("doc", cleaned.text, entities=entities)
    again = Record.from_dict(json.loads(record.to_json()))
    assert again == record
    built = build([record])["documents"]
    split = next(iter(built))
    back = record_from_row(built[split][0], built[split].features)
    assert back.entities == record.entities and back.text == record.text


def test_full_record_survives_the_dataset():
    record = make_record()
    built = build([record])
    split = next(iter(built["documents"]))
    ds = built["documents"][split]
    back = record_from_row(ds[0], ds.features)
    assert back.text == record.text and back.entities == record.entities
    assert back.events == record.events and back.attributions == record.attributions
    assert back.meta == record.meta and back.provenance == record.provenance
