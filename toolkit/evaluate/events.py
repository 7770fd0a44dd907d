"""Event scores: triggers (TextEE-style identification and classification), multi-label event types per
sentence and per document, modality on matched triggers, and single-label text classification (e.g. ACLED).

An event is (start, end, type, modality) with `end` exclusive.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from .counts import PRF, Tally, safe_div, tally_f1, tally_macro_f1

EventTuple = tuple[int, int, str, str]
NO_PREDICTION = "(none)"


def _overlap(a, b) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_triggers(gold: Sequence[EventTuple], pred: Sequence[EventTuple], how: str = "exact",
                   typed: bool = False) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: same offsets ("exact") or any character overlap ("overlap"),
    and the same type when `typed`. Overlap matching maximises the number of pairs, then the overlap."""
    if not gold or not pred:
        return []
    weight = np.zeros((len(gold), len(pred)))
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if typed and g[2] != p[2]:
                continue
            if how == "exact":
                ok = g[:2] == p[:2]
            else:
                ok = _overlap(g, p) > 0
            if ok:
                weight[i, j] = 1.0 + _overlap(g, p) / (1.0 + max(g[1] - g[0], p[1] - p[0]))
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if weight[i, j] > 0]


@dataclass
class TriggerScores:
    how: str
    types: list[str]
    identification: np.ndarray  # (n_docs, 3): tp, pred, gold
    classification: np.ndarray  # (n_docs, 3)
    per_type: np.ndarray  # (n_docs, n_types, 3) classification tallies
    modality: np.ndarray  # (n_docs, 2): modality right, triggers identified

    @property
    def identification_prf(self) -> PRF:
        return Tally(*self.identification.sum(0)).prf

    @property
    def classification_prf(self) -> PRF:
        return Tally(*self.classification.sum(0)).prf

    @property
    def classification_macro_f1(self) -> float:
        return float(tally_macro_f1(self.per_type.sum(0)))

    def type_prf(self) -> dict[str, PRF]:
        totals = self.per_type.sum(0)
        return {t: Tally(*totals[k]).prf for k, t in enumerate(self.types)}

    @property
    def modality_accuracy(self) -> float:
        right, seen = self.modality.sum(0)
        return safe_div(right, seen)


def _dedup(events: Sequence[EventTuple], typed: bool) -> list[EventTuple]:
    """TextEE scores sets: a repeated (offsets[, type]) counts once."""
    seen, out = set(), []
    for e in sorted(events):
        key = e[:3] if typed else e[:2]
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def trigger_scores(gold_docs: Sequence[Sequence[EventTuple]], pred_docs: Sequence[Sequence[EventTuple]],
                   how: str = "exact", labels: Sequence[str] | None = None) -> TriggerScores:
    """Identification ignores the type; classification needs it; modality is scored on identified triggers."""
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(pred_docs)} predicted")
    types = list(labels) if labels is not None else sorted({e[2] for doc in (*gold_docs, *pred_docs) for e in doc})
    n = len(gold_docs)
    ident, clf, per_type, modality = np.zeros((n, 3)), np.zeros((n, 3)), np.zeros((n, len(types), 3)), np.zeros((n, 2))
    for d, (g_all, p_all) in enumerate(zip(gold_docs, pred_docs)):
        g, p = _dedup(g_all, False), _dedup(p_all, False)
        pairs = match_triggers(g, p, how)
        ident[d] = (len(pairs), len(p), len(g))
        modality[d] = (sum(g[i][3] == p[j][3] for i, j in pairs), len(pairs))
        g, p = _dedup(g_all, True), _dedup(p_all, True)
        pairs = match_triggers(g, p, how, typed=True)
        clf[d] = (len(pairs), len(p), len(g))
        for k, t in enumerate(types):
            per_type[d, k] = (sum(g[i][2] == t for i, _ in pairs), sum(e[2] == t for e in p), sum(e[2] == t for e in g))
    return TriggerScores(how, types, ident, clf, per_type, modality)


# --- multi-label event types per sentence / per document --------------------------------------------------------

def label_sets(events: Sequence[EventTuple], sentences: Sequence[tuple[int, int]] | None = None) -> list[set[str]]:
    """The event types of a document (one set), or of each sentence (a trigger belongs where it starts)."""
    if sentences is None:
        return [{e[2] for e in events}]
    return [{e[2] for e in events if s <= e[0] < t} for s, t in sentences]


