"""A trained model folder (model.json + model files) back into an extractor with `name` and `predict`."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ToolkitError
from .base import TrainedExtractor, check_labels
from .registry import get_trainer

MODEL_FILE = "model.json"


def read_model_json(path: Path) -> dict:
    file = Path(path) / MODEL_FILE
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ToolkitError(f"{file}: not a readable model.json ({err.__class__.__name__}: {err})") from None
    missing = [k for k in ("task", "model", "labels", "label_scheme") if k not in meta]
    if missing:
        raise ToolkitError(f"{file}: model.json lacks {missing[0]!r}")
    return meta


def load_trained(path: Path, **options) -> TrainedExtractor:
    """The extractor of a trained model folder; it fills its task's layer and keeps the others."""
    path = Path(path)
    meta = read_model_json(path)
    trainer_cls = get_trainer(meta["task"], meta["model"])
    trainer_cls.check_available(meta.get("params") or {})
    if meta["label_scheme"] == "inventory":
        check_labels(meta["labels"], meta["task"], str(path / MODEL_FILE))
    predictor = trainer_cls.load(path, meta, **options)
    return TrainedExtractor(f"{meta['model']}:{path.name}", meta["task"], predictor)
