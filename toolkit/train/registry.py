"""Task -> model name -> trainer class. Adding a model is one module in `models/` plus `@register_model`."""

from __future__ import annotations

from ..errors import ToolkitError

TASKS = ("entities", "events", "attribution")

_TRAINERS: dict[str, dict[str, type]] = {task: {} for task in TASKS}


def register_model(task: str, name: str):
    if task not in _TRAINERS:
        raise ValueError(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")

    def wrap(cls: type) -> type:
        cls.task, cls.name = task, name
        _TRAINERS[task][name] = cls
        return cls

    return wrap


def _load_builtins() -> None:
    """Import every module of `toolkit.train.models` so its registrations run."""
    import importlib
    import pkgutil

    from . import models as package

    for mod in pkgutil.iter_modules(package.__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{mod.name}")


def model_names(task: str | None = None) -> dict[str, list[str]]:
    """Registered model names per task (all tasks, or one)."""
    _load_builtins()
    tasks = [_check_task(task)] if task else list(TASKS)
    return {t: sorted(_TRAINERS[t]) for t in tasks}


def get_trainer(task: str, name: str) -> type:
    _load_builtins()
    known = _TRAINERS[_check_task(task)]
    if name not in known:
        choices = ", ".join(sorted(known)) or "none yet"
        raise ToolkitError(f"unknown {task} model {name!r}; choose one of: {choices}")
    return known[name]


def _check_task(task: str) -> str:
    if task not in _TRAINERS:
        raise ToolkitError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    return task
