"""`toolkit train TASK --model NAME --data DATASET --out DIR`, and `toolkit train --list`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._app import app, fail, key_values


@app.command("train")
def train_cli(
    task: Optional[str] = typer.Argument(None, help="entities, events or attribution."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model name (see --list)."),
    data: Optional[str] = typer.Option(None, "--data", "-d",
                                       help="Dataset folder (toolkit annotate), records .jsonl, or FORMAT:PATH."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Model folder to write (replaced atomically)."),
    split: str = typer.Option("train", "--split", help="Split to train on."),
    dev: str = typer.Option("validation", "--dev", help="Split for validation scores ('none' to skip)."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed and data give the same model."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="JSON file of hyper-parameters."),
    fraction: Optional[float] = typer.Option(None, "--fraction", help="Train on a stratified fraction (0, 1]."),
    data_option: list[str] = typer.Option([], "--data-option", help="KEY=VALUE for the importer of FORMAT:PATH."),
    benchmarks: Optional[Path] = typer.Option(None, "--benchmarks",
                                              help="Folder of FORMAT:PATH data (default $TOOLKIT_BENCHMARKS "
                                                   "or ../shared/benchmarks)."),
    list_models: bool = typer.Option(False, "--list", help="List the models of each task and exit."),
    defaults: bool = typer.Option(False, "--defaults", help="Train every layer's candidates on --data and keep, per "
                                  "layer, the best on validation as the default extractor's model in --out."),
) -> None:
    """Train a baseline extractor for one layer; writes model files and model.json with validation scores."""
    from ..train.registry import model_names
    from ..train.run import train
    from ..train.validation import headline

    if list_models:
        for name, names in model_names(task).items():
            typer.echo(f"{name}: {', '.join(names) or '(none yet)'}")
        return
    if defaults:
        from ..train.defaults import build_defaults

        if data is None or out is None:
            fail("--defaults needs --data and --out")
        choice = build_defaults(data, out, seed=seed, progress=lambda line: typer.echo(line, err=True))
        for layer, c in choice.items():
            scores = ", ".join(f"{m} {v['validation']:.3f}" for m, v in c["candidates"].items() if v)
            typer.echo(f"{layer}: {c['chosen']} (validation: {scores})")
        typer.echo(f"default models: {out} (the default extractor uses them when it finds them there)")
        return
    missing = [flag for flag, value in (("TASK", task), ("--model", model), ("--data", data), ("--out", out))
               if value is None]
    if missing:
        fail(f"missing {', '.join(missing)} (see toolkit train --help)")
    options = key_values("--data-option", data_option)
    meta = train(task, model, data, out, split=split, dev=None if dev.lower() == "none" else dev, seed=seed,
                 config=config, fraction=fraction, benchmarks=benchmarks, data_options=options or None)
    line = headline(task, meta["validation"], meta["label_scheme"] != "inventory")
    score = f"; validation {line[0]} {line[1]:.3f}" if line else ""
    typer.echo(f"{out}: {task} model {model!r} trained on {meta['data']['train_records']} record(s) in "
               f"{meta['train_seconds']:.1f}s{score}")
