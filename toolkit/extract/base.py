"""The extractor interface: `predict(records) -> records`, filling all three layers."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Protocol

from spacy.tokens import Doc

from ..attribution import derive
from ..records import Attribution, Entity, Event, Provenance, Record, Span

EntitySpans = list[tuple[int, int, str]]


class Extractor(Protocol):
    name: str

    def predict(self, records: Iterable[Record]) -> list[Record]: ...


def fill_layers(record: Record, entities: EntitySpans, events, attributions, provenance: Provenance) -> Record:
    """A copy of `record` with fresh layers, numbered ids and every derived field set."""
    ents = [Entity(f"T{i}", s, e, label) for i, (s, e, label) in enumerate(sorted(entities), start=1)]
    evs = [Event(f"E{i}", Span(s, e), etype, modality) for i, (s, e, etype, modality) in enumerate(sorted(events), start=1)]
    atts = [
        Attribution(
            f"A{i}",
            cue=[Span(*c) for c in found.cue],
            content=[Span(*c) for c in found.content],
            source=[Span(*c) for c in found.source],
            anonymous=found.anonymous,
        )
        for i, found in enumerate(attributions, start=1)
    ]
    out = replace(record, entities=ents, events=evs, attributions=atts, provenance=provenance)
    return derive(out)


def entity_spans_of(doc: Doc) -> EntitySpans:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
