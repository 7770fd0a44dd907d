"""`toolkit evaluate --model NAME [--predictions FILE] --data DATASET --out REPORT_DIR`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import ToolkitError
from ..evaluate.run import evaluate
from ..learning_curve import learning_curves
from ._app import app, key_values


@app.command("evaluate")
def evaluate_cli(
    model: Optional[list[str]] = typer.Option(None, "--model", "-m", help="Extractor name, trained model folder or "
                                              "spaCy pipeline; repeat to compare several."),
    predictions: Optional[list[Path]] = typer.Option(None, "--predictions", "-p", help="JSONL of predicted records "
                                                     "made elsewhere (one model per `model` field, else per file)."),
    data: str = typer.Option(..., "--data", "-d", help="Dataset folder written by `toolkit annotate`, records .jsonl, "
                             "or FORMAT:PATH (e.g. conll:re3d-conll)."),
    data_option: list[str] = typer.Option([], "--data-option", help="KEY=VALUE for the importer of FORMAT:PATH."),
    split: str = typer.Option("test", "--split", "-s", help="Split to score on."),
    out: Path = typer.Option(..., "--out", "-o", help="Report folder: results.json, README.md, report.html, plots."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples (and randomization rounds)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the resampling."),
    learning_curve: bool = typer.Option(False, "--learning-curve", help="Train each --model (a `toolkit train` model "
                                        "name) on 25/50/75/100 %% of the train split, plot dev scores, and "
                                        "evaluate the 100 %% models."),
    task: Optional[str] = typer.Option(None, "--task", help="With --learning-curve: entities, events or attribution."),
    no_text: bool = typer.Option(False, "--no-text", help="Write no document text (no predictions.jsonl, no "
                                 "examples): for data that may not be redistributed."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
) -> None:
    """Score models on the same gold documents; write figures with 95 % CIs, significance tests and plots."""
    options = key_values("--data-option", data_option)
    say = None if quiet else (lambda line: typer.echo(line, err=True))
    models, curves = list(model or []), None
    if learning_curve:
        if not task or not models:
            raise ToolkitError("--learning-curve needs --task and at least one --model to train")
        curves, trained = learning_curves(task, models, data, out / "models", seed=seed, progress=say,
                                          data_options=options or None)
        models = [str(trained[m]) for m in models]
    report = evaluate(models, data, split=split, out=out, bootstrap=bootstrap, seed=seed,
                      predictions=predictions or [], learning_curve=curves, data_options=options,
                      with_text=not no_text,
                      progress=say and (lambda name: say(f"running {name} ...")))
    if quiet:
        return
    for f in report.figures:
        if f.group == "headline" and f.metric in ("f1_strict", "classification_f1", "relation_overlap_f1"):
            typer.echo(f"{f.model:>24}  {f.task:<12} {f.name:<44} {f.value:.3f} [{f.ci_low:.3f}, {f.ci_high:.3f}]")
    typer.echo(f"report: {out}/README.md, {out}/report.html, {out}/results.json")
