"""Learned attribution: a CRF tags cues, a second CRF tags each cue's source and content; they form triples.

Both are linear-chain CRFs (python-crfsuite, L-BFGS with elastic-net regularisation), saved in crfsuite's own
format (`cues.crfsuite`, `roles.crfsuite`). The cue tagger reads sentences with lexical, shape and cue-lexicon
features. The role tagger reads a window around one cue (its sentence ± one sentence, widened through quotations
the window cuts) with features relative to that cue; at training time the cues are the gold ones, at prediction
time the cue tagger's. An attribution whose cue gets no content is dropped (every attribution needs one).
Training streams sequences into crfsuite, so the Python side never holds every feature at once.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import ToolkitError
from ...records import Record
from ..attribution_features import (
    CONTENT_TAG,
    SOURCE_TAG,
    DocumentView,
    PredictedAttribution,
    anonymous_flags,
    bio,
    cue_runs,
    cue_sequences,
    gold_cue_groups,
    role_features,
    role_tags,
    role_window,
    spans_of_role,
)
from ..base import Trainer, TrainingSet
from ..registry import register_model

CUE_MODEL, ROLE_MODEL = "cues.crfsuite", "roles.crfsuite"
CRF_HINT = "pip install sklearn-crfsuite"


def crf_trainer(c1: float, c2: float, iterations: int, min_freq: float):
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.minfreq": min_freq,
                        "feature.possible_transitions": True})
    return trainer


class LearnedAttributions:
    def __init__(self, path: Path, params: dict):
        import pycrfsuite

        self.params = params
        self.cues, self.roles = pycrfsuite.Tagger(), pycrfsuite.Tagger()
        for tagger, name in ((self.cues, CUE_MODEL), (self.roles, ROLE_MODEL)):
            file = Path(path) / name
            if not file.is_file():
                raise ToolkitError(f"{path}: model file {name} is missing (train the model again)")
            tagger.open(str(file))

    def predict_layer(self, texts: list[str]) -> list[list[PredictedAttribution]]:
        return [self.predict_text(t) for t in texts]

    def predict_text(self, text: str) -> list[PredictedAttribution]:
        view = DocumentView(text)
        tags: list[str] = []
        for _, feats in cue_sequences(view):
            tags += self.cues.tag(feats)
        cues = cue_runs(tags)
        cue_tokens = {i for cue in cues for i in cue}
        found = []
        for cue in cues:
            window = role_window(view, cue, self.params["sentences_around"], self.params["max_window"])
            roles = self.roles.tag(role_features(view, cue, window, cue_tokens))
            content = spans_of_role(view, window, roles, CONTENT_TAG)
            if content:
                found.append(PredictedAttribution(view.runs(cue), content, spans_of_role(view, window, roles, SOURCE_TAG)))
        for att, anonymous in zip(found, anonymous_flags(view, [a.source for a in found])):
            att.anonymous = anonymous
        return found


def training_views(records: list[Record]) -> list[tuple[Record, DocumentView]]:
    return [(r, DocumentView(r.text)) for r in records if any(a.cue and a.content for a in r.attributions)]


@register_model("attribution", "learned")
class LearnedAttributionTrainer(Trainer):
    """Cue CRF + cue-relative source/content CRF; deterministic (L-BFGS, data in record order)."""

    requires = {"pycrfsuite": CRF_HINT}
    defaults = {
        "cue_c1": 0.05, "cue_c2": 0.01, "cue_iterations": 150,
        "role_c1": 0.05, "role_c2": 0.01, "role_iterations": 150,
        "min_freq": 1, "sentences_around": 1, "max_window": 120,
    }

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        p = self.params
        views = training_views(data.train)
        if not views:
            raise ToolkitError(f"{data.name}: no attribution with a cue and content in the training split")
        cue_trainer = crf_trainer(p["cue_c1"], p["cue_c2"], p["cue_iterations"], p["min_freq"])
        for record, view in views:
            tags = bio(view, gold_cue_groups(record), "CUE")
            for rng, feats in cue_sequences(view):
                cue_trainer.append(feats, [tags[i] for i in rng])
        cue_trainer.train(str(out / CUE_MODEL))
        del cue_trainer
        role_trainer = crf_trainer(p["role_c1"], p["role_c2"], p["role_iterations"], p["min_freq"])
        windows = 0
        for record, view in views:
            cues = [(a, view.tokens_in((c.start, c.end) for c in a.cue)) for a in record.attributions if a.content]
            cue_tokens = {i for _, cue in cues for i in cue}
            for att, cue in cues:
                if not cue:
                    continue
                window = role_window(view, cue, p["sentences_around"], p["max_window"])
                role_trainer.append(role_features(view, cue, window, cue_tokens),
                                    role_tags(view, window, cue, [(s.start, s.end) for s in att.source],
                                              [(s.start, s.end) for s in att.content]))
                windows += 1
        role_trainer.train(str(out / ROLE_MODEL))
        return {"files": [CUE_MODEL, ROLE_MODEL], "training_windows": windows}

    @classmethod
    def load(cls, path: Path, meta: dict, **options):
        return LearnedAttributions(path, {**cls.defaults, **(meta.get("params") or {})})
