"""`train(...)`: load data, fit one registered model into a staging folder, score it on validation, rename.

model.json records what is needed to trust and reproduce a model: task, model, labels, schema version,
training data name and content hash, seed, hyper-parameters, train time, peak memory, toolkit version and
validation scores (computed by loading the saved model back, so they describe the files shipped).
"""

from __future__ import annotations

import json
import random
import resource
import time
from pathlib import Path

from .. import __version__, atomic
from ..errors import ToolkitError
from ..records import now_iso
from ..schema import inventory
from .base import TrainingSet
from .data import content_hash, label_set, load_split, stratified_fraction
from .loading import MODEL_FILE, load_trained
from .registry import get_trainer
from .validation import validation_scores

MEMORY_METHOD = "resource.getrusage ru_maxrss delta (growth of the process's peak resident set during fit, MiB)"


def resolve_params(trainer_cls, config: dict | str | Path | None) -> dict:
    """The model's defaults overridden by a JSON config (a dict or a file); unknown keys are errors."""
    if config is None:
        given = {}
    elif isinstance(config, dict):
        given = config
    else:
        try:
            given = json.loads(Path(config).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ToolkitError(f"{config}: not a readable JSON config ({err.__class__.__name__}: {err})") from None
        if not isinstance(given, dict):
            raise ToolkitError(f"{config}: a config is a JSON object of hyper-parameters")
    unknown = sorted(set(given) - set(trainer_cls.defaults))
    if unknown:
        known = ", ".join(sorted(trainer_cls.defaults)) or "none"
        raise ToolkitError(f"{config or 'config'}: unknown hyper-parameter {unknown[0]!r} for "
                           f"{trainer_cls.task} model {trainer_cls.name!r} (known: {known})")
    return {**trainer_cls.defaults, **given}


def training_set(task: str, trainer_cls, data: str, split: str, dev: str | None, seed: int,
                 fraction: float | None, benchmarks=None, data_options: dict | None = None) -> TrainingSet:
    opts = data_options or {}
    train_records = load_split(data, split, benchmarks, **opts) if trainer_cls.trainable else []
    if trainer_cls.trainable and not train_records:
        raise ToolkitError(f"{data}: the {split!r} split is empty: nothing to train on")
    dev_records = load_split(data, dev, benchmarks, **opts) if dev else []
    if dev and not dev_records:
        raise ToolkitError(f"{data}: the {dev!r} split is empty: no validation data (pass --dev none to skip)")
    scheme, labels = label_set(task, train_records + dev_records, data)
    if scheme != "inventory" and not trainer_cls.foreign_labels:
        raise ToolkitError(f"{data}: a text classification set with its own labels; {task} model "
                           f"{trainer_cls.name!r} needs annotated {task} (try tfidf-logreg or spacy-textcat)")
    if trainer_cls.trainable and not labels:
        raise ToolkitError(f"{data}: no {task} annotations in the {split!r} split: nothing to learn")
    if fraction is not None:
        if not 0 < fraction <= 1:
            raise ToolkitError(f"--fraction must be in (0, 1], got {fraction}")
        train_records = stratified_fraction(train_records, fraction, seed, task)
    return TrainingSet(str(data), train_records, dev_records, labels, scheme)


def train(task: str, model: str, data: str, out: Path, split: str = "train", dev: str | None = "validation",
          seed: int = 0, config: dict | str | Path | None = None, fraction: float | None = None,
          benchmarks: str | Path | None = None, data_options: dict | None = None) -> dict:
    """Train `model` for `task` on `data` into the folder `out`; return the content of its model.json."""
    trainer_cls = get_trainer(task, model)
    params = resolve_params(trainer_cls, config)
    trainer_cls.check_available(params)
    dataset = training_set(task, trainer_cls, data, split, dev, seed, fraction, benchmarks, data_options)
    out = Path(out)
    seed_everything(seed)
    with atomic.staged(out.parent) as stage:
        folder = stage / out.name
        folder.mkdir()
        rss_before = peak_rss_mib()
        started = time.perf_counter()
        extra = trainer_cls(params).fit(dataset, seed, folder)
        seconds = time.perf_counter() - started
        meta = {
            "task": task,
            "model": model,
            "labels": dataset.labels,
            "label_scheme": dataset.label_scheme,
            "schema_version": inventory().schema_version,
            "data": {
                "name": dataset.name, "split": split, "dev": dev, "sha256": content_hash(dataset.train),
                "train_records": len(dataset.train), "dev_records": len(dataset.dev), "fraction": fraction,
                **({"options": data_options} if data_options else {}),
            },
            "seed": seed,
            "params": params,
            "train_seconds": round(seconds, 2),
            "peak_memory_mib": round(max(peak_rss_mib() - rss_before, 0.0), 1),
            "peak_memory_method": MEMORY_METHOD,
            "toolkit_version": __version__,
            "created": now_iso(),
            **extra,
        }
        atomic.write_text(folder / MODEL_FILE, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
        meta["validation"] = score(folder, task, dataset) if dataset.dev else None
        meta["model_bytes"] = folder_bytes(folder)
        atomic.write_text(folder / MODEL_FILE, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


def score(folder: Path, task: str, dataset: TrainingSet) -> dict:
    predicted = load_trained(folder).predict(dataset.dev)
    return validation_scores(task, dataset.dev, predicted, dataset.foreign)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    try:
        import numpy

        numpy.random.seed(seed)
    except ImportError:  # pragma: no cover
        pass


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file() and p.name != MODEL_FILE)
