"""doccano JSONL (sequence labeling with relations): all three layers as labeled spans and relations.

One document per line: `text`, `entities` as `{id, label, start_offset, end_offset}` and `relations` as
`{id, from_id, to_id, type}` (doccano's relation export). Importing also reads the plain sequence-labeling
export, `label` as `[start, end, LABEL]` lists. Labels:

- an entity: its type (`GPE`);
- an event trigger: `EVENT:TYPE`, with `:negated` or `:hypothetical` appended when not asserted
  (`EVENT:CASUALTIES:negated`);
- attribution: spans `ATTR:SOURCE`, `ATTR:CUE`, `ATTR:CONTENT` and relations `source` (source -> cue),
  `content` (cue -> content) and `cue` (cue -> a further piece of the same cue). An attribution is a cue with
  everything linked to it; a source linked to two cues belongs to both attributions.

The record's own id, meta, split and annotation ids travel in the extra field `toolkit` (doccano keeps extra
fields as metadata and exports them again); a line without it takes its id from `record_id`, `id` or the line.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import atomic
from ..errors import Problem
from ..records import Record, Span
from ..schema import inventory
from .jsonl_tasks import json_tasks
from . import ImportResult, exporter, importer
from .record_builder import TOOLKIT_FIELD, DocumentBuilder, Where, carried_fields, label_mapping, restored_meta, unique_ids

NAME = "doccano"
EVENT_PREFIX = "EVENT:"
SOURCE, CUE, CONTENT = "ATTR:SOURCE", "ATTR:CUE", "ATTR:CONTENT"
ROLE_OF_RELATION = {"source": SOURCE, "content": CONTENT, "cue": CUE}


def event_label(event_type: str, modality: str) -> str:
    return f"{EVENT_PREFIX}{event_type}" + ("" if modality == "asserted" else f":{modality}")


def label_names() -> list[str]:
    """Every span label a doccano project needs for the inventory, for setting up the project."""
    inv = inventory()
    return inv.entity_labels + [event_label(t, m) for t in inv.event_labels for m in inv.modality_labels] + [
        SOURCE, CUE, CONTENT]


@exporter(NAME)
def export_doccano(records: list[Record], out: Path) -> list[str]:
    atomic.write_lines(Path(out), (json.dumps(_task(r), ensure_ascii=False) for r in records))
    return [f"doccano: relation types {', '.join(ROLE_OF_RELATION)}; span labels are entity types, "
            f"{EVENT_PREFIX}TYPE[:modality] and {SOURCE}/{CUE}/{CONTENT}"]


def _task(record: Record) -> dict:
    spans: list[dict] = []
    relations: list[dict] = []
    index: dict[tuple[int, int, str], int] = {}

    def span(start: int, end: int, label: str) -> int:
        key = (start, end, label)
        if key not in index:
            index[key] = len(spans) + 1
            spans.append({"id": index[key], "label": label, "start_offset": start, "end_offset": end})
        return index[key]

    def relate(a: int, b: int, kind: str) -> None:
        relations.append({"id": len(relations) + 1, "from_id": a, "to_id": b, "type": kind})

    for e in record.entities:
        span(e.start, e.end, e.label)
    for ev in record.events:
        span(ev.trigger.start, ev.trigger.end, event_label(ev.type, ev.modality))
    for att in record.attributions:
        cues = [span(c.start, c.end, CUE) for c in att.cue]
        for a, b in zip(cues, cues[1:]):
            relate(a, b, "cue")
        for s in att.source:
            relate(span(s.start, s.end, SOURCE), cues[0], "source")
        for c in att.content:
            relate(cues[0], span(c.start, c.end, CONTENT), "content")
    return {"text": record.text, "entities": spans, "relations": relations, TOOLKIT_FIELD: carried_fields(record)}


@importer(NAME)
def import_doccano(path: Path, label_map: str | None = None, annotator: str | None = None) -> ImportResult:
    mapping = label_mapping(label_map)
    problems: list[Problem] = []
    records: list[Record] = []
    for file, n, task in json_tasks(path, "doccano", problems):
        record = _record(task, Where(str(file), n), f"{file.stem}-{n:04d}", mapping, annotator, problems)
        if record is not None:
            records.append(record)
    return ImportResult(unique_ids(records, problems, str(path)), problems)


def _record(task: dict, where: Where, fallback_id: str, mapping, annotator, problems) -> Record | None:
    carried = task.get(TOOLKIT_FIELD) if isinstance(task.get(TOOLKIT_FIELD), dict) else {}
    rid = str(carried.get("id") or task.get("record_id") or task.get("id") or fallback_id)
    b = DocumentBuilder(where, rid, task["text"], NAME, annotator or _annotator(task), mapping,
                        kept_ids=carried.get("ids") or {})
    spans = _spans(task, b)
    roles: dict[int, tuple[str, Span]] = {}
    for sid, label, sp in spans:
        if label in (SOURCE, CUE, CONTENT):
            roles[sid] = (label, sp)
        elif label.startswith(EVENT_PREFIX):
            event_type, _, modality = label[len(EVENT_PREFIX):].partition(":")
            b.event(sp.start, sp.end, event_type, modality or None)
        else:
            b.entity(sp.start, sp.end, label)
    _attributions(task.get("relations") or [], roles, b)
    foreign = {k: v for k, v in task.items() if k not in ("text", "entities", "label", "relations", TOOLKIT_FIELD)}
    record = b.build(restored_meta(carried, foreign), carried.get("split"), previous=carried.get("provenance"),
                     cleaning=carried.get("cleaning"))
    problems.extend(b.problems)
    return record


def _annotator(task: dict) -> str | None:
    for key in ("annotator", "user", "username"):
        if isinstance(task.get(key), (str, int)):
            return str(task[key])
    return None


def _spans(task: dict, b: DocumentBuilder) -> list[tuple[object, str, Span]]:
    """(doccano id, label, span) from `entities` dicts or `label` lists; bad ones become problems."""
    out = []
    items = task.get("entities")
    if items is None:
        items = task.get("label") or []
    if not isinstance(items, list):
        b.problem("`entities` / `label` is not a list")
        return out
    for k, item in enumerate(items):
        if isinstance(item, dict):
            sid, start, end, label = item.get("id", f"#{k}"), item.get("start_offset"), item.get("end_offset"), item.get("label")
        elif isinstance(item, list) and len(item) == 3:
            sid, (start, end, label) = f"#{k}", item
        else:
            b.problem(f"span {item!r} is neither {{label, start_offset, end_offset}} nor [start, end, label]")
            continue
        if not isinstance(label, str):
            b.problem(f"span {item!r} has no label")
            continue
        sp = b.span(start, end, f"span {label}")
        if sp is not None:
            out.append((sid, label, sp))
    return out


def _attributions(relations: list, roles: dict, b: DocumentBuilder) -> None:
    """One attribution per chain of cues, with the sources and contents linked to it."""
    links: dict[str, list[tuple[object, object]]] = {kind: [] for kind in ROLE_OF_RELATION}
    for rel in relations:
        kind = rel.get("type") if isinstance(rel, dict) else None
        if kind not in links:
            b.problem(f"relation {rel!r}: type must be one of {', '.join(ROLE_OF_RELATION)}")
            continue
        a, z = rel.get("from_id"), rel.get("to_id")
        want = (SOURCE, CUE) if kind == "source" else (CUE, CONTENT) if kind == "content" else (CUE, CUE)
        if roles.get(a, (None,))[0] != want[0] or roles.get(z, (None,))[0] != want[1]:
            b.problem(f"relation {kind} must link a {want[0]} span to a {want[1]} span (from {a} to {z})")
            continue
        links[kind].append((a, z))
    cues = [sid for sid, (label, _) in roles.items() if label == CUE]
    group = {c: c for c in cues}

    def root(c):
        while group[c] != c:
            c = group[c]
        return c

    for a, z in links["cue"]:
        group[root(z)] = root(a)
    linked = {a for a, _ in links["source"]} | {z for _, z in links["content"]}
    for sid, (label, sp) in roles.items():
        if label != CUE and sid not in linked:
            b.problem(f"{label} span [{sp.start}, {sp.end}) is not linked to any {CUE} span")
    for head in dict.fromkeys(root(c) for c in cues):
        members = [c for c in cues if root(c) == head]
        b.attribution(
            cue=[roles[c][1] for c in members],
            content=[roles[z][1] for a, z in links["content"] if root(a) == head],
            source=[roles[a][1] for a, z in links["source"] if root(z) == head],
        )
