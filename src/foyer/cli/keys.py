"""``foyer keys``: API keys, shown once, stored hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from foyer.cli.admin import Format, OutputOption, actor, print_json, stores, table
from foyer.cli.errors import CommandError

if TYPE_CHECKING:
    from foyer.db import KeyInfo

app = typer.Typer(help="Manage API keys.", no_args_is_help=True)


@app.callback()
def keys() -> None:
    """Manage API keys (talks to FOYER_DATABASE_URL)."""


@app.command()
def create(
    user: Annotated[str, typer.Option("--user", help="Whose key: their email address.")],
    name: Annotated[str, typer.Option("--name", help="What the key is for, e.g. `laptop`.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="run, approve or admin; repeat for more. Default: run and approve.",
            show_default=False,
        ),
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option(help="Lifetime, e.g. 30d or 12h; default: never.", show_default=False),
    ] = None,
    output: OutputOption = Format.text,
) -> None:
    """Create a key and print it once: only its digest is stored.

    The key alone goes to stdout (`KEY=$(foyer keys create …)`), the rest to stderr.
    """
    from foyer.catalog.durations import parse_duration

    expires_at = None
    if expires:
        try:
            expires_at = datetime.now(UTC) + timedelta(seconds=parse_duration(expires))
        except ValueError as err:
            raise CommandError(f"--expires: {err}") from None
    with stores() as opened:
        issued = opened.directory.create_key(
            user, name, actor(), scopes=scope or ["run", "approve"], expires_at=expires_at
        )
    if output is Format.json:
        print_json(issued.model_dump(mode="json"))
        return
    until = f"expires {issued.expires_at:%Y-%m-%d %H:%M} UTC" if issued.expires_at else "no expiry"
    typer.echo(
        f"Created {issued.id} `{issued.name}` for {issued.user} "
        f"(scopes: {', '.join(issued.scopes)}; {until}). It is shown only now:",
        err=True,
    )
    typer.echo(issued.key)


@app.command("list")
def list_keys(
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user's keys.", show_default=False)
    ] = None,
    output: OutputOption = Format.text,
) -> None:
    """Keys with their owner, scopes, status, expiry and last use; never the secrets."""
    with stores() as opened:
        found = opened.directory.list_keys(user)
    if output is Format.json:
        print_json([key.model_dump(mode="json") for key in found])
        return
    headers = ["ID", "USER", "NAME", "KEY", "SCOPES", "STATUS", "EXPIRES", "LAST USED"]
    typer.echo(table(headers, [_row(key) for key in found]))


@app.command()
def revoke(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="The key's id (`key_…`).")],
    output: OutputOption = Format.text,
) -> None:
    """Revoke a key; every gateway refuses it from the next request on."""
    with stores() as opened:
        key = opened.directory.revoke_key(key_id, actor())
    if output is Format.json:
        print_json(key.model_dump(mode="json"))
        return
    typer.echo(f"Revoked {key.id} `{key.name}` of {key.user}")


def _row(key: KeyInfo) -> list[str]:
    def when(moment: datetime | None) -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"

    return [
        key.id,
        key.user,
        key.name,
        key.hint,
        ",".join(key.scopes),
        key.status,
        when(key.expires_at),
        when(key.last_used_at),
    ]
