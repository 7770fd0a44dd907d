"""The document record: dataclasses that mirror schemas/record.schema.json, and JSONL reading/writing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import ToolkitError
from .schema import inventory


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def to_dict(self, text: str) -> dict:
        return {"start": self.start, "end": self.end, "text": text[self.start : self.end]}

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        return cls(int(d["start"]), int(d["end"]))


@dataclass
class Entity:
    id: str
    start: int
    end: int
    label: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass
class Event:
    id: str
    trigger: Span
    type: str
    modality: str = "asserted"
    claimed_by: str | None = None


@dataclass
class Attribution:
    id: str
    cue: list[Span]
    content: list[Span]
    source: list[Span] = field(default_factory=list)
    kind: str = "indirect"
    anonymous: bool = False
    source_entity: str | None = None


@dataclass
class Meta:
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    language: str = "en"
    license: str | None = None
    redistributable: bool = False
    source_file: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Provenance:
    method: str
    annotator: str
    created: str = field(default_factory=now_iso)
    guideline_version: str | None = None
    reviewed: bool | None = None
    pre_annotation: str | None = None
    tool: str | None = None

    @property
    def is_gold(self) -> bool:
        return self.method == "gold"


@dataclass
class Record:
    id: str
    text: str
    meta: Meta = field(default_factory=Meta)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    provenance: Provenance = field(default_factory=lambda: Provenance("rules", "toolkit"))
    cleaning: dict | None = None
    split: str | None = None
    schema_version: str = field(default_factory=lambda: inventory().schema_version)

    @property
    def text_sha256(self) -> str:
        return sha256(self.text)

    def to_dict(self) -> dict:
        t = self.text
        d: dict[str, Any] = {
            "schema_version": self.schema_version,
            "id": self.id,
            "text": t,
            "text_sha256": self.text_sha256,
            "meta": _meta_dict(self.meta),
        }
        if self.cleaning is not None:
            d["cleaning"] = self.cleaning
        d["entities"] = [
            {"id": e.id, "start": e.start, "end": e.end, "label": e.label, "text": t[e.start : e.end]}
            for e in self.entities
        ]
        d["events"] = [
            {"id": e.id, "trigger": e.trigger.to_dict(t), "type": e.type, "modality": e.modality,
             "claimed_by": e.claimed_by}
            for e in self.events
        ]
        d["attributions"] = [
            {"id": a.id, "source": [s.to_dict(t) for s in a.source], "cue": [s.to_dict(t) for s in a.cue],
             "content": [s.to_dict(t) for s in a.content], "kind": a.kind, "anonymous": a.anonymous,
             "source_entity": a.source_entity}
            for a in self.attributions
        ]
        d["provenance"] = {k: v for k, v in vars(self.provenance).items() if v is not None or k == "guideline_version"}
        if self.split is not None:
            d["split"] = self.split
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Record":
        spans = lambda xs: [Span.from_dict(x) for x in xs]  # noqa: E731
        return cls(
            id=d["id"],
            text=d["text"],
            meta=Meta(**d.get("meta", {})),
            entities=[Entity(e["id"], e["start"], e["end"], e["label"]) for e in d.get("entities", [])],
            events=[
                Event(e["id"], Span.from_dict(e["trigger"]), e["type"], e.get("modality", "asserted"),
                      e.get("claimed_by"))
                for e in d.get("events", [])
            ],
            attributions=[
                Attribution(a["id"], spans(a["cue"]), spans(a["content"]), spans(a.get("source", [])),
                            a.get("kind", "indirect"), bool(a.get("anonymous", False)), a.get("source_entity"))
                for a in d.get("attributions", [])
            ],
            provenance=Provenance(**d["provenance"]) if "provenance" in d else Provenance("rules", "toolkit"),
            cleaning=d.get("cleaning"),
            split=d.get("split"),
            schema_version=d.get("schema_version", inventory().schema_version),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _meta_dict(meta: Meta) -> dict:
    d = dict(vars(meta))
    if not d["extra"]:
        d.pop("extra")
    if d["source_file"] is None:
        d.pop("source_file")
    return d


def read_records(path: Path) -> list[Record]:
    """Records from a JSONL file; a malformed line is a one-line error naming file and line."""
    from .jsonl import read_numbered

    out = []
    for n, obj, error in read_numbered(path):
        try:
            if error:
                raise ValueError(error)
            out.append(Record.from_dict(obj))
        except (ValueError, KeyError, TypeError) as err:
            raise ToolkitError(f"{path}:{n}: not a valid record ({err.__class__.__name__}: {err})") from None
    return out
