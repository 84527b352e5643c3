"""The ``foyer`` command: one Typer app, one error boundary."""

from __future__ import annotations

import sys

import typer

from foyer.catalog import CatalogInvalid
from foyer.cli import catalog, gateway, up, worker
from foyer.cli.errors import CommandError
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

# ── Administration (users, keys, audit, db): talks to the database directly;
# SQLAlchemy loads only inside these commands. ──
from foyer.cli import admin  # noqa: E402

admin.register(app)
# ── end of administration commands ──


def main() -> None:
    """Run ``foyer``; failures the user can fix print one line each and exit 1."""
    try:
        app()
    except CatalogInvalid as err:
        for error in err.errors:
            typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except (CommandError, SignatureError) as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except OSError as err:
        typer.echo(f"error: cannot use {err.filename or 'a file'}: {err.strerror}", err=True)
        sys.exit(1)
