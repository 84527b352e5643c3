"""``foyer users``: people and service accounts, and their groups."""

from __future__ import annotations

from typing import Annotated

import typer

from foyer.cli.admin import Format, OutputOption, actor, print_json, stores, table

app = typer.Typer(help="Manage users, service accounts and groups.", no_args_is_help=True)


@app.callback()
def users() -> None:
    """Manage users, service accounts and groups (talks to FOYER_DATABASE_URL)."""


@app.command("list")
def list_users(
    group: Annotated[
        str | None, typer.Option(help="Only members of this group.", show_default=False)
    ] = None,
    output: OutputOption = Format.text,
) -> None:
    """Every user and service account, with their groups."""
    with stores() as opened:
        found = opened.directory.list_users(group)
    if output is Format.json:
        print_json([user.model_dump(mode="json") for user in found])
        return
    rows = [[u.email, u.name, u.kind, u.source, ", ".join(u.groups)] for u in found]
    typer.echo(table(["EMAIL", "NAME", "KIND", "SOURCE", "GROUPS"], rows))


@app.command()
def add(
    email: Annotated[str, typer.Argument(help="Email address (a name for --service).")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    group: Annotated[
        list[str] | None, typer.Option("--group", "-g", help="A group; repeat for more.")
    ] = None,
    service: Annotated[
        bool, typer.Option("--service", help="A service account (a CI job, a bot).")
    ] = False,
    output: OutputOption = Format.text,
) -> None:
    """Add a user or a service account."""
    with stores() as opened:
        user = opened.directory.add_user(
            email, actor(), name=name, groups=group or [], kind="service" if service else "user"
        )
    if output is Format.json:
        print_json(user.model_dump(mode="json"))
        return
    kind = "service account" if user.kind == "service" else "user"
    typer.echo(f"Added {kind} {user.email} (groups: {', '.join(user.groups) or 'none'})")


@app.command("set-groups")
def set_groups(
    email: Annotated[str, typer.Argument(help="The user's email address.")],
    groups: Annotated[
        list[str] | None, typer.Argument(help="Every group the user is in; none to clear.")
    ] = None,
    output: OutputOption = Format.text,
) -> None:
    """Replace a user's groups."""
    with stores() as opened:
        user = opened.directory.set_groups(email, groups or [], actor())
    if output is Format.json:
        print_json(user.model_dump(mode="json"))
        return
    typer.echo(f"{user.email} is in: {', '.join(user.groups) or 'no groups'}")
