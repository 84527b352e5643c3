"""The ``foyer`` command: one Typer app, one error boundary, a last resort in :func:`main`.

Command modules import what they need inside their commands, so ``foyer --help``
and quick commands do not pay for Temporal, the web stack or a database driver.
"""

from __future__ import annotations

import os
import sys

import typer

from foyer.cli import catalog, gateway, up, user, worker
from foyer.cli.errors import ErrorBoundary, report_unexpected

app = typer.Typer(
    name="foyer",
    help="Foyer: the self-service front door to your operational workflows.",
    cls=ErrorBoundary,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog.app, name="catalog")
app.add_typer(worker.app, name="worker")
app.command("gateway")(gateway.gateway)
app.command("up")(up.up)

# ── Requester and approver commands (login, workflows, run, runs, approvals, approve,
# reject, cancel, snippets, tui): defined and registered in foyer.cli.user. ──
user.register(app)
# ── end of requester and approver commands ──

# ── Administration (users, keys, audit, db): talks to the database directly;
# SQLAlchemy loads only inside these commands. ──
from foyer.cli import admin  # noqa: E402

admin.register(app)
# ── end of administration commands ──


def main() -> None:
    """Run ``foyer``; whatever escapes the commands' boundary still ends in one line and exit 1."""
    try:
        app()
        status = 0
    except SystemExit as exited:
        status = _status(exited)
    except Exception as err:
        report_unexpected(err)
        status = 1
    _exit(status)


def _status(exited: SystemExit) -> int:
    if exited.code is None or isinstance(exited.code, int):
        return exited.code or 0
    typer.echo(exited.code, err=True)
    return 1


def _exit(status: int) -> None:
    if "temporalio" not in sys.modules:
        sys.exit(status)
    # temporalio's native runtime can abort the interpreter while it finalises
    # (sdk-python issue 300), turning a clean exit or a one-line error into a
    # crash: flush what finalisation would, then leave without it.
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
