"""`toolkit annotate INPUT... --out DIR`"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..annotate import annotate
from ..summary import summary_table
from ._app import app

err_console = Console(stderr=True)


@app.command("annotate")
def annotate_cli(
    inputs: list[Path] = typer.Argument(..., help="Files or folders of .txt (+ NAME.meta.json), .html, .jsonl."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: records.jsonl plus the dataset."),
    model: str = typer.Option("default", "--model", "-m", help="Extractor name (default: the best trained models if built, else rules), trained model folder or spaCy pipeline."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="Processes to annotate with (same output as one)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
) -> None:
    """Clean articles, pre-annotate entities, events and attribution, write records and a DatasetDict."""
    with ExitStack() as stack:
        def progress(total: int, _: int):
            """Started only once there is work, so early errors print alone on their line."""
            bar = stack.enter_context(Progress(TextColumn("annotating"), BarColumn(), MofNCompleteColumn(),
                                               TimeElapsedColumn(), console=err_console, transient=True,
                                               disable=quiet or total < 2))
            task = bar.add_task("annotate", total=total)
            return lambda n: bar.advance(task, n)

        result = annotate(inputs, out, model=model, workers=workers, progress=progress)
    for problem in result.problems:
        typer.echo(f"error: {problem}", err=True)
    for rid in result.kept_gold:
        typer.echo(f"kept gold record {rid} in {result.records_path} (human annotation is never overwritten)", err=True)
    if not quiet and result.records:
        Console().print(summary_table(result.records, title=f"{result.out_dir}"))
        typer.echo(f"records: {result.records_path}")
        typer.echo(f"dataset: {result.out_dir}/documents, {result.out_dir}/ner (load_from_disk); "
                   f"load_dataset('{result.out_dir}', 'documents'|'ner')")
    if result.problems:
        typer.echo(f"{len(result.problems)} input problem(s); {len(result.annotated)} document(s) annotated", err=True)
        raise typer.Exit(1)
