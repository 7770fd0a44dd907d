"""Label Studio: tasks with pre-annotations and a generated labeling config out; its JSON export back in.

Export writes the tasks (our layers as Label Studio predictions, model_version = the extractor) and
labeling-config.xml beside them; import reads Label Studio's JSON export of submitted annotations into gold records.

The labeling config is generated from the inventory, so it always offers exactly our labels:

- ``entity`` (Labels): one label per entity type;
- ``event`` (Labels): one label per event type, and ``modality`` (Choices, perRegion, shown when an event region is
  selected): a per-region choice rather than label suffixes, so the event list stays one label per type; an event
  region without a modality choice is asserted;
- ``attribution`` (Labels): Source / Cue / Content, the spans roles of the record schema, and ``anonymous``
  (Choices, perRegion, shown on Source regions) for a source that does not name who speaks; an attribution with no
  source is anonymous;
- Relations labelled source / cue / content: one attribution is the Source, Cue and Content regions joined by
  relations (a discontinuous content or cue is several regions, each joined to the first cue). Draw a separate
  Source region for each attribution even when two share the same words.

Offsets are Python string offsets, as in Label Studio's own exports; the importer checks every region's text against
the record text and reports any difference as a problem instead of guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .. import atomic
from ..attribution import derive
from ..errors import Problem, ToolkitError
from ..records import Attribution, Entity, Event, Provenance, Record, Span, now_iso, sha256
from ..schema import inventory, record_schema
from . import ImportResult, exporter, importer

CONFIG_FILE = "labeling-config.xml"
TASKS_FILE = "tasks.json"
TOOL = "label-studio"
TEXT = "text"  # the Text object tag, fed from task data["text"]
ENTITY, EVENT, MODALITY, ATTRIBUTION, ANONYMOUS = "entity", "event", "modality", "attribution", "anonymous"


@cache
def roles() -> tuple[str, ...]:
    """The attribution span roles (source, cue, content), read from the record schema."""
    props = record_schema()["$defs"]["attribution"]["properties"]
    return tuple(name for name, spec in props.items() if "#/$defs/spans" in json.dumps(spec))


def id_prefix(layer: str) -> str:
    """The letter of the layer's ids ("T" for entities), read from the id pattern of the record schema."""
    return record_schema()["$defs"][layer]["properties"]["id"]["pattern"].lstrip("^")[0]


def role_label(role: str) -> str:
    return role.capitalize()


def labeling_config() -> str:
    """The Label Studio labeling config (XML) for every label of the inventory."""
    inv = inventory()

    def labels(name: str, values: list[str]) -> list[str]:
        return [f'  <Labels name="{name}" toName="{TEXT}">'] + [
            f"    <Label value={quoteattr(v)}/>" for v in values] + ["  </Labels>"]

    def per_region(name: str, values: list[str], shown_for: list[str], choice: str) -> list[str]:
        when = quoteattr(",".join(shown_for))
        opening = (f'  <Choices name="{name}" toName="{TEXT}" perRegion="true" choice="{choice}" showInline="true" '
                   f'visibleWhen="region-selected" whenLabelValue={when}>')
        return [opening] + [
            f"    <Choice value={quoteattr(v)}/>" for v in values] + ["  </Choices>"]

    role_labels = [role_label(r) for r in roles()]
    lines = ["<View>", '  <Header value="Entities, event triggers (with modality) and attribution"/>']
    lines += labels(ENTITY, inv.entity_labels) + labels(EVENT, inv.event_labels) + labels(ATTRIBUTION, role_labels)
    lines += [f'  <Text name="{TEXT}" value="${TEXT}"/>']
    lines += per_region(MODALITY, inv.modality_labels, inv.event_labels, "single-radio")
    lines += per_region(ANONYMOUS, [ANONYMOUS], [role_label(roles()[0])], "multiple")
    lines += ["  <Relations>"] + [f"    <Relation value={quoteattr(r)}/>" for r in roles()] + ["  </Relations>"]
    lines += ["</View>"]
    return "\n".join(lines) + "\n"


# ---- export ------------------------------------------------------------------------------------------------------


def _region(rid: str, layer: str, span: Span, text: str, label: str) -> dict:
    return {"id": rid, "from_name": layer, "to_name": TEXT, "type": "labels",
            "value": {"start": span.start, "end": span.end, "text": text[span.start : span.end], "labels": [label]}}


def _choice(rid: str, name: str, span: Span, text: str, choice: str) -> dict:
    return {"id": rid, "from_name": name, "to_name": TEXT, "type": "choices",
            "value": {"start": span.start, "end": span.end, "text": text[span.start : span.end], "choices": [choice]}}


