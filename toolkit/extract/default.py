"""The default extractor: per layer, the best trained model chosen on validation data when one has been built
(`toolkit train --defaults`, run by `make demo`), else the rules.

Models are looked up in $TOOLKIT_MODELS, else in models/default/ of the source checkout; each task's folder is a
trained model folder (model.json). Nothing is downloaded.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from ..records import Record
from .registry import register

MODELS_ENV = "TOOLKIT_MODELS"
TASKS = ("entities", "events", "attribution")


def default_models_dir() -> Path:
    return Path(os.environ.get(MODELS_ENV) or Path(__file__).resolve().parents[2] / "models" / "default")


def default_model_folders(root: Path | None = None) -> dict[str, Path]:
    root = root or default_models_dir()
    return {t: root / t for t in TASKS if (root / t / "model.json").is_file()}


@register("default")
class DefaultExtractor:
    """Rules for every layer, then each layer that has a chosen trained model is predicted by it."""

    def __init__(self, folders: dict[str, Path] | None = None, **_):
        from ..train.loading import load_trained
        from .rules import RulesExtractor

        self.rules = RulesExtractor()
        chosen = default_model_folders() if folders is None else folders
        self.models = [load_trained(folder) for folder in chosen.values()]
        self.name = "default" if self.models else "rules"

    def predict(self, records: Iterable[Record]) -> list[Record]:
        out = self.rules.predict(records)
        for model in self.models:
            out = model.predict(out)
        if self.models:
            who = "+".join(["rules", *(m.name for m in self.models)])
            for record in out:
                record.provenance = replace(record.provenance, method="model:default", annotator=who)
        return out
