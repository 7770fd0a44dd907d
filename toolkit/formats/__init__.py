"""Importers and exporters of other annotation formats, behind one registry shared by `import`, `export`,
`train` and `evaluate`. Adding a format is one module plus `@importer(NAME)` / `@exporter(NAME)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import Problem, ToolkitError
from ..records import Record


@dataclass
class ImportResult:
    records: list[Record]
    problems: list[Problem] = field(default_factory=list)


Importer = Callable[..., ImportResult]  # (path: Path, **options) -> ImportResult
Exporter = Callable[..., list[str]]  # (records, out: Path, **options) -> notes on what the format cannot carry

_IMPORTERS: dict[str, Importer] = {}
_EXPORTERS: dict[str, Exporter] = {}


def importer(name: str):
    def wrap(fn: Importer) -> Importer:
        _IMPORTERS[name] = fn
        return fn

    return wrap


def exporter(name: str):
    def wrap(fn: Exporter) -> Exporter:
        _EXPORTERS[name] = fn
        return fn

    return wrap


def _load_builtins() -> None:
    """Import every module in this package so its registrations run."""
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")


def importers() -> list[str]:
    _load_builtins()
    return sorted(_IMPORTERS)


def exporters() -> list[str]:
    _load_builtins()
    return sorted(_EXPORTERS)


def get_importer(name: str) -> Importer:
    _load_builtins()
    if name not in _IMPORTERS:
        raise ToolkitError(f"unknown import format {name!r}; choose one of {', '.join(sorted(_IMPORTERS))}")
    return _IMPORTERS[name]


def get_exporter(name: str) -> Exporter:
    _load_builtins()
    if name not in _EXPORTERS:
        raise ToolkitError(f"unknown export format {name!r}; choose one of {', '.join(sorted(_EXPORTERS))}")
    return _EXPORTERS[name]


def import_records(name: str, path: Path, **options) -> ImportResult:
    return get_importer(name)(Path(path), **options)


def export_records(name: str, records: Iterable[Record], out: Path, **options) -> list[str]:
    return get_exporter(name)(list(records), Path(out), **options)