def _relation(from_id: str, to_id: str, label: str) -> dict:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right", "labels": [label]}


def to_result(record: Record) -> list[dict]:
    """The record's three layers as one Label Studio result list (region ids are our ids)."""
    t = record.text
    out = [_region(e.id, ENTITY, e.span, t, e.label) for e in record.entities]
    for ev in record.events:
        out.append(_region(ev.id, EVENT, ev.trigger, t, ev.type))
        out.append(_choice(ev.id, MODALITY, ev.trigger, t, ev.modality))
    source, cue = roles()[0], roles()[1]
    for att in record.attributions:
        ids: dict[str, list[str]] = {}
        for role in roles():
            for n, span in enumerate(getattr(att, role), start=1):
                rid = f"{att.id}-{role}-{n}"
                ids.setdefault(role, []).append(rid)
                out.append(_region(rid, ATTRIBUTION, span, t, role_label(role)))
                if role == source and att.anonymous:
                    out.append(_choice(rid, ANONYMOUS, span, t, ANONYMOUS))
        hub = ids[cue][0]
        out += [_relation(hub, rid, role) for role in roles() for rid in ids.get(role, []) if rid != hub]
    return out


def model_version(prov: Provenance) -> str:
    """The extractor that made the layers: the provenance method (e.g. "rules", "model:NAME"), or "gold"."""
    return prov.method


def to_task(record: Record) -> dict:
    header = {k: v for k, v in record.to_dict().items()
              if k not in ("id", "text", "meta", "entities", "events", "attributions")}
    data = {TEXT: record.text, "record_id": record.id, "meta": record.to_dict()["meta"], "record": header}
    return {"data": data, "predictions": [{"model_version": model_version(record.provenance),
                                           "result": to_result(record)}]}


def _notes(records: list[Record]) -> list[str]:
    """What the tasks cannot carry: a source entity other than the one the importer derives again."""
    notes = []
    for record in records:
        for att in record.attributions:
            if att.source_entity is None:
                continue
            probe = Record(record.id, record.text, entities=record.entities,
                           attributions=[Attribution(att.id, att.cue, att.content, att.source)])
            derived = derive(probe).attributions[0].source_entity
            if derived != att.source_entity:
                notes.append(f"{record.id} attribution {att.id}: source_entity {att.source_entity} is not carried "
                             f"(the importer derives {derived})")
    return notes


def tasks_path(out: Path) -> Path:
    """`out` itself when it names a .json file, else out/tasks.json."""
    out = Path(out)
    return out if out.suffix == ".json" else out / TASKS_FILE


@exporter("label-studio")
def export_label_studio(records: list[Record], out: Path, **_) -> list[str]:
    """Tasks JSON (our layers as predictions) at `out`, and labeling-config.xml beside it."""
    path = tasks_path(out)
    atomic.write_text(path.parent / CONFIG_FILE, labeling_config())
    atomic.write_text(path, json.dumps([to_task(r) for r in records], ensure_ascii=False, indent=1) + "\n")
    return _notes(records)


# ---- import ------------------------------------------------------------------------------------------------------


@dataclass
class Region:
    id: str
    layer: str
    span: Span
    label: str
    order: int


@dataclass
class Parsed:
    regions: list[Region] = field(default_factory=list)
    modality: dict[str, str] = field(default_factory=dict)
    anonymous: set[str] = field(default_factory=set)
    relations: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _known_labels() -> dict[str, list[str]]:
    inv = inventory()
    return {ENTITY: inv.entity_labels, EVENT: inv.event_labels, ATTRIBUTION: [role_label(r) for r in roles()],
            MODALITY: inv.modality_labels, ANONYMOUS: [ANONYMOUS]}


def _checked_span(item: dict, text: str, what: str, problems: list[str]) -> Span | None:
    value = item.get("value") or {}
    s, e = value.get("start"), value.get("end")
    if not isinstance(s, int) or not isinstance(e, int):
        problems.append(f"{what}: no character offsets (start/end)")
        return None
    if not 0 <= s < e <= len(text):
        problems.append(f"{what}: span [{s}, {e}) outside the text (length {len(text)}) or empty")
        return None
    if "text" in value and value["text"] != text[s:e]:
        problems.append(f"{what}: region text {value['text']!r} differs from text[{s}:{e}] {text[s:e]!r} "
                        "(misaligned offsets)")
        return None
    return Span(s, e)


