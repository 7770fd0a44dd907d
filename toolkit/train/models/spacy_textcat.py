"""Sentence-level multi-label event types with spaCy's `textcat_multilabel`, trained with spaCy's own loop.

`architecture`: "bow" (sparse n-gram linear model, fast on CPU) or "ensemble" (BOW + a CNN tok2vec).
"""

from __future__ import annotations

import io
from pathlib import Path

from ..base import Trainer, TrainingSet
from ..registry import register_model
from ..sentence_units import SentenceClassifierEvents, training_units
from .spacy_ner import ARCHITECTURE, TRAINING


def cat_docs(texts: list[str], label_sets: list[set[str]], labels: list[str]):
    from ...nlp import blank_pipeline

    docs = []
    for doc, gold in zip(blank_pipeline().tokenizer.pipe(texts), label_sets):
        doc.cats = {lab: float(lab in gold) for lab in labels}
        docs.append(doc)
    return docs


class TextcatClassifier:
    def __init__(self, path: Path, labels: list[str], threshold: float):
        from ..spacy_loop import load_pipeline

        self.nlp, self.labels, self.threshold = load_pipeline(path), labels, threshold

    def __call__(self, texts: list[str]) -> list[set[str]]:
        return [{lab for lab in self.labels if doc.cats.get(lab, 0.0) >= self.threshold}
                for doc in self.nlp.pipe(texts, batch_size=64)]


@register_model("events", "spacy-textcat")
class SpacyTextcatTrainer(Trainer):
    foreign_labels = True
    defaults = {**TRAINING, "max_epochs": 10, "architecture": "bow", "ngram_size": 2, "threshold": 0.5,
                **ARCHITECTURE}

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        from ... import atomic
        from ..spacy_loop import textcat_config, train_pipeline

        train_texts, train_sets = training_units(data.train, data.foreign)
        dev_texts, dev_sets = training_units(data.dev, data.foreign)
        log = io.StringIO()
        train_pipeline(textcat_config(self.params, seed), cat_docs(train_texts, train_sets, data.labels),
                       cat_docs(dev_texts, dev_sets, data.labels), out, log)
        atomic.write_text(out / "train.log", log.getvalue())
        return {"files": ["pipeline/", "train.log"], "train_units": len(train_texts)}

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        classify = TextcatClassifier(path, meta["labels"], meta["params"]["threshold"])
        return SentenceClassifierEvents(classify, meta["label_scheme"] != "inventory")
