"""Command line: one small module per command, each calling one library function."""

from __future__ import annotations

import sys

from ..errors import ToolkitError
from . import agreement, annotate, evaluate, export, import_, publish, stats, train, validate  # noqa: F401  (register commands)
from ._app import app


def main() -> None:
    try:
        app()
    except ToolkitError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("error: interrupted; files already written are complete, nothing half-written was kept", file=sys.stderr)
        sys.exit(130)
