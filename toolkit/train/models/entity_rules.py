"""Entity baselines that learn nothing: the rule extractor's entity layer, and a pretrained spaCy pipeline.

Both still get a model folder with model.json and validation scores, so they sit in the same tables.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import ToolkitError
from ...schema import inventory
from ..base import PRETRAINED_HINT, PRETRAINED_PIPELINE, Trainer, TrainingSet
from ..registry import register_model


class RuleEntities:
    def predict_layer(self, texts: list[str]) -> list:
        from ...extract.rules.entities import find_entities
        from ...nlp import parse

        return [find_entities(parse(t)) for t in texts]


@register_model("entities", "rules")
class RulesTrainer(Trainer):
    """`toolkit.extract.rules.entities.find_entities` on `toolkit.nlp.parse`."""

    trainable = False

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return RuleEntities()


class PipelineEntities:
    """Zero-shot: the pipeline's OntoNotes entities mapped to ours; unmapped types are dropped."""

    def __init__(self, pipeline: str):
        import spacy

        try:
            self.nlp = spacy.load(pipeline, exclude=["parser", "lemmatizer"])
        except (OSError, ImportError):
            raise ToolkitError(f"needs an installed pretrained pipeline ({pipeline}): {PRETRAINED_HINT}") from None
        if "ner" not in self.nlp.pipe_names:
            raise ToolkitError(f"{pipeline}: this spaCy pipeline has no 'ner' component")

    def predict_layer(self, texts: list[str]) -> list:
        from ...extract.base import entity_spans_of
        from ...extract.pretrained import map_entities

        mapping = inventory().entity_mapping("ontonotes")
        return [map_entities(entity_spans_of(doc), mapping) for doc in self.nlp.pipe(texts, batch_size=32)]


@register_model("entities", "pretrained")
class PretrainedTrainer(Trainer):
    """Any installed spaCy pipeline with NER, through the OntoNotes mapping of schemas/labels.json."""

    trainable = False
    defaults = {"pipeline": PRETRAINED_PIPELINE}

    @classmethod
    def check_available(cls, params: dict | None = None) -> None:
        require_pipeline((params or {}).get("pipeline", PRETRAINED_PIPELINE))

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        import spacy

        return {"pipeline_version": spacy.util.get_package_version(self.params["pipeline"])}

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return PipelineEntities(meta["params"]["pipeline"])


def require_pipeline(name: str) -> None:
    import spacy.util

    if not spacy.util.is_package(name) and not Path(name).is_dir():
        raise ToolkitError(f"needs an installed pretrained pipeline ({name}): {PRETRAINED_HINT}")
