"""Validation scores of predicted records against gold ones, for model.json, with `toolkit.evaluate`'s scorers.

Entities: strict (start, end, label) spans (nervaluate's strict scenario). Events: exact typed triggers, plus
the set of event types per document and per sentence, the units on which sentence classifiers and trigger
taggers compare fairly. A foreign text classification set: the label set of each record (a sentence).
"""

from __future__ import annotations

from ..evaluate import entities as entity_scorer
from ..evaluate import events as event_scorer
from ..evaluate.counts import PRF
from ..nlp import parse
from ..records import Record


def prf(p: PRF) -> dict:
    return {"precision": round(p.precision, 4), "recall": round(p.recall, 4), "f1": round(p.f1, 4)}


def entity_scores(gold: list[Record], pred: list[Record]) -> dict:
    g = [[(e.start, e.end, e.label) for e in r.entities] for r in gold]
    p = [[(e.start, e.end, e.label) for e in r.entities] for r in pred]
    strict = entity_scorer.scenario_scores(g, p)["strict"]
    per_label = {lab: prf(c.prf("strict")) for lab, c in strict.per_type.items()}
    return {"strict": {**prf(strict.micro), "macro_f1": round(strict.macro_f1, 4), "per_label": per_label},
            "documents": len(gold)}


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in parse(text).sents]


def multilabel(gold: list[list[set]], pred: list[list[set]]) -> dict:
    s = event_scorer.multilabel_scores(gold, pred, zero_division=1.0)
    return {"micro_f1": round(s.micro_f1, 4), "macro_f1": round(s.macro_f1, 4), "example_f1": round(s.samples_f1, 4),
            "units": int(s.per_doc_samples[:, 1].sum())}


def event_scores(gold: list[Record], pred: list[Record]) -> dict:
    def tuples(r: Record):
        return [(e.trigger.start, e.trigger.end, e.type, e.modality) for e in r.events]

    g, p = [tuples(r) for r in gold], [tuples(r) for r in pred]
    triggers = event_scorer.trigger_scores(g, p, "exact")
    bounds = [sentence_bounds(r.text) for r in gold]
    return {
        "trigger_identification": prf(triggers.identification_prf),
        "trigger_classification": {**prf(triggers.classification_prf),
                                   "macro_f1": round(triggers.classification_macro_f1, 4)},
        "modality_accuracy": round(triggers.modality_accuracy, 4),
        "document_types": multilabel([event_scorer.label_sets(x) for x in g], [event_scorer.label_sets(x) for x in p]),
        "sentence_types": multilabel([event_scorer.label_sets(x, b) for x, b in zip(g, bounds)],
                                     [event_scorer.label_sets(x, b) for x, b in zip(p, bounds)]),
        "documents": len(gold),
    }


def classification_scores(gold: list[Record], pred: list[Record]) -> dict:
    g = [[set(r.meta.extra.get("labels") or [])] for r in gold]
    p = [[set(r.meta.extra.get("labels") or [])] for r in pred]
    return {"labels": multilabel(g, p)}


def attribution_scores(gold: list[Record], pred: list[Record]) -> dict:
    """Exact match per role after one-to-one matching by cue, and relation-level exact F1."""
    from ..evaluate import attribution as att_scorer

    s = att_scorer.attribution_scores([r.text for r in gold], [r.attributions for r in gold],
                                      [r.attributions for r in pred])
    out = {role: prf(s.prf(s.exact_index(role))) for role in att_scorer.ROLES}
    out["relation"] = prf(s.prf(s.RELATION_EXACT))
    return out


def validation_scores(task: str, gold: list[Record], pred: list[Record], foreign: bool = False) -> dict:
    if task == "entities":
        return entity_scores(gold, pred)
    if task == "events":
        return classification_scores(gold, pred) if foreign else event_scores(gold, pred)
    return attribution_scores(gold, pred)


def headline(task: str, scores: dict | None, foreign: bool = False) -> tuple[str, float] | None:
    """The one number a summary line shows."""
    if not scores:
        return None
    if task == "entities":
        return "strict span F1", scores["strict"]["f1"]
    if task == "events":
        if foreign:
            return "label micro F1", scores["labels"]["micro_f1"]
        return "document type micro F1", scores["document_types"]["micro_f1"]
    return "content exact F1", scores["content"]["f1"]
