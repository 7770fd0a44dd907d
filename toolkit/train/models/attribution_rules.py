"""The rule extractor's attribution layer as a model that learns nothing.

It still gets a model folder with model.json and validation scores, so it sits in the same tables as the
learned model. The rule entity layer is computed too: the rules use it to tell named from anonymous sources.
"""

from __future__ import annotations

from pathlib import Path

from ..base import Trainer
from ..registry import register_model


class RuleAttributions:
    def predict_layer(self, texts: list[str]) -> list:
        from ...extract.rules.attribution import find_attributions
        from ...extract.rules.entities import find_entities
        from ...nlp import parse

        out = []
        for text in texts:
            doc = parse(text)
            out.append(find_attributions(doc, find_entities(doc)))
        return out


@register_model("attribution", "rules")
class AttributionRulesTrainer(Trainer):
    """`toolkit.extract.rules.attribution.find_attributions` on `toolkit.nlp.parse`, with rule entities."""

    trainable = False

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return RuleAttributions()
