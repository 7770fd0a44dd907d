"""`toolkit stats PATH...`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..stats import bar_chart, compute, markdown
from ..validate import load_record_paths
from ._app import app


@app.command("stats")
def stats_cli(
    paths: list[Path] = typer.Argument(..., help="records.jsonl files, or folders holding them."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write a PNG bar chart of mentions per label here."),
) -> None:
    """Documents, tokens and mentions per label and per split, as a Markdown table (and a PNG chart)."""
    stats = compute(load_record_paths(paths))
    typer.echo(markdown(stats), nl=False)
    t = stats.totals
    typer.echo(f"\n{sum(stats.documents.values())} documents, {t['entities']} entity mentions, {t['events']} event "
               f"triggers ({t['claimed']} claimed), {t['attributions']} attributions ({t['anonymous']} anonymous)")
    if plot is not None:
        typer.echo(f"chart: {bar_chart(stats, plot)}")
