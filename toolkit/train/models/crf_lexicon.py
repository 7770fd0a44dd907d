"""`crf-lexicon`: the CRF tagger with what the toolkit already knows as features, and rare types oversampled.

Features (token_features.py): spelling and shape of each token and its neighbours (±1 by default: ±2 and ±3
did worse on re3d dev), the entity lexicon's word lists, the rule extractor's entity tags, and optionally an
installed spaCy pipeline's POS tags, entities and token vectors. Rare types drag macro-F1 down, so a training
sentence whose rarest entity type has `count` mentions is given `min(oversample_cap, ceil(oversample_target /
count))` times (deterministic; 0 turns it off). The model file is crfsuite's own format, written by
python-crfsuite (no pickle).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from ...nlp import parse
from ...spans import bio_tags
from ..base import Trainer, TrainingSet
from ..registry import register_model
from .crf import CRF_HINT, MODEL_FILE, CrfEntities
from .entity_rules import require_pipeline
from .token_features import FeatureOptions, doc_sequences, lexicon_sha256

FEATURE_PARAMS = ("window", "lexicon", "rules", "pipeline", "vectors", "vector_scale")


def feature_options(params: dict) -> FeatureOptions:
    return FeatureOptions(**{k: params[k] for k in FEATURE_PARAMS})


def repeats(tag_sequences: list[list[str]], target: int, cap: int) -> list[int]:
    """How often each sequence is given to the trainer: more often when it holds a rare entity type."""
    counts = Counter(t[2:] for tags in tag_sequences for t in tags if t.startswith("B-"))
    out = []
    for tags in tag_sequences:
        types = {t[2:] for t in tags if t != "O"}
        rarest = min((counts[t] for t in types), default=0)
        out.append(max(1, min(cap, math.ceil(target / rarest))) if target > 0 and rarest else 1)
    return out


def fit_crf(features: list[list[dict]], tags: list[list[str]], params: dict, path: Path) -> dict:
    """Train with L-BFGS into `path` (crfsuite format); returns facts for model.json."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    reps = repeats(tags, params["oversample_target"], params["oversample_cap"])
    for x, y, r in zip(features, tags, reps):
        seq = pycrfsuite.ItemSequence(x)
        for _ in range(r):
            trainer.append(seq, y)
    trainer.set_params({"c1": params["c1"], "c2": params["c2"], "max_iterations": params["max_iterations"],
                        "feature.possible_transitions": params["all_possible_transitions"]})
    trainer.train(str(path))
    return {"training_sequences": len(features), "oversampled_sequences": sum(reps)}


def training_data(records, labels: set[str], options: FeatureOptions) -> tuple[list, list]:
    xs, ys = [], []
    for record in records:
        doc = parse(record.text)
        tags = bio_tags(doc, [(e.start, e.end, e.label) for e in record.entities if e.label in labels])
        for toks, feats in doc_sequences(doc, options):
            xs.append(feats)
            ys.append([tags[t.i] for t in toks])
    return xs, ys


@register_model("entities", "crf-lexicon")
class CrfLexiconTrainer(Trainer):
    """L-BFGS CRF over lexicon, rule and spelling features; c1/c2 and oversampling chosen on re3d dev."""

    requires = {"pycrfsuite": CRF_HINT}
    defaults = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "all_possible_transitions": True,
                "oversample_target": 300, "oversample_cap": 10, **asdict(FeatureOptions())}

    @classmethod
    def check_available(cls, params: dict | None = None) -> None:
        super().check_available(params)
        if (params or {}).get("pipeline"):
            require_pipeline(params["pipeline"])

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        xs, ys = training_data(data.train, set(data.labels), feature_options(self.params))
        facts = fit_crf(xs, ys, self.params, out / MODEL_FILE)
        return {"files": [MODEL_FILE], "lexicon_sha256": lexicon_sha256(), **facts}

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        if meta.get("lexicon_sha256") not in (None, lexicon_sha256()):
            warnings.warn(f"{path}: the entity lexicon changed since this model was trained; its features differ "
                          "a little from training (retrain for exact results)", stacklevel=2)
        options = feature_options({**cls.defaults, **meta["params"]})
        return CrfEntities(path, lambda doc: doc_sequences(doc, options))
