"""Learning curves: each model trained on 25/50/75/100 % of the training split (same seed), scored on dev."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

FRACTIONS = (0.25, 0.5, 0.75, 1.0)


def learning_curves(task: str, models: Sequence[str], data: str, out: Path, fractions: Sequence[float] = FRACTIONS,
                    seed: int = 0, split: str = "train", dev: str = "validation",
                    progress: Callable[[str], None] | None = None,
                    **train_options) -> tuple[dict[str, list[tuple[float, float]]], dict[str, Path]]:
    """({model: [(fraction, dev headline score)]}, {model: folder of the model trained on everything})."""
    from .train.run import train
    from .train.validation import headline

    curves: dict[str, list[tuple[float, float]]] = {}
    full: dict[str, Path] = {}
    for model in models:
        for fraction in fractions:
            folder = Path(out) / f"{model}-{round(fraction * 100)}"
            progress and progress(f"training {model} on {fraction:.0%} of {split}")
            meta = train(task, model, data, folder, split=split, dev=dev, seed=seed,
                         fraction=None if fraction >= 1 else fraction, **train_options)
            best = headline(task, meta.get("validation"), meta.get("label_scheme", "").startswith("foreign"))
            if best is not None:
                curves.setdefault(model, []).append((fraction, best[1]))
            if fraction >= 1:
                full[model] = folder
    return curves, full
