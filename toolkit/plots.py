"""Report plots as PNG bytes (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def per_type_bars(title: str, labels: Sequence[str], models: Sequence[str],
                  values: dict[str, dict[str, tuple[float, float, float]]]) -> bytes:
    """Horizontal bars per label and model, with 95 % CI whiskers; values[model][label] = (value, low, high)."""
    height = 0.8 / max(len(models), 1)
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.32 * len(labels) * max(len(models), 1) ** 0.6))
    y = np.arange(len(labels))
    for k, model in enumerate(models):
        vals = [values.get(model, {}).get(lab, (0.0, 0.0, 0.0)) for lab in labels]
        v = np.array([x[0] for x in vals])
        err = np.array([[x[0] - x[1] for x in vals], [x[2] - x[0] for x in vals]]).clip(min=0)
        ax.barh(y + k * height - 0.4 + height / 2, v, height, xerr=err, capsize=2, label=model,
                error_kw={"elinewidth": 0.8})
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 (95 % bootstrap CI)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def learning_curves(curves: dict[str, Sequence[tuple[float, float]]], metric: str = "score") -> bytes:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for model, points in curves.items():
        pts = sorted(points)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=model)
    ax.set_xlabel("share of training data")
    ax.set_ylabel(metric)
    ax.set_title("Learning curve", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig)


def confusion_matrix(title: str, rows: Sequence[str], cols: Sequence[str], counts: np.ndarray) -> bytes:
    """Counts of gold (rows) against predicted (columns) labels."""
    fig, ax = plt.subplots(figsize=(1.6 + 0.42 * max(len(cols), 1), 1.4 + 0.36 * max(len(rows), 1)))
    ax.imshow(counts if counts.size else np.zeros((1, 1)), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    top = counts.max() if counts.size else 0
    for (i, j), v in np.ndenumerate(counts):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color="white" if v > top / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=10)
    return _png(fig)
