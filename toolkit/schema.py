"""The label inventory and the record JSON Schema, loaded once from schemas/.

Every label list in the toolkit comes from here, so that schemas/ stays the single source of truth.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

SCHEMA_FILE = "record.schema.json"
LABELS_FILE = "labels.json"


def schema_dir() -> Path:
    """schemas/ of a source checkout, else the copy installed inside the package."""
    checkout = Path(__file__).resolve().parent.parent / "schemas"
    if (checkout / LABELS_FILE).is_file():
        return checkout
    return Path(str(resources.files("toolkit") / "schemas"))


@dataclass(frozen=True)
class Inventory:
    schema_version: str
    entity_types: dict[str, str]
    event_types: dict[str, dict]
    modalities: dict[str, str]
    attribution_kinds: dict[str, str]
    splits: tuple[str, ...]
    entity_type_mappings: dict[str, dict]

    @property
    def entity_labels(self) -> list[str]:
        return list(self.entity_types)

    @property
    def event_labels(self) -> list[str]:
        return list(self.event_types)

    @property
    def modality_labels(self) -> list[str]:
        return list(self.modalities)

    @property
    def kind_labels(self) -> list[str]:
        return list(self.attribution_kinds)

    @property
    def bio_labels(self) -> list[str]:
        """BIO tag names for the `ner` config: O, then B-/I- per entity type."""
        return ["O"] + [f"{p}-{t}" for t in self.entity_labels for p in ("B", "I")]

    def entity_mapping(self, scheme: str) -> dict:
        """A foreign entity type scheme (e.g. "ontonotes", "re3d") mapped to ours."""
        return self.entity_type_mappings[scheme]["map"]

    def acled_to_event_type(self) -> dict[str, str]:
        """ACLED sub-event type to our event type, derived from the event mapping table."""
        table = {}
        for label, spec in self.event_types.items():
            for acled in spec["acled"]:
                table.setdefault(acled["sub_event_type"], label)
        return table


@cache
def inventory() -> Inventory:
    data = json.loads((schema_dir() / LABELS_FILE).read_text(encoding="utf-8"))
    return Inventory(
        schema_version=data["schema_version"],
        entity_types=data["entity_types"],
        event_types=data["event_types"],
        modalities=data["modalities"],
        attribution_kinds=data["attribution_kinds"],
        splits=tuple(data["splits"]),
        entity_type_mappings=data["entity_type_mappings"],
    )


@cache
def record_schema() -> dict:
    """The record JSON Schema with its label enums filled from the inventory."""
    schema = json.loads((schema_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    inv = inventory()
    enums = {
        "entity_label": inv.entity_labels,
        "event_type": inv.event_labels,
        "modality": inv.modality_labels,
        "attribution_kind": inv.kind_labels,
        "split": list(inv.splits),
    }
    schema = copy.deepcopy(schema)
    for name, values in enums.items():
        schema["$defs"][name]["enum"] = values
    return schema

