"""Building records from other tools' annotations, shared by every importer.

Each annotation is checked as it comes in (inside the text, label in the inventory, matching the quoted text,
not crossing its layer), so that an importer never drops one silently: what cannot be kept becomes a Problem
naming the file and the line or task. Ids a format carries are kept; the others are numbered in file order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..attribution import derive
from ..errors import Problem, ToolkitError
from ..records import Attribution, Entity, Event, Meta, Provenance, Record, Span, now_iso
from ..schema import inventory
from ..spans import contains, crosses
from ..validate import validate_record

TOOLKIT_FIELD = "toolkit"  # the extra field that carries what a format has no place for (ids, meta, split)
UNKNOWN_ANNOTATOR = "unknown"


def label_mapping(name: str | None) -> dict[str, str | None] | None:
    """A foreign entity scheme from labels.json as {their label: ours or None (dropped)}; the first of a list."""
    if name is None:
        return None
    try:
        table = inventory().entity_mapping(name)
    except KeyError:
        choices = ", ".join(sorted(inventory().entity_type_mappings))
        raise ToolkitError(f"unknown label map {name!r}; choose one of {choices}") from None
    out: dict[str, str | None] = {}
    for theirs, ours in table.items():
        if isinstance(ours, list):
            ours = ours[0] if ours else None
        out[theirs] = ours
    return out


@dataclass
class Where:
    """Where an annotation came from, for problems: the file, and a line or task number when known."""

    file: str
    line: int | None = None


@dataclass
class DocumentBuilder:
    """Collects one document's annotations from an importer, then builds a record that validates."""

    where: Where
    record_id: str
    text: str
    tool: str
    annotator: str | None = None
    label_map: dict[str, str | None] | None = None
    problems: list[Problem] = field(default_factory=list)
    kept_ids: dict[str, dict] = field(default_factory=dict)
    _entities: list[tuple[str | None, Entity]] = field(default_factory=list)
    _events: list[tuple[str | None, Event]] = field(default_factory=list)
    _attributions: list[tuple[str | None, Attribution]] = field(default_factory=list)

    def problem(self, message: str, line: int | None = None) -> None:
        where = line if line is not None else self.where.line
        self.problems.append(Problem(self.where.file, message, where, self.record_id))

    def span(self, start: Any, end: Any, what: str, line: int | None = None,
             quoted: str | None = None) -> Span | None:
        """A checked span, or None (and a problem) when it lies outside the text or disagrees with its text."""
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            self.problem(f"{what}: offsets {start!r}, {end!r} are not integers", line)
            return None
        if not 0 <= start < end <= len(self.text):
            self.problem(f"{what}: span [{start}, {end}) outside the text (length {len(self.text)}) or empty", line)
            return None
        if quoted is not None and quoted != self.text[start:end]:
            self.problem(f"{what}: span [{start}, {end}) covers {self.text[start:end]!r}, not {quoted!r} "
                         "(offsets do not align to the text)", line)
            return None
        return Span(start, end)

    def entity_label(self, label: str, line: int | None = None) -> str | None:
        """Our label for a foreign one; None when the label map drops it or (with a problem) it is unknown."""
        if self.label_map is not None and label in self.label_map:
            return self.label_map[label]
        if label in inventory().entity_types:
            return label
        hint = " (and not in the label map)" if self.label_map is not None else ""
        self.problem(f"unknown entity label {label!r}{hint}", line)
        return None

    def entity(self, start: Any, end: Any, label: str, line: int | None = None, quoted: str | None = None,
               ident: str | None = None) -> None:
        ours = self.entity_label(label, line)
        if ours is None:
            return
        sp = self.span(start, end, f"entity {label}", line, quoted)
        if sp is None:
            return
        kept = self.kept_ids.get("entities", {})
        ident = ident or kept.get(_key(sp.start, sp.end, ours)) or kept.get(_key(sp.start, sp.end))
        self._entities.append((line, Entity(ident or "", sp.start, sp.end, ours)))

    def event(self, start: Any, end: Any, event_type: str, modality: str | None = None, line: int | None = None,
              quoted: str | None = None, ident: str | None = None) -> None:
        if event_type not in inventory().event_types:
            self.problem(f"unknown event type {event_type!r}", line)
            return
        modality = modality or "asserted"
        if modality not in inventory().modalities:
            self.problem(f"unknown modality {modality!r} for event {event_type}", line)
            return
        sp = self.span(start, end, f"event {event_type} trigger", line, quoted)
        if sp is None:
            return
        kept = self.kept_ids.get("events", {})
        ident = ident or kept.get(_key(sp.start, sp.end, event_type)) or kept.get(_key(sp.start, sp.end))
        self._events.append((line, Event(ident or "", sp, event_type, modality)))

    def attribution(self, cue: Iterable[Span], content: Iterable[Span], source: Iterable[Span] = (),
                    line: int | None = None, ident: str | None = None, anonymous: bool | None = None,
                    source_entity: str | None = None) -> None:
        """An attribution from already checked spans; cue and content are required."""
        cue, content, source = sorted(set(cue)), sorted(set(content)), sorted(set(source))
        if not cue or not content:
            missing = " and ".join(r for r, s in (("cue", cue), ("content", content)) if not s)
            self.problem(f"attribution has no {missing}", line)
            return
        kept = self.kept_ids.get("attributions", {}).get(_key(cue[0].start, cue[0].end))
        if kept is not None:
            ident = ident or kept.get("id")
            anonymous = kept.get("anonymous") if anonymous is None else anonymous
            source_entity = source_entity or kept.get("source_entity")
        att = Attribution(ident or "", cue, content, source, anonymous=bool(anonymous) if source else True,
                          source_entity=source_entity)
        self._attributions.append((line, att))

    def build(self, meta: Meta | None = None, split: str | None = None, created: str | None = None,
              previous: dict | None = None, cleaning: dict | None = None) -> Record | None:
        """The record, with crossing annotations reported and left out; None (with problems) if it cannot validate."""
        entities = self._without_crossing(self._entities, lambda e: [(e.start, e.end)], "entity")
        events = self._without_crossing(self._events, lambda e: [(e.trigger.start, e.trigger.end)], "event trigger")
        attributions = self._without_crossing(
            self._attributions, lambda a: [(c.start, c.end) for c in a.cue], "attribution cue")
        attributions = [a for line, a in attributions if self._coherent(a, line)]
        _number(entities, "T")
        _number(events, "E")
        _number([(None, a) for a in attributions], "A")
        entities_only = [e for _, e in entities]
        ids = {e.id for e in entities_only}
        for att in attributions:
            ent = next((e for e in entities_only if e.id == att.source_entity), None) if att.source_entity in ids else None
            if ent is None or not any(contains((s.start, s.end), (ent.start, ent.end)) for s in att.source):
                att.source_entity = None
        record = Record(
            id=self.record_id, text=self.text, meta=meta or Meta(), entities=entities_only,
            events=[e for _, e in events], attributions=attributions,
            provenance=self._provenance(created, previous), split=split, cleaning=cleaning,
        )
        derive(record)
        errors = validate_record(record.to_dict())
        if errors:
            for message in errors:
                self.problem(f"not imported: {message}")
            return None
        return record

    def _provenance(self, created: str | None, previous: dict | None) -> Provenance:
        """Gold from a human tool; the method that made the exported annotations becomes the pre-annotation."""
        before = None
        if previous:
            before = previous.get("method") if previous.get("method") != "gold" else previous.get("pre_annotation")
        return Provenance("gold", self.annotator or UNKNOWN_ANNOTATOR, created or now_iso(),
                          (previous or {}).get("guideline_version"), pre_annotation=before, tool=self.tool)

    def _without_crossing(self, items: list, spans_of, what: str) -> list:
        kept: list = []
        for line, item in items:
            mine = spans_of(item)
            clash = next((o for _, o in kept for a in spans_of(o) for b in mine if crosses(a, b) or
                          (a == b and _same(o, item))), None)
            if clash is not None:
                other = _describe(clash)
                why = "duplicates" if any(a == b for a in spans_of(clash) for b in mine) else "crosses"
                self.problem(f"{what} {_describe(item)} {why} {other}: a layer cannot hold both", line)
                continue
            kept.append((line, item))
        return kept

    def _coherent(self, att: Attribution, line: int | None) -> bool:
        own = [(s.start, s.end) for role in (att.source, att.cue, att.content) for s in role]
        if any(crosses(a, b) or (a == b and i != j) for i, a in enumerate(own) for j, b in enumerate(own)):
            self.problem(f"attribution {_describe(att)}: its source, cue and content spans overlap", line)
            return False
        return True


