"""A linear-chain CRF tagger (python-crfsuite through sklearn-crfsuite) over BIO tags, per sentence.

Features are lexical (word, affixes, neighbours) and shape-based (case, digits, punctuation), the classic
CoNLL baseline. The model file is crfsuite's own format (`model.crfsuite`), written by crfsuite itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...nlp import parse
from ...spans import bio_tags, tags_to_spans
from ..base import Trainer, TrainingSet
from ..registry import register_model

MODEL_FILE = "model.crfsuite"
CRF_HINT = "pip install sklearn-crfsuite"


def shape(word: str) -> str:
    """Collapsed word shape: 'Kharkiv' -> 'Xx', 'Tu-95' -> 'Xx-d', '12:50' -> 'd:d'."""
    s = re.sub(r"[A-Z]+", "X", word)
    s = re.sub(r"[a-z]+", "x", s)
    return re.sub(r"[0-9]+", "d", s)


def word_features(word: str, prefix: str) -> dict:
    low = word.lower()
    return {
        f"{prefix}lower": low, f"{prefix}shape": shape(word), f"{prefix}suf3": low[-3:],
        f"{prefix}title": word.istitle(), f"{prefix}upper": word.isupper(),
    }


def token_features(words: list[str], i: int) -> dict:
    w = words[i]
    low = w.lower()
    f = {
        "bias": 1.0, "lower": low, "pre2": low[:2], "pre3": low[:3], "suf2": low[-2:], "suf3": low[-3:],
        "suf4": low[-4:], "shape": shape(w), "long_shape": re.sub(r"[0-9]", "d", re.sub(r"[a-z]", "x", re.sub(r"[A-Z]", "X", w)))[:8],
        "title": w.istitle(), "upper": w.isupper(), "digit": w.isdigit(), "has_digit": any(c.isdigit() for c in w),
        "has_hyphen": "-" in w, "punct": not any(c.isalnum() for c in w), "len": min(len(w), 10),
    }
    for off in (-2, -1, 1, 2):
        j = i + off
        if 0 <= j < len(words):
            f.update(word_features(words[j], f"{off:+d}:"))
        else:
            f[f"{off:+d}:edge"] = True
    if 0 < i:
        f["-1:bigram"] = f"{words[i - 1].lower()}|{low}"
    if i + 1 < len(words):
        f["+1:bigram"] = f"{low}|{words[i + 1].lower()}"
    return f


def plain_sequences(doc) -> list[tuple[list, list[dict]]]:
    """(non-space tokens, their features) per sentence: what the CRF tags, in training and prediction alike."""
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if toks:
            words = [t.text for t in toks]
            out.append((toks, [token_features(words, i) for i in range(len(words))]))
    return out


def training_sequences(records, labels: set[str]):
    xs, ys = [], []
    for record in records:
        doc = parse(record.text)
        tags = bio_tags(doc, [(e.start, e.end, e.label) for e in record.entities if e.label in labels])
        for toks, feats in plain_sequences(doc):
            xs.append(feats)
            ys.append([tags[t.i] for t in toks])
    return xs, ys


class CrfEntities:
    """A crfsuite tagger over token sequences; `sequences(doc)` gives (tokens, features) per sentence."""

    def __init__(self, path: Path, sequences=plain_sequences):
        import pycrfsuite

        self.sequences = sequences
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(path / MODEL_FILE))

    def predict_layer(self, texts: list[str]) -> list:
        out = []
        for text in texts:
            spans = []
            for toks, feats in self.sequences(parse(text)):
                spans += tags_to_spans([(t.idx, t.idx + len(t.text)) for t in toks], self.tagger.tag(feats))
            out.append(spans)
        return out


@register_model("entities", "crf")
class CrfTrainer(Trainer):
    """L-BFGS with elastic-net regularisation; all possible transitions so unseen BIO moves are penalised."""

    requires = {"sklearn_crfsuite": CRF_HINT, "pycrfsuite": CRF_HINT}
    defaults = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "all_possible_transitions": True}

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        import sklearn_crfsuite

        xs, ys = training_sequences(data.train, set(data.labels))
        crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=self.params["c1"], c2=self.params["c2"],
                                   max_iterations=self.params["max_iterations"],
                                   all_possible_transitions=self.params["all_possible_transitions"],
                                   model_filename=str(out / MODEL_FILE))
        crf.fit(xs, ys)
        return {"files": [MODEL_FILE]}

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return CrfEntities(path)
