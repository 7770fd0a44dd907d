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


def key_values(flag: str, items: list[str]) -> dict[str, str]:
    """KEY=VALUE options (e.g. --data-option label_map=re3d) as a dict; a malformed one is a one-line error."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            fail(f"{flag} {item!r}: expected KEY=VALUE")
        out[key] = value
    return out
