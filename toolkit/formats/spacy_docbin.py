"""spaCy DocBin (.spacy), ready for `spacy train`: entities as `doc.ents`, event triggers in `doc.spans["events"]`.

- Entities: `doc.ents` holds the outermost entities (spaCy's NER cannot nest); every entity, nested ones
  included, is also in `doc.spans["entities"]` for a span categorizer. On import both are read (a span in both
  counts once).
- Events: `doc.spans["events"]`, label = event type; the modality of each trigger is in
  `doc.user_data["toolkit"]["modality"]` as `[start_char, end_char, type, modality]` (asserted when absent).
- Attribution, record id, meta, split, cleaning and annotation ids: in `doc.user_data["toolkit"]`; attribution is
  kept there for the round trip only (spaCy has no layer for it).
- Tokens: the toolkit's tokenizer, cut where an annotation edge falls inside a token, so every span aligns. A span
  that still cannot be aligned is reported and not written, never moved.

A DocBin from elsewhere (no `toolkit` user data) gets ids `FILE-0001`, ..., and its labels must be in the
inventory (or go through `label_map`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, ToolkitError
from ..records import Attribution, Record
from . import ImportResult, exporter, importer
from .record_builder import TOOLKIT_FIELD, DocumentBuilder, Where, carried_fields, label_mapping, restored_meta, unique_ids
from .tokens import boundaries, tokenize

NAME = "spacy"
EVENTS_KEY = "events"
ENTITIES_KEY = "entities"


@exporter(NAME)
def export_spacy(records: list[Record], out: Path) -> list[str]:
    from spacy.tokens import DocBin

    from ..spans import outermost

    bin_ = DocBin(store_user_data=True)
    notes: list[str] = []
    cut = 0
    for record in records:
        tok = tokenize(record.text, boundaries(record, attributions=False))
        cut += tok.cut
        doc = tok.doc

        everything = [s for e in record.entities
                      if (s := _aligned(doc, e.start, e.end, e.label, f"{record.id} entity {e.id}", notes))]
        outer = {(s, e) for s, e, _ in outermost((sp.start_char, sp.end_char, sp.label_) for sp in everything)}
        doc.ents = [sp for sp in everything if (sp.start_char, sp.end_char) in outer]
        doc.spans[ENTITIES_KEY] = everything
        doc.spans[EVENTS_KEY] = [s for ev in record.events if (s := _aligned(
            doc, ev.trigger.start, ev.trigger.end, ev.type, f"{record.id} event {ev.id}", notes))]
        carried = carried_fields(record)
        carried["modality"] = [[e.trigger.start, e.trigger.end, e.type, e.modality] for e in record.events]
        carried["attributions"] = [_attribution_dict(a) for a in record.attributions]
        doc.user_data[TOOLKIT_FIELD] = carried
        bin_.add(doc)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_bytes(out, bin_.to_bytes())
    notes.insert(0, "spacy: attribution is kept in doc.user_data for the round trip only (no spaCy layer holds it)")
    if cut:
        notes.append(f"spacy: {cut} token(s) cut where an annotation edge fell inside a token")
    return notes


def _aligned(doc, start: int, end: int, label: str, what: str, notes: list[str]):
    """The token span, or None with a note: a span is never moved to fit the tokens."""
    span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if span is None:
        notes.append(f"spacy: {what} [{start}, {end}) does not align to tokens: not written")
    return span


def _write_bytes(path: Path, data: bytes) -> None:
    """atomic.write_text for bytes: a temporary file beside the target, then one rename."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _attribution_dict(a: Attribution) -> dict:
    spans = lambda xs: [[s.start, s.end] for s in xs]
    return {"id": a.id, "source": spans(a.source), "cue": spans(a.cue), "content": spans(a.content),
            "anonymous": a.anonymous, "source_entity": a.source_entity}


@importer(NAME)
def import_spacy(path: Path, label_map: str | None = None, annotator: str | None = None) -> ImportResult:
    from spacy.tokens import DocBin

    from ..nlp import blank_pipeline

    path = Path(path)
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    if not files:
        raise ToolkitError(f"{path}: no .spacy files")
    mapping = label_mapping(label_map)
    problems: list[Problem] = []
    records: list[Record] = []
    vocab = blank_pipeline().vocab
    for file in files:
        try:
            docs = list(DocBin().from_bytes(file.read_bytes()).get_docs(vocab))
        except Exception as err:  # a corrupt or foreign file: one line, no traceback
            problems.append(Problem(str(file), f"not a spaCy DocBin ({err.__class__.__name__}: {err})"))
            continue
        for n, doc in enumerate(docs, start=1):
            record = _record(doc, Where(str(file), n), f"{file.stem}-{n:04d}", mapping, annotator, problems)
            if record is not None:
                records.append(record)
    return ImportResult(unique_ids(records, problems, str(path)), problems)


def _record(doc, where: Where, fallback_id: str, mapping, annotator, problems) -> Record | None:
    carried = doc.user_data.get(TOOLKIT_FIELD)
    carried = _plain(carried) if isinstance(carried, dict) else {}
    rid = str(carried.get("id") or fallback_id)
    if not doc.text.strip():
        problems.append(Problem(where.file, "empty document: not imported", where.line, rid))
        return None
    b = DocumentBuilder(where, rid, doc.text, NAME, annotator, mapping, kept_ids=carried.get("ids") or {})
    seen = set()
    spans = list(doc.ents) + (list(doc.spans[ENTITIES_KEY]) if ENTITIES_KEY in doc.spans else [])
    for sp in spans:
        key = (sp.start_char, sp.end_char, sp.label_)
        if key not in seen:
            seen.add(key)
            b.entity(sp.start_char, sp.end_char, sp.label_)
    modality = {(s, e, t): m for s, e, t, m in carried.get("modality") or []}
    for sp in doc.spans.get(EVENTS_KEY, []):
        b.event(sp.start_char, sp.end_char, sp.label_, modality.get((sp.start_char, sp.end_char, sp.label_)))
    for a in carried.get("attributions") or []:
        roles = {}
        for role in ("source", "cue", "content"):
            roles[role] = [sp for s, e in a.get(role, []) if (sp := b.span(s, e, f"attribution {a.get('id')} {role}"))]
        b.attribution(roles["cue"], roles["content"], roles["source"], ident=a.get("id"),
                      anonymous=a.get("anonymous"), source_entity=a.get("source_entity"))
    record = b.build(restored_meta(carried), carried.get("split"), previous=carried.get("provenance"),
                     cleaning=carried.get("cleaning"))
    problems.extend(b.problems)
    return record


def _plain(value):
    """msgpack gives tuples back for lists: make them lists again so they compare equal to the original."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
