"""JSON Lines exports of labeling tools: one task object with a `text` per line."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import Problem, ToolkitError
from ..jsonl import read_numbered


def json_tasks(path: Path, tool: str, problems: list[Problem]) -> Iterator[tuple[Path, int, dict]]:
    """(file, line, task) for every task with a non-empty `text` in a .jsonl file or a folder of them; a malformed
    line or a task without text becomes a problem and reading goes on."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise ToolkitError(f"{path}: no .jsonl files")
    for file in files:
        for n, task, error in read_numbered(file):
            if error:
                problems.append(Problem(str(file), error, n))
                continue
            if not isinstance(task, dict) or not isinstance(task.get("text"), str) or not task["text"].strip():
                problems.append(Problem(str(file), f"a {tool} task needs a non-empty `text`", n))
                continue
            yield file, n, task
