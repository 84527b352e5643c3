"""``foyer db``: the gateway database's schema."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage the gateway's database schema.", no_args_is_help=True)


@app.callback()
def db() -> None:
    """Manage the gateway's database schema (FOYER_DATABASE_URL)."""


@app.command()
def upgrade() -> None:
    """Apply the migrations this Foyer ships; safe to run again."""
    from foyer.db import Database
    from foyer.db import upgrade as apply
    from foyer.settings import get_settings

    database = Database(get_settings().database_url)
    try:
        before, after = apply(database)
    finally:
        database.dispose()
    if before == after:
        typer.echo(f"{database.display_url} is up to date (schema {after})")
    else:
        typer.echo(f"Upgraded {database.display_url} from schema {before or 'none'} to {after}")
