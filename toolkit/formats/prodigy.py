"""Prodigy JSONL (ner.manual / spans.manual tasks and `prodigy db-out`): entities only.

Written per document: `text`, `tokens` (`text`, `start`, `end`, `id`, `ws`; the toolkit's tokenizer cut at entity
edges), `spans` (`start`, `end`, `label`, `token_start`, `token_end`, both token indices inclusive), `meta`
(`id` = the record id, shown in Prodigy's card) and a `toolkit` field with the record's meta, split and ids. No
`answer`: these are tasks to annotate.

Read: only tasks whose `answer` is `accept` by default (`answers` widens that): rejected and ignored tasks are
the annotator's decision and are skipped; a task with no answer at all has not been annotated and is a problem.
Character offsets are authoritative; a span's token indices must agree with them when tokens are given.
The annotator is the task's `_annotator_id` (or `_session_id`) unless one is given.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from .. import atomic
from ..errors import Problem
from ..records import Record
from .jsonl_tasks import json_tasks
from . import ImportResult, exporter, importer
from .record_builder import TOOLKIT_FIELD, DocumentBuilder, Where, carried_fields, label_mapping, restored_meta, unique_ids
from .tokens import boundaries, tokenize

NAME = "prodigy"
ACCEPT = "accept"


@exporter(NAME)
def export_prodigy(records: list[Record], out: Path) -> list[str]:
    lines = []
    cut = 0
    for record in records:
        task, n = _task(record)
        cut += n
        lines.append(json.dumps(task, ensure_ascii=False))
    atomic.write_lines(Path(out), lines)
    notes = ["prodigy: only entities are carried (events and attribution are not)"]
    nested = sum(1 for r in records for a in r.entities for b in r.entities if a is not b and
                 a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end))
    if nested:
        notes.append(f"prodigy: {nested} nested entity span(s) kept; ner.manual shows only non-overlapping "
                     "spans, spans.manual shows all")
    if cut:
        notes.append(f"prodigy: {cut} token(s) cut where an entity edge fell inside a token")
    return notes


def _task(record: Record) -> tuple[dict, int]:
    tok = tokenize(record.text, boundaries(record, events=False, attributions=False))
    doc = tok.doc
    tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
              for t in doc]
    spans = []
    for e in record.entities:
        sp = doc.char_span(e.start, e.end, alignment_mode="strict")
        spans.append({"start": e.start, "end": e.end, "label": e.label, "token_start": sp.start,
                      "token_end": sp.end - 1})
    carried = carried_fields(record)
    return {"text": record.text, "tokens": tokens, "spans": spans, "meta": {"id": record.id},
            TOOLKIT_FIELD: carried}, tok.cut


@importer(NAME)
def import_prodigy(path: Path, label_map: str | None = None, annotator: str | None = None,
                   answers: tuple[str, ...] | list[str] = (ACCEPT,)) -> ImportResult:
    mapping = label_mapping(label_map)
    answers = set(answers)
    problems: list[Problem] = []
    records: list[Record] = []
    for file, n, task in json_tasks(path, "Prodigy", problems):
        answer = task.get("answer")
        if answer is None:
            problems.append(Problem(str(file), "task has no `answer`: not annotated yet (import the "
                                    "`prodigy db-out` output)", n))
            continue
        if answer not in answers:
            continue
        record = _record(task, Where(str(file), n), f"{file.stem}-{n:04d}", mapping, annotator, problems)
        if record is not None:
            records.append(record)
    return ImportResult(unique_ids(records, problems, str(path)), problems)


def _record(task: dict, where: Where, fallback_id: str, mapping, annotator, problems) -> Record | None:
    carried = task.get(TOOLKIT_FIELD) if isinstance(task.get(TOOLKIT_FIELD), dict) else {}
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    rid = str(carried.get("id") or meta.get("id") or fallback_id)
    who = annotator or task.get("_annotator_id") or task.get("_session_id")
    b = DocumentBuilder(where, rid, task["text"], NAME, who, mapping, kept_ids=carried.get("ids") or {})
    tokens = task.get("tokens") if isinstance(task.get("tokens"), list) else None
    for sp in task.get("spans") or []:
        if not isinstance(sp, dict) or not isinstance(sp.get("label"), str):
            b.problem(f"span {sp!r} has no label")
            continue
        if tokens is not None and not _tokens_agree(sp, tokens):
            b.problem(f"span {sp.get('label')} [{sp.get('start')}, {sp.get('end')}): token_start/token_end "
                      "disagree with its character offsets")
            continue
        b.entity(sp.get("start"), sp.get("end"), sp["label"], quoted=sp.get("text"))
    created = None
    if isinstance(task.get("_timestamp"), (int, float)):
        created = datetime.fromtimestamp(task["_timestamp"], timezone.utc).replace(microsecond=0).isoformat()
    record = b.build(restored_meta(carried, meta), carried.get("split"), created, carried.get("provenance"),
                     carried.get("cleaning"))
    problems.extend(b.problems)
    return record


def _tokens_agree(sp: dict, tokens: list) -> bool:
    ts, te = sp.get("token_start"), sp.get("token_end")
    if ts is None or te is None:
        return True
    try:
        return tokens[ts]["start"] == sp["start"] and tokens[te]["end"] == sp["end"]
    except (IndexError, KeyError, TypeError):
        return False
