"""`toolkit publish DATASET --repo-id ORG/NAME`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..publish import publish
from ._app import app


@app.command("publish")
def publish_cli(
    dataset: Path = typer.Argument(..., help="Folder written by `toolkit annotate` (records.jsonl) or a records .jsonl."),
    repo_id: str = typer.Option(..., "--repo-id", help="Dataset repo on the Hub, ORG/NAME."),
    private: bool = typer.Option(False, "--private", help="Create the repo private (an existing repo keeps its setting)."),
    revision: Optional[str] = typer.Option(None, "--revision", help="Branch to commit to (created if missing); default main."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Build the Hub folder here and stop (no upload)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Build and verify locally, upload nothing."),
    allow_license: list[str] = typer.Option([], "--allow-license", help="Also publish documents under this license "
                                            "(repeatable); never those marked redistributable: false."),
) -> None:
    """License-gate the records, build Parquet configs and a dataset card, verify them, upload to the Hub."""
    result = publish(dataset, repo_id, private=private, revision=revision, out=out, dry_run=dry_run,
                     allow_licenses=allow_license, log=lambda line: typer.echo(line, err=True))
    local_only = dry_run or out is not None
    verb = "ready to publish" if local_only else "published"
    typer.echo(f"{verb} {len(result.published)} document(s), left out {len(result.left_out)}")
    if local_only:
        typer.echo(f"folder: {result.folder} (load_dataset('{result.folder}', CONFIG) for CONFIG in "
                   f"{', '.join(result.verified_local)}); nothing uploaded")
        return
    if result.commit:
        typer.echo(f"commit {result.commit}: {len(result.uploaded)} file(s) uploaded, {len(result.deleted)} deleted")
    else:
        typer.echo("nothing uploaded: the Hub already holds these files")
    typer.echo(f"dataset: {result.url}")
