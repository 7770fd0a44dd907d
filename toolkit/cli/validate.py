"""`toolkit validate PATH...`"""

from __future__ import annotations

from pathlib import Path

import typer

from ..validate import validate_paths
from ._app import app


@app.command("validate")
def validate_cli(
    paths: list[Path] = typer.Argument(..., help="records.jsonl files or folders holding them."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print problems only."),
) -> None:
    """Check records against the schema and invariants; one line per problem, exit 1 on any."""
    report = validate_paths(paths)
    for problem in report.problems:
        typer.echo(str(problem))
    if not quiet or report.problems:
        status = "ok" if report.ok else "FAILED"
        typer.echo(f"{status}: {report.records} record(s) in {len(report.files)} file(s), {len(report.problems)} problem(s)",
                   err=not report.ok)
    if not report.ok:
        raise typer.Exit(1)
