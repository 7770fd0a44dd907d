"""`toolkit agreement A B`"""

from __future__ import annotations

from pathlib import Path

import typer

from ..agreement import agreement, agreement_markdown
from ..errors import ToolkitError
from ..validate import load_record_paths
from ._app import app


@app.command("agreement")
def agreement_cli(
    a: Path = typer.Argument(..., help="First annotation: records.jsonl or a folder holding it."),
    b: Path = typer.Argument(..., help="Second annotation of the same documents."),
) -> None:
    """Inter-annotator agreement per layer: exact and overlap span F1, kappa on event types, attribution F1."""
    ra, rb = load_record_paths([a]), load_record_paths([b])
    common = {r.id for r in ra} & {r.id for r in rb}
    if not common:
        raise ToolkitError(f"{a} and {b} share no document id: nothing to compare")
    texts = {r.id: r.text for r in ra}
    differ = sorted(r.id for r in rb if r.id in common and r.text != texts[r.id])
    if differ:
        raise ToolkitError(f"{b} {differ[0]}: text differs from {a}; agreement needs the same text")
    typer.echo(agreement_markdown(agreement(ra, rb), a.name, b.name), nl=False)
