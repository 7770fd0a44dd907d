"""Training data (read through toolkit.datasource): label sets, content hashes and stratified fractions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import datasource
from ..datasource import benchmarks_dir  # noqa: F401  (used by the benchmark script)
from ..records import Record
from .base import INVENTORY, check_labels, task_labels



def load_split(data: str, split: str, benchmarks: str | Path | None = None, **options) -> list[Record]:
    """Training and validation records: a split a records file lacks is empty here (train checks emptiness)."""
    return datasource.load_split(data, split, benchmarks, required=False, **options)


def content_hash(records: list[Record]) -> str:
    """sha256 over ids, texts and annotation layers: the same data gives the same hash, whatever its timestamps."""
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: r.id):
        d = r.to_dict()
        unit = {k: d[k] for k in ("id", "text", "entities", "events", "attributions")}
        unit["labels"] = r.meta.extra.get("labels")
        h.update(json.dumps(unit, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def is_classification_set(records: list[Record]) -> bool:
    """Every record carries meta.extra["labels"] and no events: a single/multi-label text classification set."""
    return bool(records) and all(isinstance(r.meta.extra.get("labels"), list) and not r.events for r in records)


def label_set(task: str, records: list[Record], where: str) -> tuple[str, list[str]]:
    """(label_scheme, labels): the inventory's labels seen in the data, or a classification set's own labels."""
    if task == "events" and is_classification_set(records):
        scheme = next((r.meta.extra.get("label_scheme") for r in records if r.meta.extra.get("label_scheme")), None)
        labels = sorted({lab for r in records for lab in r.meta.extra["labels"]})
        return f"foreign:{scheme or where}", labels
    labels: set[str] = set()
    for r in records:
        found = set(layer_labels(task, r))
        check_labels(found, task, f"{where} record {r.id}")
        labels |= found
    return INVENTORY, [lab for lab in task_labels(task) if lab in labels]


def layer_labels(task: str, record: Record) -> list[str]:
    if task == "entities":
        return [e.label for e in record.entities]
    if task == "events":
        return [e.type for e in record.events]
    return [a.kind for a in record.attributions]


def source_of(record: Record) -> str:
    return record.meta.publisher or record.meta.source_file or record.id.split("-")[0]


def present_labels(task: str, record: Record) -> list[str]:
    return layer_labels(task, record) + list(record.meta.extra.get("labels") or [])


def stratified_fraction(records: list[Record], fraction: float, seed: int, task: str) -> list[Record]:
    """A seeded, stratified sample: stratum = (source, rarest label present or none), systematic within each.

    Every stratum keeps floor or ceil of `fraction` of its records, so rare labels and small sources stay in.
    """
    if fraction >= 1:
        return list(records)
    counts: dict[str, int] = {}
    for r in records:
        for lab in set(present_labels(task, r)):
            counts[lab] = counts.get(lab, 0) + 1
    strata: dict[tuple, list[Record]] = {}
    for r in records:
        labs = set(present_labels(task, r))
        rarest = min(labs, key=lambda lab: (counts[lab], lab)) if labs else ""
        strata.setdefault((source_of(r), rarest), []).append(r)
    kept = []
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda r: hashlib.sha256(f"{seed}:{r.id}".encode()).hexdigest())
        offset = int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16) / 16**8
        for rank, r in enumerate(members):
            if int((rank + 1) * fraction + offset) > int(rank * fraction + offset):
                kept.append(r)
    order = {id(r): i for i, r in enumerate(records)}
    return sorted(kept, key=lambda r: order[id(r)])
