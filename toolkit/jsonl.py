"""JSON Lines reading shared by every reader: numbered objects, a malformed line reported, never fatal here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator


def numbered_objects(lines: Iterable[str]) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, parsed value, None) or (line number, None, error message) for each non-blank line."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line), None
        except ValueError as err:
            msg = f"malformed JSON: {err.msg} (column {err.colno})" if isinstance(err, json.JSONDecodeError) else str(err)
            yield n, None, msg


def read_numbered(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    with open(path, encoding="utf-8") as fh:
        yield from numbered_objects(fh)
