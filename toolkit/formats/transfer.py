"""`toolkit export` and `toolkit import`: records out to a labeling tool's format and corrections back in.

An import is all or nothing unless `skip_invalid`: any problem and nothing is written. Imported documents replace
records of the same id in DIR/records.jsonl (human corrections win), and the replaced records are first saved
to DIR/backups/records-TIMESTAMP.jsonl, so nothing is overwritten without a copy.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import atomic
from ..annotate import RECORDS_FILE
from ..records import read_records
from ..errors import Problem, ToolkitError
from ..records import Meta, Record
from ..validate import validate_record
from . import exporters, get_exporter, get_importer, importers

BACKUPS_DIR = "backups"


@dataclass
class ExportResult:
    out: Path
    records: int
    notes: list[str]


@dataclass
class ImportReport:
    out_dir: Path
    records: list[Record] = field(default_factory=list)  # everything in DIR/records.jsonl afterwards
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    backup: Path | None = None
    written: bool = False

    @property
    def records_path(self) -> Path:
        return self.out_dir / RECORDS_FILE


def formats() -> dict[str, list[str]]:
    """Registered format names, for `--list`."""
    return {"import": importers(), "export": exporters()}


def describe(name: str) -> str:
    """The first line of a format module's docstring."""
    fn = get_importer(name) if name in importers() else get_exporter(name)
    doc = inspect.getmodule(fn).__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def records_in(path: Path) -> list[Record]:
    """Records from a records.jsonl file, or a folder holding one or a saved dataset (`documents/`)."""
    path = Path(path)
    if path.is_dir() and not (path / RECORDS_FILE).is_file() and (path / "documents").is_dir():
        from ..dataset import load_records

        return load_records(path)
    if path.is_dir():
        path = path / RECORDS_FILE
    if not path.is_file():
        raise ToolkitError(f"{path}: no such records file")
    return read_records(path)


def export(format: str, records: Path | list[Record], out: Path, **options) -> ExportResult:
    """Write records (a records.jsonl, a folder holding one, or Record objects) in a tool's format."""
    exporter = get_exporter(format)
    recs = records if isinstance(records, list) else records_in(records)
    if not recs:
        raise ToolkitError(f"{records}: no records to export")
    notes = exporter(recs, Path(out), **_accepted(exporter, options, format))
    return ExportResult(Path(out), len(recs), list(notes))


def import_(format: str, path: Path, out_dir: Path, skip_invalid: bool = False, label_map: str | None = None,
            annotator: str | None = None, **options) -> ImportReport:
    """Import a tool's export into DIR/records.jsonl and the dataset, updating documents that already exist."""
    importer = get_importer(format)
    path, out_dir = Path(path), Path(out_dir)
    if not path.exists():
        raise ToolkitError(f"{path}: no such file or folder")
    given = {"label_map": label_map, "annotator": annotator, **options}
    result = importer(path, **_accepted(importer, {k: v for k, v in given.items() if v is not None}, format))
    report = ImportReport(out_dir, problems=list(result.problems))
    imported = []
    for record in result.records:  # an importer from elsewhere may not check: validate every record here
        errors = validate_record(record.to_dict())
        if errors:
            report.problems += [Problem(str(path), f"not imported: {e}", record_id=record.id) for e in errors]
        else:
            imported.append(record)
    if report.problems and not skip_invalid:
        return report
    existing_path = out_dir / RECORDS_FILE
    existing = read_records(existing_path) if existing_path.is_file() else []
    merged, replaced = _merge(existing, imported, report)
    report.records = merged
    if not report.added and not report.updated:
        return report
    if replaced:
        report.backup = _backup(out_dir, replaced)
    from ..dataset import save_dataset

    with atomic.staged(out_dir) as stage:
        save_dataset(merged, stage)
        atomic.write_lines(stage / RECORDS_FILE, (r.to_json() for r in merged))
    report.written = True
    return report


def _accepted(fn, options: dict, format: str) -> dict:
    """The options a format takes; one it does not take is an error, not silently ignored."""
    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return options
    for key in options:
        if key not in params:
            raise ToolkitError(f"format {format!r} does not take --{key.replace('_', '-')}")
    return options


def _merge(existing: list[Record], imported: list[Record], report: ImportReport) -> tuple[list[Record], list[Record]]:
    by_id = {r.id: r for r in existing}
    replaced = []
    for new in imported:
        old = by_id.get(new.id)
        if old is None:
            report.added.append(new.id)
        else:
            _carry_over(old, new)
            if _same_annotations(old, new):
                report.unchanged.append(new.id)
                continue
            replaced.append(old)
            report.updated.append(new.id)
        by_id[new.id] = new
    return list(by_id.values()), replaced


def _carry_over(old: Record, new: Record) -> None:
    """What the format could not carry comes from the record being corrected: meta, split, cleaning."""
    if _bare(new.meta):
        new.meta = old.meta
    if new.split is None:
        new.split = old.split
    if new.cleaning is None and new.text == old.text:
        new.cleaning = old.cleaning


def _bare(meta: Meta) -> bool:
    return not any((meta.title, meta.url, meta.publisher, meta.date, meta.license, meta.redistributable))


def _same_annotations(a: Record, b: Record) -> bool:
    """Equal but for the import time: a rules record that comes back from a person is an update (now gold)."""
    da, db = a.to_dict(), b.to_dict()
    da["provenance"].pop("created"), db["provenance"].pop("created")
    return da == db


def _backup(out_dir: Path, replaced: list[Record]) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / BACKUPS_DIR / f"records-{stamp}.jsonl"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / BACKUPS_DIR / f"records-{stamp}-{n}.jsonl"
    atomic.write_lines(path, (r.to_json() for r in replaced))
    return path
