"""The one place where a command's failure becomes ``error: <message>`` and exit status 1.

Every ``foyer`` command runs inside :class:`ErrorBoundary`, the root command
group: a domain error (any :class:`~foyer.errors.FoyerError`, and the older
domain errors listed below) prints one line per problem on stderr and exits 1,
never a traceback. ``FOYER_DEBUG=1`` adds the traceback, for bug reports.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import typer
from typer.core import TyperGroup

from foyer.errors import FoyerError

DEBUG_VARIABLE = "FOYER_DEBUG"

_OLDER_DOMAIN_ERRORS = (
    ("foyer.catalog.errors", "CatalogInvalid"),
    ("foyer.catalog.errors", "CatalogError"),
    ("foyer.signing", "SignatureError"),
)
"""Domain errors that do not derive from FoyerError yet, by module and name."""


class CommandError(FoyerError):
    """A failure a command itself found, that the user can act on."""


def debugging() -> bool:
    """Whether ``FOYER_DEBUG`` asks for tracebacks."""
    return os.environ.get(DEBUG_VARIABLE, "").lower() in {"1", "true", "yes"}


def error_lines(err: BaseException) -> list[str] | None:
    """What to print for a domain error, one problem per line; ``None`` for anything else."""
    if isinstance(err, FoyerError):
        return [str(err)]
    for module_name, class_name in _OLDER_DOMAIN_ERRORS:
        # Only a loaded module can have raised its error, and looking it up here
        # (instead of importing it) keeps `foyer --help` from loading what it imports.
        module = sys.modules.get(module_name)
        error_class = getattr(module, class_name, None)
        if isinstance(error_class, type) and isinstance(err, error_class):
            problems = getattr(err, "errors", None)
            if class_name == "CatalogInvalid" and isinstance(problems, list):
                return [str(problem) for problem in problems]
            return [str(err)]
    if isinstance(err, OSError) and err.filename is not None:
        return [f"cannot use {err.filename}: {err.strerror}"]
    return None


def report(lines: list[str], err: BaseException) -> None:
    """Print ``error: <line>`` for each line on stderr, after the traceback when debugging."""
    if debugging():
        traceback.print_exception(err)
    for line in lines:
        typer.echo(f"error: {line}", err=True)


def report_unexpected(err: BaseException) -> None:
    """The last resort for a bug: one line naming it, the traceback only when debugging."""
    summary = " ".join(str(err).split()) or "(no message)"
    report(
        [
            f"unexpected {type(err).__name__}: {summary} "
            f"(run again with {DEBUG_VARIABLE}=1 for the traceback)"
        ],
        err,
    )


class ErrorBoundary(TyperGroup):
    """The root command group: every command's domain error becomes ``error: …`` and exit 1."""

    # Typer keeps its click private; `ctx` is the click Context it passes.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as err:
            lines = error_lines(err)
            if lines is None:
                raise
            report(lines, err)
            raise typer.Exit(1) from None
