"""The default rule-based extractor: lexicons and patterns on spaCy's tokenizer and sentencizer."""

from __future__ import annotations

from typing import Iterable

from ...nlp import parse
from ...records import Provenance, Record, now_iso
from ..base import fill_layers
from ..registry import register
from .attribution import find_attributions
from .entities import find_entities
from .events import find_events


class RuleLayers:
    """The three rule layers, usable one at a time by other extractors."""

    def entities(self, text: str):
        return find_entities(parse(text))

    def events_and_attributions(self, text: str, entities):
        doc = parse(text)
        return find_events(doc, entities), find_attributions(doc, entities)


@register("rules")
class RulesExtractor:
    name = "rules"

    def __init__(self, **_):
        pass

    def annotate(self, record: Record, created: str) -> Record:
        doc = parse(record.text)
        ents = find_entities(doc)
        prov = Provenance("rules", "toolkit-rules", created)
        return fill_layers(record, ents, find_events(doc, ents), find_attributions(doc, ents), prov)

    def predict(self, records: Iterable[Record]) -> list[Record]:
        created = now_iso()
        return [self.annotate(r, created) for r in records]
