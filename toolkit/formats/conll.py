"""CoNLL 2003 / BIO token files: entities only, one token per line with its tag last.

Reading: `token<TAB>tag`, or space-separated columns with the tag last (CoNLL 2003's four columns work). A
`-DOCSTART-` line starts a document; its middle column, when it is not `-X-`, is the document id (the exporter
writes `-DOCSTART-<TAB>ID<TAB>O`). Without DOCSTART lines each blank-line separated sentence is a document, or
`sentences_per_doc` of them. The text is rebuilt from the tokens: joined by one space within a sentence and by a
newline between sentences, so offsets refer to that rebuilt text. Tags are BIO (a stray I- opens an entity).

Writing: the toolkit's tokenizer (cut at entity edges), sentences separated by blank lines. Nested entities cannot
be written as BIO: the outermost is kept and the exporter says how many were left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic
from ..errors import Problem, ToolkitError
from ..records import Record
from ..spans import outermost
from . import ImportResult, exporter, importer
from .record_builder import DocumentBuilder, Where, label_mapping, unique_ids
from .tokens import tokenize

NAME = "conll"
DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|[BI]-\S+)$")


@dataclass
class _Token:
    text: str
    tag: str
    line: int


@dataclass
class _Document:
    id: str | None
    line: int
    sentences: list[list[_Token]] = field(default_factory=list)


@exporter(NAME)
def export_conll(records: list[Record], out: Path) -> list[str]:
    lines: list[str] = []
    nested = cut = 0
    for record in records:
        spans = [(e.start, e.end, e.label) for e in record.entities]
        kept = outermost(spans)
        nested += len(spans) - len(kept)
        tok = tokenize(record.text, {x for s, e, _ in kept for x in (s, e)}, sentences=True)
        cut += tok.cut
        tags = _bio(tok.doc, kept)
        lines += [f"{DOCSTART}\t{record.id}\tO", ""]
        for sent in tok.doc.sents:
            rows = [f"{t.text}\t{tags[t.i]}" for t in sent if not t.is_space]
            lines += rows
            if rows and not _continues(tok.doc, tags, sent.end):
                lines.append("")
        if lines[-1] != "":
            lines.append("")
    atomic.write_lines(Path(out), lines)
    notes = ["conll: only entities are carried (events and attribution are not); entity ids are renumbered "
             "in text order; the text is rebuilt from tokens joined by spaces"]
    if nested:
        notes.append(f"conll: {nested} nested entit{'y' if nested == 1 else 'ies'} left out (BIO holds one layer; "
                     "the outermost is kept)")
    if cut:
        notes.append(f"conll: {cut} token(s) cut where an entity edge fell inside a token")
    return notes


def _continues(doc, tags: list[str], i: int) -> bool:
    """An entity runs on into the next sentence: no blank line there, or BIO would split it."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i < len(doc) and tags[i].startswith("I-")


def _bio(doc, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(doc)
    starts = {t.idx: t.i for t in doc}
    for s, e, label in spans:
        i = starts[s]
        tags[i] = f"B-{label}"
        i += 1
        while i < len(doc) and doc[i].idx < e:
            tags[i] = f"I-{label}" if not doc[i].is_space else "O"
            i += 1
    return tags


@importer(NAME)
def import_conll(path: Path, label_map: str | None = None, annotator: str | None = None,
                 sentences_per_doc: int | None = None) -> ImportResult:
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
    if not files:
        raise ToolkitError(f"{path}: no CoNLL files")
    mapping = label_mapping(label_map)
    problems: list[Problem] = []
    records: list[Record] = []
    for file in files:
        docs = _read_documents(file, problems, sentences_per_doc)
        for n, doc in enumerate(docs, start=1):
            rid = doc.id or f"{file.stem}-{n:04d}"
            record = _to_record(doc, rid, file, mapping, annotator, problems)
            if record is not None:
                records.append(record)
    return ImportResult(unique_ids(records, problems, str(path)), problems)


def _read_documents(file: Path, problems: list[Problem], per_doc: int | None) -> list[_Document]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        problems.append(Problem(str(file), f"not valid UTF-8 (byte {err.start})"))
        return []
    docs: list[_Document] = []
    has_docstart = any(line.startswith(DOCSTART) for line in lines)
    sentence: list[_Token] = []
    current = _Document(None, 1)

    def end_sentence():
        nonlocal sentence, current
        if not sentence:
            return
        current.sentences.append(sentence)
        sentence = []
        if not has_docstart and len(current.sentences) >= (per_doc or 1):
            docs.append(current)
            current = _Document(None, 0)

    for n, line in enumerate(lines, start=1):
        cols = [c.strip() for c in line.split("\t")] if "\t" in line else line.split()
        if not line.strip():
            end_sentence()
            continue
        if cols[0] == DOCSTART:
            end_sentence()
            if current.sentences:
                docs.append(current)
            middle = [c for c in cols[1:-1] if c != "-X-"] if len(cols) > 2 else []
            current = _Document(middle[0] if middle else None, n)
            continue
        if len(cols) < 2:
            problems.append(Problem(str(file), f"expected a token and a tag, got {line!r}", n))
            continue
        if not current.sentences and not sentence:
            current.line = n
        tag = cols[-1]
        if not _TAG.match(tag):
            problems.append(Problem(str(file), f"tag {tag!r} is not O, B-TYPE or I-TYPE", n))
            tag = "O"
        sentence.append(_Token(cols[0], tag, n))
    end_sentence()
    if current.sentences:
        docs.append(current)
    return docs


def _to_record(doc: _Document, rid: str, file: Path, mapping, annotator, problems) -> Record | None:
    pieces: list[str] = []
    offsets: list[tuple[int, int, _Token]] = []
    pos = 0
    for k, sent in enumerate(doc.sentences):
        for j, tok in enumerate(sent):
            if pieces:
                sep = "\n" if j == 0 and k > 0 else " "
                pieces.append(sep)
                pos += 1
            pieces.append(tok.text)
            offsets.append((pos, pos + len(tok.text), tok))
            pos += len(tok.text)
    text = "".join(pieces)
    if not text.strip():
        problems.append(Problem(str(file), "document has no tokens", doc.line, rid))
        return None
    builder = DocumentBuilder(Where(str(file), doc.line), rid, text, NAME, annotator, mapping)
    for start, end, label, line in _entities(offsets, doc.sentences):
        builder.entity(start, end, label, line)
    record = builder.build()
    problems.extend(builder.problems)
    return record


def _entities(offsets, sentences) -> list[tuple[int, int, str, int]]:
    """(start, end, label, line) from BIO tags; entities never run across a sentence break."""
    out = []
    cur: list | None = None
    last_sentence_end = set()
    n = 0
    for sent in sentences:
        n += len(sent)
        last_sentence_end.add(n - 1)
    for i, (s, e, tok) in enumerate(offsets):
        prefix, _, label = tok.tag.partition("-")
        if prefix == "I" and cur is not None and cur[2] == label:
            cur[1] = e
        else:
            if cur is not None:
                out.append(tuple(cur))
            cur = [s, e, label, tok.line] if prefix in ("B", "I") else None
        if i in last_sentence_end and cur is not None:
            out.append(tuple(cur))
            cur = None
    if cur is not None:
        out.append(tuple(cur))
    return out
