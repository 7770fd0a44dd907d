"""`toolkit import FORMAT PATH --out DIR`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import ToolkitError
from ..formats.transfer import import_
from ._app import app, fail
from .export import list_formats


@app.command("import")
def import_cli(
    format: Optional[str] = typer.Argument(None, help="Format name (see --list)."),
    path: Optional[Path] = typer.Argument(None, help="The tool's export: a file or a folder."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder with records.jsonl and the dataset."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Import what is valid; report the rest."),
    label_map: Optional[str] = typer.Option(None, "--label-map", help="Map foreign entity labels (e.g. re3d)."),
    annotator: Optional[str] = typer.Option(None, "--annotator", help="Who annotated (provenance)."),
    sentences_per_doc: Optional[int] = typer.Option(None, "--sentences-per-doc", min=1,
                                                    help="conll without -DOCSTART-: sentences per document."),
    answers: Optional[str] = typer.Option(None, "--answers", help="prodigy: answers to import, comma-separated "
                                          "(default: accept)."),
    list_: bool = typer.Option(False, "--list", help="List the import formats and exit."),
) -> None:
    """Import human annotations from a labeling tool; documents already in DIR are updated, with a backup."""
    if list_:
        list_formats("import")
        return
    if format is None or path is None or out is None:
        fail("give FORMAT, PATH and --out (toolkit import --list shows the formats)")
    options = {"sentences_per_doc": sentences_per_doc, "answers": tuple(answers.split(",")) if answers else None}
    try:
        report = import_(format, path, out, skip_invalid=skip_invalid, label_map=label_map, annotator=annotator,
                         **{k: v for k, v in options.items() if v is not None})
    except ToolkitError as err:
        fail(str(err))
    for problem in report.problems:
        typer.echo(f"{'skipped' if skip_invalid else 'error'}: {problem}", err=True)
    if report.problems and not skip_invalid:
        fail(f"{len(report.problems)} problem(s); nothing written (fix the input, or pass --skip-invalid "
             "to import the rest)")
    if report.backup is not None:
        typer.echo(f"updated {len(report.updated)} existing document(s); the replaced records are in {report.backup}",
                   err=True)
    typer.echo(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged"
               + (f", {len(report.problems)} skipped for problems" if report.problems else "")
               + (f": {report.records_path}" if report.written else "; nothing written"))
