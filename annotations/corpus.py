"""Build and check the gold corpus: pre-annotate the sources, hand out inline markup files for review, check
reviewed files against the source text, and assemble the reviewed files into annotations/records.jsonl.

    python annotations/corpus.py prepare                 # new documents -> annotations/inline/*.ann.txt
    python annotations/corpus.py prepare --double IDS... # plain text copies -> annotations/double/
    python annotations/corpus.py check FILE...           # tags balanced, labels known, text unchanged
    python annotations/corpus.py reviewed FILE... --annotator NAME
    python annotations/corpus.py assemble                # inline/ -> records.jsonl, double/ -> double.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from toolkit import atomic
from toolkit.annotate import annotate
from toolkit.formats.inline import HEADER, file_name, from_markup, parse_markup, render
from toolkit.records import Record, now_iso, read_records
from toolkit.validate import validate_paths

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = [Path("annotations/sources"), Path("examples/articles/ap-2025-06-01-ukraine-drone-strike.txt")]
PRE = HERE / ".pre"
INLINE = HERE / "inline"
DOUBLE = HERE / "double"
GUIDELINE_VERSION = "1.5"


def pre_annotations() -> dict[str, Record]:
    """The rule pre-annotation of every source document (rebuilt when missing)."""
    if not (PRE / "records.jsonl").is_file():
        os.chdir(ROOT)  # source_file paths relative to the repository
        annotate(SOURCES, PRE, workers=2)
    return {r.id: r for r in read_records(PRE / "records.jsonl")}


def prepare(double: list[str]) -> None:
    records = pre_annotations()
    target = DOUBLE if double else INLINE
    ids = double or sorted(records)
    made = 0
    for rid in ids:
        path = target / file_name(rid)
        if path.exists():
            continue  # never overwrite a file a person may have edited
        record = blind(records[rid])
        if double:
            record = Record(record.id, record.text, record.meta, provenance=record.provenance,
                            cleaning=record.cleaning, split=record.split)
        atomic.write_text(path, render(record))
        made += 1
    print(f"{made} new file(s) in {target}")


def blind(record: Record) -> Record:
    """A copy without the inputs' extra fields: annotators must not see re3d's own entity annotations."""
    return replace(record, meta=replace(record.meta, extra={}))


def with_source_fields(record: Record, pre: Record) -> Record:
    """Gold layers and provenance from the reviewed file; meta, cleaning and split from the source."""
    return replace(record, meta=pre.meta, cleaning=pre.cleaning, split=pre.split)


def first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at character {i}: source {a[max(0, i - 30):i + 30]!r} vs file {b[max(0, i - 30):i + 30]!r}"


def check(files: list[Path]) -> int:
    records = pre_annotations()
    bad = 0
    for file in files:
        markup = file.read_text(encoding="utf-8")
        record, problems = from_markup(markup)
        rid = file.name.removesuffix(".ann.txt")
        if problems and rid in records:
            text = parse_markup(markup.partition("\n")[2].rstrip("\n")).text
            if text != records[rid].text:
                problems.append("text " + first_difference(records[rid].text, text))
        for p in problems:
            print(f"{file}: {p}")
        bad += bool(problems)
        if not problems:
            print(f"{file}: ok ({len(record.entities)} entities, {len(record.events)} events, "
                  f"{len(record.attributions)} attributions)")
    return 1 if bad else 0


def mark_reviewed(files: list[Path], annotator: str) -> None:
    for file in files:
        first, _, body = file.read_text(encoding="utf-8").partition("\n")
        header = json.loads(first[len(HEADER):])
        old = header.get("provenance", {})
        pre = old.get("pre_annotation") if old.get("method") == "gold" else old.get("method")
        header["provenance"] = {"method": "gold", "annotator": annotator, "created": now_iso(),
                                "guideline_version": GUIDELINE_VERSION, "reviewed": True,
                                "pre_annotation": pre if file.parent.name != "double" else None, "tool": "inline"}
        atomic.write_text(file, HEADER + json.dumps(header, ensure_ascii=False) + "\n" + body)


def assemble() -> int:
    pre = pre_annotations()
    status = 0
    for folder, out in ((INLINE, HERE / "records.jsonl"), (DOUBLE, HERE / "double.jsonl")):
        records, problems = [], []
        for file in sorted(folder.glob("*.ann.txt")):
            record, probs = from_markup(file.read_text(encoding="utf-8"))
            problems += [f"{file}: {p}" for p in probs]
            if record is not None and record.provenance.is_gold:
                records.append(with_source_fields(record, pre[record.id]))
        for p in problems:
            print(p)
        atomic.write_lines(out, (r.to_json() for r in records))
        report = validate_paths([out])
        print(f"{out}: {len(records)} gold record(s), validate: {'ok' if report.ok else 'FAILED'}")
        status |= bool(problems) or not report.ok
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--double", nargs="*", default=[])
    sub.add_parser("check").add_argument("files", nargs="+", type=Path)
    r = sub.add_parser("reviewed")
    r.add_argument("files", nargs="+", type=Path)
    r.add_argument("--annotator", required=True)
    sub.add_parser("assemble")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare(args.double)
    elif args.command == "check":
        return check(args.files)
    elif args.command == "reviewed":
        mark_reviewed(args.files, args.annotator)
    else:
        return assemble()
    return 0


if __name__ == "__main__":
    sys.exit(main())
