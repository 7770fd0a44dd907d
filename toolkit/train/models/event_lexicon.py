"""The rule trigger lexicon (`toolkit.extract.rules.events.find_events`) as an events model: nothing learnt.

Entities that type some triggers come from the rule entity extractor, never from the records scored.
"""

from __future__ import annotations

from pathlib import Path

from ..base import Trainer
from ..registry import register_model


class LexiconEvents:
    def predict_layer(self, texts: list[str]) -> list:
        from ...nlp import parse
        from ..sentence_units import rule_events

        return [rule_events(parse(t)) for t in texts]


@register_model("events", "lexicon")
class LexiconTrainer(Trainer):
    trainable = False

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return LexiconEvents()
