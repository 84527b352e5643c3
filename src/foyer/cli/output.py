"""What the user commands share: the ``--output`` and ``--profile`` options, the
error boundary with its exit statuses, and plain-text tables.

Text output is for people; ``--output json`` prints the gateway's JSON, stable
for scripts. Errors go to stderr as ``error: …``, one line per field.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from foyer.errors import FoyerError

P = ParamSpec("P")
R = TypeVar("R")


class Format(StrEnum):
    """``--output``: text for people, JSON for scripts."""

    text = "text"
    json = "json"


OutputOption = Annotated[
    Format,
    typer.Option("--output", "-o", help="text for people, json for scripts.", show_default=True),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help="Profile in the config file (default: $FOYER_PROFILE, else `default`).",
        show_default=False,
    ),
]


def reported(command: Callable[P, R]) -> Callable[P, R]:
    """The user commands' error boundary: each problem on one line, the documented exit status.

    Never a traceback for anything the user can act on; Ctrl-C exits 130.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from foyer.cli.http import CliError, line_of

        try:
            return command(*args, **kwargs)
        except CliError as err:
            for field, message in err.problems:
                typer.echo(f"error: {line_of(field, message)}", err=True)
            raise typer.Exit(err.exit_code) from None
        except FoyerError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return run


def print_json(value: Any) -> None:
    """Pretty JSON on stdout, keys in the gateway's order."""
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns two spaces apart; the same on every terminal, so tests pin it."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def when(timestamp: str | None) -> str:
    """``2026-11-21T10:04:05.123+00:00`` as ``2026-11-21 10:04:05``; ``-`` when absent."""
    if not timestamp:
        return "-"
    return timestamp.replace("T", " ")[:19]


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question (patched in tests)."""
    return sys.stdin.isatty()


def on_a_terminal() -> bool:
    """Whether a person is at both ends: stdin and stdout are terminals (patched in tests)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
