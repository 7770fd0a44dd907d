"""Where the records of one split come from, for `train` and `evaluate` alike: a dataset folder written by
`toolkit annotate`, a records .jsonl (split by each record's `split`), or `FORMAT:PATH` through the importers.

A relative PATH after `FORMAT:` that does not exist from the working folder is looked up in the benchmarks
folder: the `benchmarks` option, else $TOOLKIT_BENCHMARKS, else ../shared/benchmarks (from the working folder,
or else beside the source checkout). A PATH that is a folder
holds one file per split (`train.*`, `dev.*` or `validation.*`); a PATH that is a file is split by record.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ToolkitError
from .records import Record, read_records

BENCHMARKS_ENV = "TOOLKIT_BENCHMARKS"
DEFAULT_BENCHMARKS = Path("..") / "shared" / "benchmarks"
SPLIT_ALIASES = {"validation": ("validation", "dev", "valid"), "dev": ("dev", "validation", "valid")}


def benchmarks_dir(option: str | Path | None = None) -> Path:
    """The option, else $TOOLKIT_BENCHMARKS, else ../shared/benchmarks from here or from the source checkout."""
    if option or os.environ.get(BENCHMARKS_ENV):
        return Path(option or os.environ[BENCHMARKS_ENV])
    beside_checkout = Path(__file__).resolve().parents[1] / DEFAULT_BENCHMARKS
    return DEFAULT_BENCHMARKS if DEFAULT_BENCHMARKS.is_dir() or not beside_checkout.is_dir() else beside_checkout


def data_name(data: str | Path) -> str:
    """A short name for reports: the folder or file name, or FORMAT:PATH's last part."""
    fmt, _, rest = str(data).partition(":")
    if rest and not Path(data).exists():
        return Path(rest).name
    path = Path(data)
    return path.name if path.is_dir() else path.stem


def load_split(data: str | Path, split: str, benchmarks: str | Path | None = None, required: bool = True,
               **options) -> list[Record]:
    """Records of one split. With `required`, a split that is missing or empty is a one-line error naming the
    splits there are; without it, a records file simply gives no records for that split."""
    fmt, _, rest = str(data).partition(":")
    if rest and not Path(data).exists():
        records = _import_split(fmt, rest, split, benchmarks, options)
    else:
        records = _local_split(Path(data), split, required)
    if required and not records:
        raise ToolkitError(f"{data}: split '{split}' holds no documents")
    return records


def _local_split(path: Path, split: str, required: bool) -> list[Record]:
    from .dataset import load_records, split_of

    if not path.exists():
        raise ToolkitError(f"{path}: no such dataset folder or records file")
    if path.is_dir():
        if not (path / "documents").is_dir():
            raise ToolkitError(f"{path}: not a dataset folder written by `toolkit annotate` (no documents/ in it)")
        available = _in_split_order(p.name for p in (path / "documents").iterdir() if p.is_dir())
        if split not in available:
            raise ToolkitError(f"{path}: no split '{split}' in this dataset; available: {', '.join(available) or 'none'}")
        return load_records(path, split)
    if path.suffix != ".jsonl":
        raise ToolkitError(f"{path}: not a dataset folder (toolkit annotate), a records .jsonl or FORMAT:PATH")
    everything = read_records(path)
    records = [r for r in everything if split_of(r) == split]
    if required and not records:
        available = _in_split_order({split_of(r) for r in everything})
        raise ToolkitError(f"{path}: no split '{split}' in this file; available: {', '.join(available) or 'none'}")
    return records


def _in_split_order(names) -> list[str]:
    from .schema import inventory

    order = list(inventory().splits)
    return sorted(set(names), key=lambda n: (order.index(n) if n in order else len(order), n))


def _import_split(fmt: str, where: str, split: str, benchmarks, options: dict) -> list[Record]:
    from .dataset import split_of
    from .formats import get_importer

    importer = get_importer(fmt)
    path = Path(where)
    if not path.exists():
        path = benchmarks_dir(benchmarks) / where
    if not path.exists():
        raise ToolkitError(f"{where}: not found here nor in the benchmarks folder {benchmarks_dir(benchmarks)} "
                           f"(set ${BENCHMARKS_ENV})")
    if path.is_dir():
        files = [f for name in SPLIT_ALIASES.get(split, (split,)) for f in sorted(path.glob(f"{name}.*"))]
        if not files:
            raise ToolkitError(f"{path}: no file for the {split!r} split (looked for {split}.*)")
        result = importer(files[0], **options)
        records = result.records
        for record in records:
            record.split = split
    else:
        result = importer(path, **options)
        records = [r for r in result.records if split_of(r) == split]
    if result.problems:
        more = f" (and {len(result.problems) - 1} more)" if len(result.problems) > 1 else ""
        raise ToolkitError(f"{result.problems[0]}{more}")
    return records
