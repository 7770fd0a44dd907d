"""Confidence intervals and significance over documents: every figure is a function of per-document counts
that add up, so a resample of documents is a weighted sum of rows (no re-scoring).

- bootstrap: 95 % percentile intervals from resamples of documents drawn with a seeded numpy Generator;
- paired bootstrap: the same resamples for both models; p = share of resampled differences at least as far
  from the observed one as the observed one is from 0 (two-sided, shifted to the null; Berg-Kirkpatrick et al.);
- approximate randomization: each document's counts swapped between the two models with probability 1/2;
  p = (1 + rounds with |difference| >= observed) / (1 + rounds) (Noreen; Riezler and Maxwell).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass
class Measure:
    """A figure as a function of summed per-document counts: value_of maps (batch, *count_shape) to (batch,)."""

    rows: np.ndarray  # (n_docs, *count_shape)
    value_of: Callable[[np.ndarray], np.ndarray]

    @property
    def n(self) -> int:
        return int(self.rows.shape[0])

    @property
    def value(self) -> float:
        return float(self.value_of(self.rows.sum(0)[None])[0])

    def resampled(self, weights: np.ndarray) -> np.ndarray:
        """Values under document weights (resamples, n_docs)."""
        return self.value_of(np.tensordot(weights, self.rows, axes=(1, 0)))


def resample_weights(n_docs: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """How often each document is drawn in each bootstrap resample: (n_resamples, n_docs)."""
    if n_docs == 0:
        return np.zeros((n_resamples, 0))
    return rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_resamples).astype(float)


def percentile_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = 100 * (1 - level) / 2
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def bootstrap_ci(measure: Measure, weights: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    if measure.n == 0 or len(weights) == 0:
        return measure.value, measure.value
    return percentile_ci(measure.resampled(weights), level)


def paired_bootstrap_p(best: Measure, other: Measure, weights: np.ndarray) -> float:
    delta = best.value - other.value
    if len(weights) == 0:
        return 1.0
    deltas = best.resampled(weights) - other.resampled(weights)
    extreme = np.abs(deltas - delta) >= abs(delta) - 1e-12
    return float((1 + extreme.sum()) / (1 + len(deltas)))


def approximate_randomization_p(best: Measure, other: Measure, rng: np.random.Generator, rounds: int) -> float:
    if best.rows.shape != other.rows.shape:
        raise ValueError("the two models were not scored on the same documents")
    delta = abs(best.value - other.value)
    if rounds == 0:
        return 1.0
    swap = (rng.random((rounds, best.n)) < 0.5).astype(float)
    total_a, total_b = best.rows.sum(0), other.rows.sum(0)
    moved = np.tensordot(swap, other.rows - best.rows, axes=(1, 0))  # what swapping adds to A (and takes from B)
    diffs = best.value_of(total_a[None] + moved) - best.value_of(total_b[None] - moved)
    extreme = np.abs(diffs) >= delta - 1e-12
    return float((1 + extreme.sum()) / (1 + rounds))


def mean_ci(samples: np.ndarray, rng: np.random.Generator, n_resamples: int, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of per-batch rates and a bootstrap interval for it (as `spacy benchmark speed` reports)."""
    samples = np.asarray(samples, dtype=float)
    if samples.size == 0:
        return float("nan"), float("nan"), float("nan")
    idx = rng.integers(0, samples.size, size=(max(n_resamples, 1), samples.size))
    lo, hi = percentile_ci(samples[idx].mean(1), level)
    return float(samples.mean()), lo, hi
