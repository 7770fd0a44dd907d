"""Sentence-level multi-label event types: TF-IDF n-grams + one-vs-rest logistic regression (scikit-learn).

Saved with skops (`model.skops`), never pickle; loading accepts only scikit-learn, NumPy and SciPy types.
Trains on our records' sentences or on a text classification set with its own labels.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import ToolkitError
from ..base import Trainer, TrainingSet
from ..registry import register_model
from ..sentence_units import SentenceClassifierEvents, training_units

MODEL_FILE = "model.skops"
SKOPS_HINT = "pip install skops"
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def build_pipeline(params: dict, seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, params["max_ngram"]), min_df=params["min_df"], sublinear_tf=True,
                                  lowercase=True)),
        ("clf", OneVsRestClassifier(LogisticRegression(C=params["C"], class_weight=params["class_weight"],
                                                       max_iter=1000, random_state=seed))),
    ])


def load_pipeline(file: Path):
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=str(file))
    foreign = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
    if foreign:
        raise ToolkitError(f"{file}: refuses to load type {foreign[0]!r} (only scikit-learn, NumPy and SciPy types)")
    return sio.load(str(file), trusted=untrusted)


class TfidfClassifier:
    def __init__(self, pipeline, labels: list[str], threshold: float):
        self.pipeline, self.labels, self.threshold = pipeline, labels, threshold

    def __call__(self, texts: list[str]) -> list[set[str]]:
        if not texts:
            return []
        probs = self.pipeline.predict_proba(texts)
        return [{lab for lab, p in zip(self.labels, row) if p >= self.threshold} for row in probs]


@register_model("events", "tfidf-logreg")
class TfidfLogregTrainer(Trainer):
    foreign_labels = True
    requires = {"skops": SKOPS_HINT}
    defaults = {"C": 4.0, "max_ngram": 2, "min_df": 2, "class_weight": "balanced", "threshold": 0.5}

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        import numpy as np
        import skops.io as sio

        texts, label_sets = training_units(data.train, data.foreign)
        y = np.array([[int(lab in labels) for lab in data.labels] for labels in label_sets])
        if y.sum() == 0:
            raise ToolkitError(f"{data.name}: no training unit carries a label: nothing to learn")
        pipeline = build_pipeline(self.params, seed)
        pipeline.fit(texts, y)
        sio.dump(pipeline, str(out / MODEL_FILE))
        return {"files": [MODEL_FILE], "train_units": len(texts)}

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        classify = TfidfClassifier(load_pipeline(path / MODEL_FILE), meta["labels"], meta["params"]["threshold"])
        return SentenceClassifierEvents(classify, meta["label_scheme"] != "inventory")
