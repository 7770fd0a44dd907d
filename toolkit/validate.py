"""`toolkit validate`: records against the JSON Schema and the invariants the schema cannot express."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterator

from .attribution import claimed_by, derive_kind
from .errors import Problem, ToolkitError
from .jsonl import numbered_objects
from .records import Record, read_records, sha256
from .schema import record_schema
from .spans import contains, crossing_pairs


@dataclass
class ValidationReport:
    files: list[str] = field(default_factory=list)
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(record_schema())


def record_files(paths: list[Path]) -> Iterator[Path | Problem]:
    """JSONL files named directly, or records.jsonl / *.jsonl inside a folder."""
    for path in map(Path, paths):
        if not path.exists():
            yield Problem(str(path), "no such file or folder")
        elif path.is_dir():
            found = [path / "records.jsonl"] if (path / "records.jsonl").is_file() else sorted(path.glob("*.jsonl"))
            if not found:
                yield Problem(str(path), "folder holds no records.jsonl or *.jsonl file")
            yield from found
        else:
            yield path


def load_record_paths(paths: list[Path]) -> list[Record]:
    """Records from files or folders (as `validate` finds them); the first problem is a one-line error."""
    records: list[Record] = []
    for item in record_files(paths):
        if isinstance(item, Problem):
            raise ToolkitError(str(item))
        found = read_records(item)
        if not found:
            raise ToolkitError(f"{item}: file holds no records")
        records.extend(found)
    return records


def validate_paths(paths: list[Path]) -> ValidationReport:
    report = ValidationReport()
    first_seen: dict[str, str] = {}
    for item in record_files(paths):
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        report.files.append(str(item))
        for n, rid, problems in _validate_file(item):
            report.records += 1
            if rid is not None:
                if rid in first_seen:
                    problems.append(f"duplicate record id (first at {first_seen[rid]})")
                else:
                    first_seen[rid] = f"{item}:{n}"
            report.problems.extend(Problem(str(item), msg, n, rid) for msg in problems)
    return report


def _validate_file(path: Path) -> Iterator[tuple[int, str | None, list[str]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        yield 0, None, [f"not valid UTF-8 (byte {err.start})"]
        return
    if not any(line.strip() for line in lines):
        yield 0, None, ["file holds no records"]
    for n, obj, error in numbered_objects(lines):
        if error:
            yield n, None, [error]
            continue
        rid = obj.get("id") if isinstance(obj, dict) else None
        yield n, rid if isinstance(rid, str) else None, validate_record(obj)


def validate_record(obj) -> list[str]:
    """Problems with one record dict, schema first; invariants only when the shape is right."""
    errors = sorted(_validator().iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        return [f"schema: {_where(e)}{e.message}" for e in errors[:5]]
    return check_invariants(obj)


def _where(err) -> str:
    path = "/".join(str(p) for p in err.absolute_path)
    return f"{path}: " if path else ""


def check_invariants(obj: dict) -> list[str]:
    text = obj["text"]
    out = []
    if sha256(text) != obj["text_sha256"]:
        out.append("text_sha256 does not match text")
    out += _span_problems(obj, text)
    if out:
        return out
    record = Record.from_dict(obj)
    out += _id_problems(record)
    out += _crossing_problems(record)
    out += _derived_problems(record)
    return out


def _all_spans(obj: dict) -> Iterator[tuple[str, dict]]:
    for e in obj["entities"]:
        yield f"entity {e['id']}", e
    for e in obj["events"]:
        yield f"event {e['id']} trigger", e["trigger"]
    for a in obj["attributions"]:
        for role in ("source", "cue", "content"):
            for sp in a[role]:
                yield f"attribution {a['id']} {role}", sp


def _span_problems(obj: dict, text: str) -> list[str]:
    out = []
    for name, sp in _all_spans(obj):
        s, e = sp["start"], sp["end"]
        if not 0 <= s < e <= len(text):
            out.append(f"{name}: span [{s}, {e}) outside the text (length {len(text)}) or empty")
        elif "text" in sp and sp["text"] != text[s:e]:
            out.append(f"{name}: stored text {sp['text']!r} differs from text[{s}:{e}] {text[s:e]!r}")
    return out


def _id_problems(record: Record) -> list[str]:
    out = []
    for layer, ids in (("entity", [e.id for e in record.entities]), ("event", [e.id for e in record.events]),
                       ("attribution", [a.id for a in record.attributions])):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        out += [f"duplicate {layer} id {i}" for i in dupes]
    entity_ids = {e.id for e in record.entities}
    for a in record.attributions:
        if a.source_entity is not None and a.source_entity not in entity_ids:
            out.append(f"attribution {a.id}: source_entity {a.source_entity} is not an entity id")
    return out


def _crossing_problems(record: Record) -> list[str]:
    out = []
    layers = {
        "entities": [(e.start, e.end) for e in record.entities],
        "event triggers": [(e.trigger.start, e.trigger.end) for e in record.events],
        "attribution cues": [(c.start, c.end) for a in record.attributions for c in a.cue],
    }
    for name, spans in layers.items():
        for i, j in crossing_pairs(spans):
            out.append(f"crossing spans in {name}: {spans[i]} and {spans[j]}")
    for a in record.attributions:
        own = [(s.start, s.end) for role in (a.source, a.cue, a.content) for s in role]
        if crossing_pairs(own):
            out.append(f"attribution {a.id}: its source, cue and content spans cross")
    return out


def _derived_problems(record: Record) -> list[str]:
    out = []
    by_id = {e.id: e for e in record.entities}
    for a in record.attributions:
        kind = derive_kind(record.text, a.content)
        if a.kind != kind:
            out.append(f"attribution {a.id}: kind is {a.kind!r} but its quotation marks make it {kind!r}")
        if not a.source and not a.anonymous:
            out.append(f"attribution {a.id}: no source, so anonymous must be true")
        ent = by_id.get(a.source_entity) if a.source_entity else None
        if ent is not None and not any(contains((s.start, s.end), (ent.start, ent.end)) for s in a.source):
            out.append(f"attribution {a.id}: source_entity {ent.id} lies outside the source span")
    for ev in record.events:
        expected = claimed_by(ev, record.attributions)
        if ev.claimed_by != expected:
            out.append(f"event {ev.id}: claimed_by is {ev.claimed_by} but its trigger lies in {expected}'s content"
                       if expected else f"event {ev.id}: claimed_by is {ev.claimed_by} but no attribution content holds its trigger")
    return out
