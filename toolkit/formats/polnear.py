"""PolNeAR (Newell et al. 2018) attributions as JSONL: one document per line with `id`, `text` and
`attributions`, each a dict of `source`, `cue` and `content` lists of [start, end) character spans.

Only the attribution layer is imported (entities and events stay empty). A source may be empty (then the
attribution is anonymous); a named source is not anonymous, since PolNeAR does not say whether it names someone.
`kind` follows from the quotation marks (`toolkit.attribution.derive`). What our records cannot hold is reported,
one Problem per attribution, never dropped silently: a span outside the text, an attribution without cue or
content, cues that cross or repeat another attribution's cue, and roles of one attribution that cross each other.

Training reads a FORMAT:PATH with no problem allowed; `--data-option skip_invalid=true` keeps the documents and
leaves out only the attributions that cannot be held, their count written in each record's
meta.extra["polnear_skipped"] so that the loss stays visible.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..records import Meta, Span
from ..jsonl import read_numbered
from . import ImportResult, importer
from .record_builder import DocumentBuilder, Where, unique_ids

SCHEME = "polnear"
ROLES = ("source", "cue", "content")
PUBLISHED = "2018-05-07T00:00:00+00:00"  # LREC 2018: the date the gold annotations carry
TRUE_WORDS = {"1", "true", "yes", "on"}


def flag(value) -> bool:
    """A data option arrives as a string from the CLI (`skip_invalid=true`) or as a bool from Python."""
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS


def role_spans(builder: DocumentBuilder, raw, role: str, n: int, line: int) -> list[Span] | None:
    """The checked spans of one role, or None when one of them is unusable (a problem was recorded)."""
    if raw is None:
        raw = []
    if not isinstance(raw, list) or not all(isinstance(x, (list, tuple)) and len(x) == 2 for x in raw):
        builder.problem(f"attribution {n} {role}: expected a list of [start, end] pairs, got {raw!r}", line)
        return None
    spans = []
    for start, end in raw:
        sp = builder.span(start, end, f"attribution {n} {role}", line)
        if sp is None:
            return None
        spans.append(sp)
    return spans


def read_document(path: Path, n: int, row: dict) -> DocumentBuilder | Problem:
    if not isinstance(row, dict):
        return Problem(str(path), "not a PolNeAR document (a JSON object with id, text, attributions)", n)
    doc_id, text, atts = row.get("id"), row.get("text"), row.get("attributions", [])
    if not isinstance(doc_id, str) or not doc_id.strip() or any(c.isspace() for c in doc_id):
        return Problem(str(path), f"document id {doc_id!r} is not a string without spaces", n)
    if not isinstance(text, str) or not text.strip():
        return Problem(str(path), "document has no text", n, doc_id)
    if not isinstance(atts, list):
        return Problem(str(path), "`attributions` is not a list", n, doc_id)
    builder = DocumentBuilder(Where(str(path), n), doc_id, text, SCHEME, annotator=SCHEME)
    for k, att in enumerate(atts, start=1):
        if not isinstance(att, dict):
            builder.problem(f"attribution {k}: not an object with source, cue and content", n)
            continue
        roles = {role: role_spans(builder, att.get(role), role, k, n) for role in ROLES}
        if any(spans is None for spans in roles.values()):
            continue
        missing = [role for role in ("cue", "content") if not roles[role]]
        if missing:
            builder.problem(f"attribution {k}: no {' and no '.join(missing)}, which every attribution needs", n)
            continue
        builder.attribution(roles["cue"], roles["content"], roles["source"], line=n,
                            anonymous=not roles["source"])
    return builder


@importer(SCHEME)
def import_polnear(path: Path, skip_invalid: bool | str = False, **_options) -> ImportResult:
    """One record per document; `skip_invalid` moves the per-attribution problems into meta.extra counts."""
    skip = flag(skip_invalid)
    records, problems = [], []
    for n, row, error in read_numbered(path):
        if error:
            problems.append(Problem(str(path), f"not a JSON line ({error})", n))
            continue
        built = read_document(path, n, row)
        if isinstance(built, Problem):
            problems.append(built)
            continue
        outlet = built.record_id.split("_")[0] if "_" in built.record_id else None  # "breitbart_2016-..."
        meta = Meta(source_file=str(path), publisher=outlet, license=None)
        record = built.build(meta=meta, created=PUBLISHED)
        if record is None:  # the document itself cannot validate: always a problem
            problems += built.problems
            continue
        if built.problems:
            if skip:
                record.meta.extra = {"polnear_skipped": len(built.problems)}
            else:
                problems += built.problems
        records.append(record)
    return ImportResult(unique_ids(records, problems, str(path)), problems)
