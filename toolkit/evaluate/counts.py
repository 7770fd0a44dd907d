"""Precision/recall/F1 from counts, shared by every scorer; counts add up across documents, so they bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def safe_div(num: float, den: float) -> float:
    """0 when the denominator is 0: seqeval's and scikit-learn's zero_division=0 convention."""
    return num / den if den else 0.0


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, tp: float, n_pred: float, n_gold: float) -> "PRF":
        return cls.of_rates(safe_div(tp, n_pred), safe_div(tp, n_gold))

    @classmethod
    def of_rates(cls, precision: float, recall: float) -> "PRF":
        return cls(precision, recall, safe_div(2 * precision * recall, precision + recall))


@dataclass
class Tally:
    """True positives, predictions and gold items: the additive core of micro P/R/F1."""

    tp: float = 0
    pred: float = 0
    gold: float = 0

    def __iadd__(self, other: "Tally") -> "Tally":
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold
        return self

    @property
    def prf(self) -> PRF:
        return PRF.of(self.tp, self.pred, self.gold)

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.tp, self.pred, self.gold)


def macro_f1(tallies: dict[str, Tally]) -> float:
    """Mean F1 over the labels present in gold or predictions (seqeval's and scikit-learn's label set)."""
    present = [t for t in tallies.values() if t.pred or t.gold]
    return safe_div(sum(t.prf.f1 for t in present), len(present))


def tally_f1(counts: np.ndarray) -> np.ndarray:
    """Micro F1 from (..., 3) tallies (tp, pred, gold)."""
    den = counts[..., 1] + counts[..., 2]
    return np.where(den > 0, 2 * counts[..., 0] / np.where(den > 0, den, 1), 0.0)


def tally_macro_f1(counts: np.ndarray) -> np.ndarray:
    """Macro F1 from (..., n_labels, 3) tallies over the labels present in gold or predictions."""
    f1 = tally_f1(counts)
    present = (counts[..., 1] + counts[..., 2]) > 0
    n = present.sum(-1)
    return np.where(n > 0, (f1 * present).sum(-1) / np.maximum(n, 1), 0.0)
