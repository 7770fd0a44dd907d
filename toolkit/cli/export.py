"""`toolkit export --format FORMAT RECORDS --out PATH`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import ToolkitError
from ..formats.transfer import describe, export, formats
from ._app import app, fail


def list_formats(kind: str) -> None:
    for name in formats()[kind]:
        typer.echo(f"{name:<22} {describe(name)}")


@app.command("export")
def export_cli(
    records: Optional[Path] = typer.Argument(None, help="records.jsonl, or a folder holding one."),
    format: Optional[str] = typer.Option(None, "--format", "-f", help="Format name (see --list)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File (or folder, for brat) to write."),
    list_: bool = typer.Option(False, "--list", help="List the export formats and exit."),
) -> None:
    """Write records in a labeling tool's format; says what the format cannot carry."""
    if list_:
        list_formats("export")
        return
    if records is None or format is None or out is None:
        fail("give RECORDS, --format and --out (toolkit export --list shows the formats)")
    try:
        result = export(format, records, out)
    except ToolkitError as err:
        fail(str(err))
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"wrote {result.records} document(s) as {format} to {result.out}")