@dataclass
class MultiLabelScores:
    labels: list[str]
    per_doc_label: np.ndarray  # (n_docs, n_labels, 3) tallies over the document's items
    per_doc_samples: np.ndarray  # (n_docs, 2): sum of per-item F1, items

    @property
    def micro_f1(self) -> float:
        return float(tally_f1(self.per_doc_label.sum((0, 1))))

    @property
    def macro_f1(self) -> float:
        return float(tally_macro_f1(self.per_doc_label.sum(0)))

    @property
    def samples_f1(self) -> float:
        total, items = self.per_doc_samples.sum(0)
        return safe_div(total, items)


def item_f1(gold: set, pred: set, zero_division: float = 0.0) -> float:
    """Example-based F1 of one item; `zero_division` when both sets are empty (scikit-learn's default is 0)."""
    if not gold and not pred:
        return zero_division
    return 2 * len(gold & pred) / (len(gold) + len(pred))


def multilabel_scores(gold_docs: Sequence[Sequence[set[str]]], pred_docs: Sequence[Sequence[set[str]]],
                      zero_division: float = 0.0, labels: Sequence[str] | None = None) -> MultiLabelScores:
    """Micro, macro (labels present in gold or predictions) and example-based F1 over items grouped by document;
    equal to scikit-learn's f1_score(average="micro" | "macro" | "samples") on the flattened items."""
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(pred_docs)} predicted")
    if labels is None:
        labels = sorted({x for doc in (*gold_docs, *pred_docs) for item in doc for x in item})
    index = {x: k for k, x in enumerate(labels)}
    per_label = np.zeros((len(gold_docs), len(labels), 3))
    samples = np.zeros((len(gold_docs), 2))
    for d, (g_doc, p_doc) in enumerate(zip(gold_docs, pred_docs)):
        if len(g_doc) != len(p_doc):
            raise ValueError(f"document {d}: {len(g_doc)} gold items but {len(p_doc)} predicted")
        for g, p in zip(g_doc, p_doc):
            for x in g & p:
                per_label[d, index[x], 0] += 1
            for x in p:
                per_label[d, index[x], 1] += 1
            for x in g:
                per_label[d, index[x], 2] += 1
            samples[d] += (item_f1(g, p, zero_division), 1)
    return MultiLabelScores(list(labels), per_label, samples)


# --- single-label classification (one gold label per text) -------------------------------------------------------

def to_event_type(label: str, mapping: dict[str, str], event_types: Sequence[str]) -> str | None:
    """Our event type for a gold label given as one of ours or as a mapped foreign label (ACLED sub-event type)."""
    if label in event_types:
        return label
    return mapping.get(label)


def top_type(types: Sequence[str]) -> str:
    """The most frequent predicted type; ties go to the one mentioned first."""
    if not types:
        return NO_PREDICTION
    counts = Counter(types)
    return max(counts, key=lambda t: (counts[t], -types.index(t)))


@dataclass
class ClassificationScores:
    classes: list[str]  # the gold classes: macro-F1 averages over these
    gold: list[str]
    predicted: list[str]
    per_doc_class: np.ndarray  # (n_docs, n_classes, 3) tallies

    @property
    def accuracy(self) -> float:
        return safe_div(sum(g == p for g, p in zip(self.gold, self.predicted)), len(self.gold))

    @property
    def macro_f1(self) -> float:
        f1 = tally_f1(self.per_doc_class.sum(0))
        return safe_div(float(f1.sum()), len(self.classes))

    def confusion(self) -> tuple[list[str], list[str], np.ndarray]:
        """(gold classes, predicted classes, counts[gold, predicted])."""
        cols = sorted(set(self.predicted) | set(self.classes))
        m = np.zeros((len(self.classes), len(cols)), dtype=int)
        for g, p in zip(self.gold, self.predicted):
            m[self.classes.index(g), cols.index(p)] += 1
        return self.classes, cols, m


def classification_scores(gold: Sequence[str], predicted_types: Sequence[Sequence[str]]) -> ClassificationScores:
    """Accuracy and macro-F1 (scikit-learn's, with labels = the gold classes) of each text's top predicted type."""
    if len(gold) != len(predicted_types):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted_types)} predictions")
    predicted = [top_type(list(t)) for t in predicted_types]
    classes = sorted(set(gold))
    per = np.zeros((len(gold), len(classes), 3))
    for d, (g, p) in enumerate(zip(gold, predicted)):
        for k, c in enumerate(classes):
            per[d, k] = ((g == c) and (p == c), p == c, g == c)
    return ClassificationScores(classes, list(gold), predicted, per)


def macro_over_all(counts: np.ndarray) -> np.ndarray:
    """Macro F1 from (..., n_classes, 3) tallies averaged over every class (the gold classes)."""
    return tally_f1(counts).mean(-1) if counts.shape[-2] else np.zeros(counts.shape[:-2])
