"""The ``foyer`` command: one Typer app, one error boundary."""

from __future__ import annotations

import sys

import typer

from foyer.cli import catalog, gateway, up, worker
from foyer.cli.errors import CommandError

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


def main() -> None:
    try:
        app()
    except CommandError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
