"""The Typer app every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="toolkit",
    help="Turn conflict news into a labeled Hugging Face dataset and measure extractors on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> None:
    """One line on stderr, then exit: the only way a command reports a user error."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