def parse_result(result: list[dict], text: str) -> Parsed:
    """Regions, per-region choices and relations of one annotation; anything unknown becomes a problem."""
    known = _known_labels()
    parsed = Parsed()
    for n, item in enumerate(result):
        kind, name, rid = item.get("type"), item.get("from_name"), str(item.get("id"))
        if kind == "relation":
            labels = item.get("labels") or []
            bad = [x for x in labels if x not in roles()]
            if bad:
                parsed.problems.append(f"relation {item.get('from_id')} -> {item.get('to_id')}: unknown label "
                                       f"{bad[0]!r}")
            parsed.relations.append((str(item.get("from_id")), str(item.get("to_id"))))
            continue
        what = f"region {rid} ({name})"
        field_ = {"labels": "labels", "choices": "choices"}.get(kind)
        if name not in known or field_ is None or (kind == "choices") != (name in (MODALITY, ANONYMOUS)):
            parsed.problems.append(f"{what}: unknown result {kind!r} from {name!r}")
            continue
        values = (item.get("value") or {}).get(field_) or []
        if len(values) != 1 or values[0] not in known[name]:
            parsed.problems.append(f"{what}: unknown label {values!r}; expected one of the labeling config")
            continue
        span = _checked_span(item, text, what, parsed.problems)
        if span is None:
            continue
        if name == MODALITY:
            parsed.modality[rid] = values[0]
        elif name == ANONYMOUS:
            parsed.anonymous.add(rid)
        else:
            parsed.regions.append(Region(rid, name, span, values[0], n))
    return parsed


def _fresh_ids(wanted: list[str | None], prefix: str) -> list[str]:
    """Keep each wanted id once; number the others after the largest kept one, so no id is reused."""
    seen: set[str] = set()
    kept = [w if w and not (w in seen or seen.add(w)) else None for w in wanted]
    n = max((int(w[len(prefix):]) for w in kept if w and w[len(prefix):].isdigit()), default=0)
    out = []
    for w in kept:
        if w is None:
            n += 1
            w = f"{prefix}{n}"
        out.append(w)
    return out


def _components(nodes: list[Region], relations: list[tuple[str, str]]) -> list[list[Region]]:
    """Regions joined by relations (either direction), in order of their first region."""
    parent = {r.id: r.id for r in nodes}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in relations:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    groups: dict[str, list[Region]] = {}
    for r in nodes:
        groups.setdefault(root(r.id), []).append(r)
    return sorted(groups.values(), key=lambda g: g[0].order)


def _attributions(parsed: Parsed) -> list[Attribution]:
    parts = [r for r in parsed.regions if r.layer == ATTRIBUTION]
    by_id = {r.id: r for r in parsed.regions}
    for a, b in parsed.relations:
        ends = [by_id.get(a), by_id.get(b)]
        if any(x is None for x in ends):
            parsed.problems.append(f"relation {a} -> {b}: links a region that is not in the annotation")
        elif any(x.layer != ATTRIBUTION for x in ends):
            parsed.problems.append(f"relation {a} -> {b}: relations may only join Source, Cue and Content regions")
    source, cue, content = (role_label(r) for r in roles())
    own = re.compile(rf"^({id_prefix(ATTRIBUTION)}[0-9]+)-")  # the exporter's region ids: A1-cue-1
    atts, wanted = [], []
    for group in _components(parts, parsed.relations):
        spans = {label: [r.span for r in group if r.label == label] for label in (source, cue, content)}
        if not spans[cue] or not spans[content]:
            where = ", ".join(f"{r.id} {r.label} [{r.span.start}, {r.span.end})" for r in group)
            parsed.problems.append(f"attribution regions {where}: need at least one Cue and one Content joined "
                                   "by relations")
            continue
        anonymous = not spans[source] or any(r.id in parsed.anonymous for r in group if r.label == source)
        atts.append(Attribution("", cue=spans[cue], content=spans[content], source=spans[source],
                                anonymous=anonymous))
        prefixes = {m.group(1) for r in group if (m := own.match(r.id))}
        wanted.append(prefixes.pop() if len(prefixes) == 1 else None)
    for att, aid in zip(atts, _fresh_ids(wanted, id_prefix(ATTRIBUTION))):
        att.id = aid
    return atts


