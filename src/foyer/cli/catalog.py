"""``foyer catalog``: commands for catalog publishers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from foyer.cli.errors import CommandError

app = typer.Typer(help="Work with a catalog of published workflows.", no_args_is_help=True)


@app.callback()
def catalog() -> None:
    """Work with a catalog of published workflows."""


@app.command()
def validate(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Catalog directory: entry files anywhere below it, shared definitions in defs/.",
            show_default=False,
        ),
    ],
) -> None:
    """Check every entry in a catalog directory, as publishers' CI should.

    Prints `N entries valid in DIR` and exits 0, or prints one
    `file:pointer: message` line per problem and exits 1.
    """
    from foyer.catalog import Catalog, CatalogInvalid

    if not directory.exists():
        raise CommandError(f"catalog directory `{directory}` does not exist")
    if not directory.is_dir():
        raise CommandError(f"`{directory}` is not a directory; pass the catalog directory")
    try:
        loaded = Catalog.load(directory)
    except CatalogInvalid as invalid:
        for error in invalid.errors:
            typer.echo(str(error))
        raise typer.Exit(1) from None
    count = len(loaded.entries)
    summary = f"{count} {'entry' if count == 1 else 'entries'}"
    if loaded.sources:
        sources = len(loaded.sources)
        summary += f" and {sources} option source{'' if sources == 1 else 's'}"
    typer.echo(f"{summary} valid in {directory}")
