"""`toolkit annotate`: ingest, clean, pre-annotate, merge with existing records, write records and dataset."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import atomic
from .cleaning import clean
from .errors import Problem, ToolkitError
from .ingest import RawDocument, iter_inputs
from .licenses import is_redistributable
from .records import Meta, Record, now_iso, read_records, sha256
from .spans import OffsetMap

RECORDS_FILE = "records.jsonl"
CHUNK = 8


@dataclass
class AnnotateResult:
    out_dir: Path
    records: list[Record]
    annotated: list[str] = field(default_factory=list)
    kept_gold: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def records_path(self) -> Path:
        return self.out_dir / RECORDS_FILE


def to_record(raw: RawDocument) -> Record:
    """Clean the raw text and record how, mapping any span lists given with the input into the clean text."""
    cleaned = clean(raw.text)
    if not cleaned.text.strip():
        raise ToolkitError(f"{raw.where} {raw.id}: no text left after cleaning")
    meta = Meta(**raw.meta)
    meta.language = meta.language or "en"
    if "redistributable" not in raw.meta:
        meta.redistributable = is_redistributable(meta.license)
    meta.source_file = raw.where
    meta.extra = _map_extra_spans(raw.extra, cleaned.offsets)
    steps = (["html:trafilatura"] if raw.html else []) + cleaned.steps
    cleaning = {"raw_sha256": sha256(raw.text), "steps": steps, "edits": [e.to_dict() for e in cleaned.edits]}
    return Record(id=raw.id, text=cleaned.text, meta=meta, cleaning=cleaning, split=_split_of(raw))


def _split_of(raw: RawDocument) -> str | None:
    split = raw.extra.pop("split", None)
    return split if isinstance(split, str) else None


def _map_extra_spans(extra: dict, offsets: OffsetMap) -> dict:
    """Lists of {start, end} dicts given with an input (e.g. re3d's reference_entities) follow the cleaning."""
    out = {}
    for key, value in extra.items():
        if isinstance(value, list) and value and all(_is_span(v) for v in value):
            moved = []
            for v in value:
                span = offsets.span_to_clean((v["start"], v["end"]))
                if span is not None:
                    moved.append({**v, "start": span[0], "end": span[1]})
            value = moved
        out[key] = value
    return out


def _is_span(v) -> bool:
    return isinstance(v, dict) and isinstance(v.get("start"), int) and isinstance(v.get("end"), int)


_worker_extractor = None


def _init_worker(model: str) -> None:
    global _worker_extractor
    from .extract.registry import get_annotator

    _worker_extractor = get_annotator(model)


def _predict_chunk(records: list[Record]) -> list[Record]:
    return _worker_extractor.predict(records)


def predict(records: list[Record], model: str, workers: int = 1, on_done: Callable[[int], None] | None = None):
    """Run the extractor over records in chunks, in order; several workers give the same output as one."""
    chunks = [records[i : i + CHUNK] for i in range(0, len(records), CHUNK)]
    out: list[Record] = []
    if workers <= 1:
        _init_worker(model)
        results: Iterable = map(_predict_chunk, chunks)
        for chunk in results:
            out.extend(chunk)
            on_done and on_done(len(chunk))
        return out
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(model,)) as pool:
        for chunk in pool.map(_predict_chunk, chunks):
            out.extend(chunk)
            on_done and on_done(len(chunk))
    return out


def merge(existing: list[Record], new: list[Record]) -> tuple[list[Record], list[str]]:
    """New predictions replace earlier predictions of the same id; gold records are never replaced."""
    by_id = {r.id: r for r in existing}
    kept = []
    for record in new:
        old = by_id.get(record.id)
        if old is not None and old.provenance.is_gold:
            kept.append(record.id)
            continue
        by_id[record.id] = record
    return list(by_id.values()), kept


def annotate(
    inputs: list[Path],
    out_dir: Path,
    model: str = "default",
    workers: int = 1,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> AnnotateResult:
    """Annotate every input document and write DIR/records.jsonl plus the dataset; returns what happened."""
    from .dataset import save_dataset
    from .extract.registry import get_annotator

    out_dir = Path(out_dir)
    get_annotator(model)  # fail fast on an unknown model, before any work
    problems: list[Problem] = []
    fresh: list[Record] = []
    for item in iter_inputs([Path(p) for p in inputs]):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        try:
            fresh.append(to_record(item))
        except ToolkitError as err:
            problems.append(Problem(item.where, str(err).split(": ", 1)[-1], record_id=item.id))
    existing_path = out_dir / RECORDS_FILE
    existing = read_records(existing_path) if existing_path.is_file() else []
    gold_ids = {r.id for r in existing if r.provenance.is_gold}
    todo = [r for r in fresh if r.id not in gold_ids]
    tick = progress(len(todo), 0) if progress else None
    predicted = predict(todo, model, workers, tick)
    created = now_iso()
    for record in predicted:
        record.provenance.created = created
    merged, _ = merge(existing, predicted)
    kept = [r.id for r in fresh if r.id in gold_ids]
    if merged:
        with atomic.staged(out_dir) as stage:
            save_dataset(merged, stage)
            atomic.write_lines(stage / RECORDS_FILE, (r.to_json() for r in merged))
    return AnnotateResult(out_dir, merged, [r.id for r in predicted], kept, problems)