def _layers(parsed: Parsed) -> tuple[list[Entity], list[Event], list[Attribution]]:
    def keep(layer: str) -> list[Region]:
        return [r for r in parsed.regions if r.layer == layer]

    def ids(regions: list[Region], layer: str) -> list[str]:
        prefix = id_prefix(layer)
        own = re.compile(rf"^{prefix}[0-9]+$")
        return _fresh_ids([r.id if own.match(r.id) else None for r in regions], prefix)

    ents, evs = keep(ENTITY), keep(EVENT)
    entities = [Entity(i, r.span.start, r.span.end, r.label) for i, r in zip(ids(ents, ENTITY), ents)]
    default = Event.__dataclass_fields__["modality"].default
    events = [Event(i, r.span, r.label, parsed.modality.get(r.id, default)) for i, r in zip(ids(evs, EVENT), evs)]
    source = role_label(roles()[0])
    sources = {r.id for r in parsed.regions if r.layer == ATTRIBUTION and r.label == source}
    parsed.problems += [f"region {rid}: a modality choice on a region that is no event trigger"
                        for rid in sorted(set(parsed.modality) - {r.id for r in evs})]
    parsed.problems += [f"region {rid}: an anonymous choice on a region that is no {source}"
                        for rid in sorted(parsed.anonymous - sources)]
    return entities, events, _attributions(parsed)


def _user(completed_by) -> tuple[str, set[str]]:
    """An annotator name and the keys `annotator=` may match: the user id, and the email when exported."""
    if isinstance(completed_by, dict):
        keys = {str(completed_by.get(k)) for k in ("id", "email") if completed_by.get(k) is not None}
        return str(completed_by.get("email") or f"label-studio-user-{completed_by.get('id')}"), keys
    return f"label-studio-user-{completed_by}", {str(completed_by)}


def pick_annotation(task: dict, annotator: str | None) -> tuple[dict | None, str]:
    """The latest submitted (not skipped) annotation, by `annotator` when given; else why there is none."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if annotator is not None:
        done = [a for a in done if str(annotator) in _user(a.get("completed_by"))[1]]
    if not done:
        drafts = len(task.get("drafts") or [])
        return None, ("no submitted annotation" + (f" by {annotator}" if annotator is not None else "")
                      + (f" ({drafts} unsubmitted drafts)" if drafts else ""))
    return max(done, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0)), ""


def _pre_annotation(annotation: dict, exported: dict | None) -> str | None:
    """The extractor whose predictions the annotation started from, when it did."""
    prediction = annotation.get("prediction") or {}
    if not annotation.get("parent_prediction") and not prediction:
        return None
    if exported:
        return exported.get("pre_annotation") if exported.get("method") == "gold" else exported.get("method")
    return prediction.get("model_version") or None


def _timestamp(value) -> str:
    """Label Studio's "...Z" timestamps in the records' form (seconds, +00:00)."""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return now_iso()
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def task_record(task: dict, annotator: str | None = None) -> tuple[Record | None, list[str]]:
    """One record from one exported task, or the problems that stop it."""
    data = task.get("data") or {}
    text = data.get(TEXT)
    if not isinstance(text, str) or not text:
        return None, [f"data has no {TEXT!r} string"]
    header = dict(data.get("record") or {})
    if header.get("text_sha256") and header["text_sha256"] != sha256(text):
        return None, ["data text differs from the exported record (text_sha256); only labels may change"]
    annotation, why = pick_annotation(task, annotator)
    if annotation is None:
        return None, [f"{why}; task not imported"]
    parsed = parse_result(annotation.get("result") or [], text)
    entities, events, attributions = _layers(parsed)
    exported = header.pop("provenance", None)
    pre = _pre_annotation(annotation, exported)
    prov = Provenance("gold", _user(annotation.get("completed_by"))[0],
                      _timestamp(annotation.get("updated_at") or annotation.get("created_at")),
                      (exported or {}).get("guideline_version"), reviewed=True if pre else None,
                      pre_annotation=pre, tool=TOOL)
    rid = data.get("record_id") or f"label-studio-task-{task.get('id')}"
    record = Record.from_dict({**header, "id": rid, "text": text, "meta": data.get("meta") or {},
                               "entities": [], "events": [], "attributions": []})
    record.entities, record.events, record.attributions, record.provenance = entities, events, attributions, prov
    return derive(record), parsed.problems


def _read_export(path: Path) -> list[dict]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ToolkitError(f"{path}: cannot read ({err})") from None
    except ValueError as err:
        raise ToolkitError(f"{path}: not JSON ({err})") from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise ToolkitError(f"{path}: expected Label Studio's JSON export (a list of tasks)")
    return tasks


@importer("label-studio")
def import_label_studio(path: Path, annotator: str | None = None, **_) -> ImportResult:
    """Records from Label Studio's JSON export: the latest submitted annotation of each task (or the latest by
    `annotator`, a Label Studio user id or email) becomes a gold record."""
    path = Path(path)
    result = ImportResult([])
    for task in _read_export(path):
        record, problems = task_record(task, annotator)
        rid = record.id if record else (task.get("data") or {}).get("record_id")
        result.problems += [Problem(str(path), f"task {task.get('id')}: {p}", record_id=rid) for p in problems]
        if record is not None:
            result.records.append(record)
    return result