def _same(a, b) -> bool:
    """Two annotations on one span that say the same thing (the later one is a duplicate)."""
    if isinstance(a, Entity):
        return a.label == b.label
    if isinstance(a, Event):
        return a.type == b.type
    return True


def _describe(item) -> str:
    if isinstance(item, Entity):
        return f"{item.label} [{item.start}, {item.end})"
    if isinstance(item, Event):
        return f"{item.type} [{item.trigger.start}, {item.trigger.end})"
    return "cue " + ", ".join(f"[{c.start}, {c.end})" for c in item.cue)


_ID = re.compile(r"^([TEA])([0-9]+)$")


def _number(items: list, prefix: str) -> None:
    """Keep well-formed unique ids; number the rest after the largest kept one, in file order."""
    used: set[str] = set()
    for _, item in items:
        m = _ID.match(item.id or "")
        if m and m.group(1) == prefix and item.id not in used:
            used.add(item.id)
        else:
            item.id = ""
    top = max((int(i[1:]) for i in used), default=0)
    for _, item in items:
        if not item.id:
            top += 1
            item.id = f"{prefix}{top}"


def _key(start: int, end: int, label: str | None = None) -> str:
    return f"{start}:{end}" + (f":{label}" if label else "")


def kept_ids(record: Record) -> dict:
    """What an exporter stores beside a document so that an import finds each annotation's id again.

    Keys are offsets (and label), not the tool's own ids: a tool renumbers its spans, but a span keeps its
    offsets, so an edited document keeps the ids of what was not moved; a relabeled one matches on offsets alone.
    """
    return {
        "entities": _by_offsets((e.start, e.end, e.label, e.id) for e in record.entities),
        "events": _by_offsets((e.trigger.start, e.trigger.end, e.type, e.id) for e in record.events),
        "attributions": {
            _key(min(a.cue).start, min(a.cue).end): {"id": a.id, "anonymous": a.anonymous,
                                                "source_entity": a.source_entity}
            for a in reversed(record.attributions) if a.cue
        },
    }


