"""Inline markup: one plain-text file per document with the three layers as tags, for reading and correcting
annotations in any text editor (the gold corpus is reviewed this way).

    Russian forces <v:SHELLING_MISSILE_ATTACK>shelled</v> <e:GPE>Kharkiv</e>, <src:1>the governor</src> <cue:1>said</cue>.

- entity: ``<e:LABEL>…</e>``; event trigger: ``<v:TYPE>…</v>`` or ``<v:TYPE:negated|hypothetical>…</v>``;
- attribution n: ``<src:n>…</src>`` (none or more), ``<cue:n>…</cue>`` (one or more), ``<cnt:n>…</cnt>`` (one or
  more: a discontinuous content is several tags with the same n); ``<src:n:anon>`` marks an anonymous source; an
  attribution with no source is anonymous;
- tags of different kinds may cross; "<", ">" in the text are written ``&lt;``, ``&gt;`` (and a literal "&lt;",
  "&gt;", "&amp;" as ``&amp;lt;`` …);
- the first line, ``#record {json}``, carries the id, meta, cleaning, split and provenance.
Removing every tag must give back the text exactly; the importer checks the text hash and says where it differs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic
from ..attribution import derive
from ..errors import Problem
from ..records import Attribution, Entity, Event, Provenance, Record, Span, now_iso, sha256
from ..schema import inventory
from . import ImportResult, exporter, importer

TAG = re.compile(r"<(/?)(e|v|src|cue|cnt)(?::([^<>]*))?>")
ESCAPED = re.compile(r"&(lt|gt|amp);")
NEEDS_ESCAPE = re.compile(r"[<>]|&(?=(lt|gt|amp);)")
HEADER = "#record "
SUFFIX = ".ann.txt"


def escape(text: str) -> str:
    return NEEDS_ESCAPE.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}[m.group()], text)


def unescape(text: str) -> str:
    return ESCAPED.sub(lambda m: {"lt": "<", "gt": ">", "amp": "&"}[m.group(1)], text)


def _opening_tags(record: Record) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, attrs) of every tag pair; inner and later spans open later."""
    tags = [(e.start, e.end, "e", e.label) for e in record.entities]
    for ev in record.events:
        attrs = ev.type if ev.modality == "asserted" else f"{ev.type}:{ev.modality}"
        tags.append((ev.trigger.start, ev.trigger.end, "v", attrs))
    for n, att in enumerate(record.attributions, start=1):
        anon = ":anon" if att.anonymous and att.source else ""
        tags += [(s.start, s.end, "src", f"{n}{anon}") for s in att.source]
        tags += [(s.start, s.end, "cue", str(n)) for s in att.cue]
        tags += [(s.start, s.end, "cnt", str(n)) for s in att.content]
    return tags


def render(record: Record) -> str:
    """The record as markup: opening tags sorted outer-first, closing tags inner-first at each offset."""
    events: dict[int, list[tuple]] = {}
    for s, e, kind, attrs in _opening_tags(record):
        events.setdefault(s, []).append((1, -(e - s), kind, attrs))
        events.setdefault(e, []).append((0, e - s, kind, attrs))
    out, pos = [], 0
    text = record.text
    for offset in sorted(events):
        out.append(escape(text[pos:offset]))
        for opening, _, kind, attrs in sorted(events[offset], key=lambda x: (x[0], x[1])):
            out.append(f"<{kind}:{attrs}>" if opening else f"</{kind}>")
        pos = offset
    out.append(escape(text[pos:]))
    header = {k: v for k, v in record.to_dict().items() if k not in ("text", "entities", "events", "attributions")}
    return HEADER + json.dumps(header, ensure_ascii=False) + "\n" + "".join(out) + "\n"


@dataclass
class Parsed:
    text: str
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_markup(markup: str) -> Parsed:
    """Strip tags, collecting (start, end, kind, attrs); unbalanced tags become problems with their line."""
    parsed = Parsed("")
    pieces: list[str] = []
    pos = length = 0
    stacks: dict[str, list[tuple[int, str, int]]] = {}
    for m in TAG.finditer(markup):
        chunk = unescape(markup[pos : m.start()])
        pieces.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, kind, attrs = m.group(1), m.group(2), m.group(3) or ""
        line = markup.count("\n", 0, m.start()) + 1
        if not closing:
            stacks.setdefault(kind, []).append((length, attrs, line))
        elif stacks.get(kind):
            start, attrs, _ = stacks[kind].pop()
            parsed.spans.append((start, length, kind, attrs))
        else:
            parsed.problems.append(f"line {line}: </{kind}> closes nothing")
    pieces.append(unescape(markup[pos:]))
    parsed.problems += [f"line {line}: <{kind}:{attrs}> is never closed"
                        for kind, stack in stacks.items() for _, attrs, line in stack]
    parsed.text = "".join(pieces)
    return parsed


