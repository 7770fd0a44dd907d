"""Token-level typed trigger detection: spaCy NER over trigger spans (label = event type), trained with
spaCy's own loop; the modality of each predicted trigger comes from the rule cues around it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ...records import Entity
from ..base import Trainer, TrainingSet
from ..registry import register_model
from .spacy_ner import ARCHITECTURE, TRAINING, fit_ner


def as_trigger_spans(records):
    """Records whose 'entities' are their event triggers, so the NER document builder can be reused."""
    return [replace(r, entities=[Entity(e.id, e.trigger.start, e.trigger.end, e.type) for e in r.events])
            for r in records]


class TriggerTagger:
    def __init__(self, path: Path, labels: list[str]):
        from ..spacy_loop import load_pipeline

        self.nlp = load_pipeline(path)
        self.labels = set(labels)

    def predict_layer(self, texts: list[str]) -> list:
        from ...nlp import parse
        from ..sentence_units import rule_modality

        out = []
        for text, doc in zip(texts, self.nlp.pipe(texts, batch_size=32)):
            parsed = parse(text)  # same tokenizer; carries the sentence boundaries the cues need
            events = []
            for e in doc.ents:
                if e.label_ in self.labels:
                    events.append((e.start_char, e.end_char, e.label_, rule_modality(parsed, e.start, e.end)))
            out.append(events)
        return out


@register_model("events", "trigger-tagger")
class TriggerTaggerTrainer(Trainer):
    defaults = {**TRAINING, **ARCHITECTURE}

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        from ..spacy_loop import entity_docs

        labels = set(data.labels)
        return fit_ner(entity_docs(as_trigger_spans(data.train), labels),
                       entity_docs(as_trigger_spans(data.dev), labels), self.params, seed, out)

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return TriggerTagger(path, meta["labels"])