def _by_offsets(items) -> dict[str, str]:
    out: dict[str, str] = {}
    for start, end, label, ident in items:
        out.setdefault(_key(start, end, label), ident)
        out.setdefault(_key(start, end), ident)
    return out


def carried_fields(record: Record) -> dict:
    """The record's own fields that a format keeps in an extra field, for the way back."""
    d = record.to_dict()
    out = {"id": record.id, "meta": d["meta"], "ids": kept_ids(record), "provenance": d["provenance"]}
    if record.split is not None:
        out["split"] = record.split
    if record.cleaning is not None:
        out["cleaning"] = record.cleaning
    return out


def restored_meta(carried: dict | None, foreign: dict | None = None) -> Meta:
    """Meta from the carried fields, else the tool's own metadata kept under meta.extra."""
    if carried and isinstance(carried.get("meta"), dict):
        try:
            return Meta(**carried["meta"])
        except TypeError:
            pass
    meta = Meta()
    if foreign:
        meta.extra = dict(foreign)
    return meta


def unique_ids(records: list[Record], problems: list[Problem], file: str) -> list[Record]:
    """Drop (and report) records whose id an earlier record of the same import already has."""
    seen: set[str] = set()
    out = []
    for record in records:
        if record.id in seen:
            problems.append(Problem(file, "duplicate document id: only the first is imported", record_id=record.id))
            continue
        seen.add(record.id)
        out.append(record)
    return out