def _layers(parsed: Parsed) -> tuple[list[Entity], list[Event], list[Attribution], list[str]]:
    inv = inventory()
    problems: list[str] = []
    ents, events, parts = [], [], {}
    for s, e, kind, attrs in sorted(parsed.spans):
        where = f"[{s}, {e}) {parsed.text[s:e]!r}"
        if s >= e:
            problems.append(f"empty <{kind}:{attrs}> tag at {s}")
        elif kind == "e":
            if attrs not in inv.entity_types:
                problems.append(f"unknown entity label {attrs!r} at {where}")
            else:
                ents.append(Entity("", s, e, attrs))
        elif kind == "v":
            etype, _, modality = attrs.partition(":")
            modality = modality or "asserted"
            if etype not in inv.event_types or modality not in inv.modalities:
                problems.append(f"unknown event type or modality {attrs!r} at {where}")
            else:
                events.append(Event("", Span(s, e), etype, modality))
        else:
            n, _, flag = attrs.partition(":")
            if not n.isdigit() or flag not in ("", "anon"):
                problems.append(f"bad attribution tag <{kind}:{attrs}> at {where}")
                continue
            part = parts.setdefault(int(n), {"src": [], "cue": [], "cnt": [], "anon": False})
            part[kind].append(Span(s, e))
            part["anon"] |= flag == "anon"
    atts = []
    for n in sorted(parts):
        p = parts[n]
        if not p["cue"] or not p["cnt"]:
            problems.append(f"attribution {n} needs at least one <cue:{n}> and one <cnt:{n}>")
            continue
        atts.append(Attribution("", cue=p["cue"], content=p["cnt"], source=p["src"],
                                anonymous=p["anon"] or not p["src"]))
    return ents, events, atts, problems


def from_markup(markup: str, annotator: str | None = None) -> tuple[Record | None, list[str]]:
    """A record from one markup file, or the problems that stop it."""
    first, _, body = markup.partition("\n")
    if not first.startswith(HEADER):
        return None, ["line 1: expected a '#record {...}' header"]
    try:
        header = json.loads(first[len(HEADER):])
    except ValueError as err:
        return None, [f"line 1: malformed header JSON: {err}"]
    parsed = parse_markup(body[:-1] if body.endswith("\n") else body)
    ents, events, atts, problems = _layers(parsed)
    problems = parsed.problems + problems
    expected = header.get("text_sha256")
    if expected and sha256(parsed.text) != expected:
        problems.append(f"text without tags ({len(parsed.text)} characters) differs from the original "
                        "(text_sha256); only tags may change")
    if problems:
        return None, problems
    record = Record.from_dict({**header, "text": parsed.text, "entities": [], "events": [], "attributions": []})
    record.entities = [Entity(f"T{i}", e.start, e.end, e.label) for i, e in enumerate(ents, start=1)]
    record.events = [Event(f"E{i}", e.trigger, e.type, e.modality) for i, e in enumerate(events, start=1)]
    record.attributions = [Attribution(f"A{i}", a.cue, a.content, a.source, anonymous=a.anonymous)
                           for i, a in enumerate(atts, start=1)]
    if annotator:
        record.provenance = Provenance("gold", annotator, now_iso(), record.provenance.guideline_version,
                                       reviewed=True, pre_annotation=_pre(record.provenance), tool="inline")
    return derive(record), []


def _pre(prov: Provenance) -> str | None:
    return prov.pre_annotation if prov.is_gold else prov.method


def file_name(record_id: str) -> str:
    return f"{record_id}{SUFFIX}"


@exporter("inline")
def export_inline(records: list[Record], out: Path, **_) -> list[str]:
    """One NAME.ann.txt per record in the folder `out`."""
    out.mkdir(parents=True, exist_ok=True)
    for record in records:
        atomic.write_text(out / file_name(record.id), render(record))
    return []


@importer("inline")
def import_inline(path: Path, annotator: str | None = None, **_) -> ImportResult:
    """Every *.ann.txt under `path` (a file or folder); with `annotator`, records become gold by that annotator."""
    files = sorted(path.glob(f"*{SUFFIX}")) if path.is_dir() else [path]
    result = ImportResult([])
    for file in files:
        record, problems = from_markup(file.read_text(encoding="utf-8"), annotator)
        result.problems += [Problem(str(file), p) for p in problems]
        if record is not None:
            result.records.append(record)
    return result
