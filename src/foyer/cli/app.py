"""The ``foyer`` command: one Typer app, one error boundary."""

from __future__ import annotations

import sys

import typer

from foyer.catalog import CatalogInvalid
from foyer.cli import catalog, gateway, up, user, worker
from foyer.cli.errors import CommandError
from foyer.identities import UsersFileError
from foyer.signing import SignatureError

app = typer.Typer(
    name="foyer",
    help="Foyer: the self-service front door to your operational workflows.",
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


def main() -> None:
    """Run ``foyer``; failures the user can fix print one line each and exit 1."""
    try:
        app()
    except CatalogInvalid as err:
        for error in err.errors:
            typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except (CommandError, UsersFileError, SignatureError) as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except OSError as err:
        typer.echo(f"error: cannot use {err.filename or 'a file'}: {err.strerror}", err=True)
        sys.exit(1)
