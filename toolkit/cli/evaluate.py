"""`toolkit evaluate --model NAME [--predictions FILE] --data DATASET --out REPORT_DIR`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..evaluate.run import evaluate
from ._app import app


@app.command("evaluate")
def evaluate_cli(
    model: Optional[list[str]] = typer.Option(None, "--model", "-m", help="Extractor name, trained model folder or "
                                              "spaCy pipeline; repeat to compare several."),
    predictions: Optional[list[Path]] = typer.Option(None, "--predictions", "-p", help="JSONL of predicted records "
                                                     "made elsewhere (one model per `model` field, else per file)."),
    data: Path = typer.Option(..., "--data", "-d", help="Dataset folder written by `toolkit annotate`, or records .jsonl."),
    split: str = typer.Option("test", "--split", "-s", help="Split to score on."),
    out: Path = typer.Option(..., "--out", "-o", help="Report folder: results.json, README.md, report.html, plots."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples (and randomization rounds)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the resampling."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
) -> None:
    """Score models on the same gold documents; write figures with 95 % CIs, significance tests and plots."""
    report = evaluate(model or [], data, split=split, out=out, bootstrap=bootstrap, seed=seed,
                      predictions=predictions or [],
                      progress=None if quiet else (lambda name: typer.echo(f"running {name} ...", err=True)))
    if quiet:
        return
    for f in report.figures:
        if f.group == "headline" and f.metric in ("f1_strict", "classification_f1", "relation_overlap_f1"):
            typer.echo(f"{f.model:>24}  {f.task:<12} {f.name:<44} {f.value:.3f} [{f.ci_low:.3f}, {f.ci_high:.3f}]")
    typer.echo(f"report: {out}/README.md, {out}/report.html, {out}/results.json")
