"""Extractor names to implementations: adding one is a module plus one `@register` line."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .base import Extractor

_FACTORIES: dict[str, Callable[..., Extractor]] = {}


def register(name: str):
    def wrap(factory):
        _FACTORIES[name] = factory
        return factory

    return wrap


def names() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def get_extractor(name: str, **options) -> Extractor:
    """A registered name, a trained model folder, or any installed spaCy pipeline (for entities)."""
    _load_builtins()
    if name in _FACTORIES:
        return _FACTORIES[name](**options)
    if Path(name).is_dir() and (Path(name) / "model.json").is_file():
        from ..train.loading import load_trained

        return load_trained(Path(name), **options)
    from .pretrained import PretrainedEntities, load_pipeline

    return PretrainedEntities(load_pipeline(name), **options)


def get_annotator(name: str) -> Extractor:
    """What `toolkit annotate --model NAME` runs: a trained model folder fills its own layer and the rules the
    other two; anything else as `get_extractor`."""
    folder = Path(name)
    if folder.is_dir() and (folder / "model.json").is_file():
        from ..train.loading import read_model_json

        task = read_model_json(folder)["task"]
        return get_extractor("default", folders={task: folder})
    return get_extractor(name)


def _load_builtins() -> None:
    from . import default, rules, textacy_quotes  # noqa: F401  (register "default", "rules", "textacy-quotes")
