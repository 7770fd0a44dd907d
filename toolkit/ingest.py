"""Readers for .txt (+ NAME.meta.json), .html and .jsonl inputs, yielding raw documents or problems.

A bad input yields a Problem naming the file (and line) and reading goes on, so one bad line loses nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import Problem
from .jsonl import numbered_objects
from .records import Meta

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
META_FIELDS = {f for f in Meta.__dataclass_fields__ if f != "extra"}
ID_UNSAFE = re.compile(r"\s+")


@dataclass
class RawDocument:
    id: str
    text: str
    meta: dict[str, Any]
    source: str
    line: int | None = None
    html: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


def iter_inputs(paths: list[Path]) -> Iterator[RawDocument | Problem]:
    """Every document under `paths`, in a stable order; duplicate ids after the first become problems."""
    seen: dict[str, str] = {}
    for file in _expand(paths):
        if isinstance(file, Problem):
            yield file
            continue
        for item in _read_file(file):
            if isinstance(item, RawDocument):
                if item.id in seen:
                    yield Problem(str(file), f"duplicate id {item.id!r} (first in {seen[item.id]})", item.line, item.id)
                    continue
                seen[item.id] = item.where
            yield item


def _expand(paths: list[Path]) -> Iterator[Path | Problem]:
    for path in paths:
        path = Path(path)
        if not path.exists():
            yield Problem(str(path), "no such file or folder")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield Problem(str(path), f"folder holds no {', '.join(SUFFIXES)} files")
            yield from files
        elif path.suffix.lower() not in SUFFIXES:
            yield Problem(str(path), f"unknown extension {path.suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}")
        else:
            yield path


def _read_file(path: Path) -> Iterator[RawDocument | Problem]:
    text = _read_text(path)
    if isinstance(text, Problem):
        yield text
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, text)
    elif suffix in (".html", ".htm"):
        yield _read_html(path, text)
    else:
        yield _read_txt(path, text)


def _read_text(path: Path) -> str | Problem:
    data = path.read_bytes()
    if not data.strip():
        return Problem(str(path), "file is empty")
    if b"\x00" in data[:8192]:
        return Problem(str(path), "binary file (NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return Problem(str(path), f"not valid UTF-8 (byte {err.start}); re-save the file as UTF-8", line)


def _doc_id(stem: str) -> str:
    return ID_UNSAFE.sub("-", stem.strip())


def _sidecar(path: Path) -> dict[str, Any] | Problem:
    """NAME.meta.json beside NAME.txt or NAME.html: metadata the article file cannot carry."""
    sidecar = path.with_name(path.name[: -len(path.suffix)] + ".meta.json")
    if not sidecar.is_file():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        return Problem(str(sidecar), f"malformed JSON: {err}")
    return meta if isinstance(meta, dict) else Problem(str(sidecar), "expected a JSON object")


def _read_txt(path: Path, text: str) -> RawDocument | Problem:
    meta = _sidecar(path)
    if isinstance(meta, Problem):
        return meta
    doc_id = _doc_id(str(meta.pop("id", None) or path.stem))
    known, extra = _split_meta(meta)
    return RawDocument(doc_id, text, known, source=str(path), extra=extra)


def _read_html(path: Path, html: str) -> RawDocument | Problem:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        return Problem(str(path), "no article text found in the HTML")
    sidecar = _sidecar(path)
    if isinstance(sidecar, Problem):
        return sidecar
    found = trafilatura.extract_metadata(html)
    meta = {}
    if found is not None:
        meta = {"title": found.title, "url": found.url, "publisher": found.sitename, "date": found.date}
    meta = {k: v for k, v in meta.items() if v} | sidecar
    doc_id = _doc_id(str(meta.pop("id", None) or path.stem))
    known, extra = _split_meta(meta)
    return RawDocument(doc_id, text, known, source=str(path), html=True, extra=extra)


def _read_jsonl(path: Path, text: str) -> Iterator[RawDocument | Problem]:
    for n, obj, error in numbered_objects(text.splitlines()):
        if error:
            yield Problem(str(path), error, n)
            continue
        if not isinstance(obj, dict):
            yield Problem(str(path), "expected a JSON object per line", n)
            continue
        body = obj.pop("text", None)
        if not isinstance(body, str) or not body.strip():
            yield Problem(str(path), "missing or empty 'text' field", n, str(obj.get("id") or "") or None)
            continue
        doc_id = _doc_id(str(obj.pop("id", None) or f"{path.stem}-{n}"))
        known, extra = _split_meta(obj)
        yield RawDocument(doc_id, body, known, source=str(path), line=n, extra=extra)


def _split_meta(obj: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Known metadata fields go to `meta`; everything else is kept as `extra`."""
    meta = {k: v for k, v in obj.items() if k in META_FIELDS}
    extra = {k: v for k, v in obj.items() if k not in META_FIELDS}
    return meta, extra
