"""``foyer login`` and ``foyer whoami``: which gateway, and who you are there."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from foyer.cli.output import Format, OutputOption, ProfileOption, print_json, reported


def _describe(me: dict[str, Any]) -> str:
    name, subject = me.get("name") or "", me["subject"]
    return f"{name} <{subject}>" if name else subject


@reported
def login(
    url: Annotated[
        str, typer.Option(help="The gateway, e.g. https://foyer.example.com.", show_default=False)
    ],
    api_key: Annotated[
        str,
        typer.Option(
            help="Your API key (prompted for, hidden, when left out).",
            prompt="API key",
            hide_input=True,
            show_default=False,
        ),
    ],
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Check an API key against a gateway and save both as a profile.

    Writes $FOYER_CONFIG_DIR/config.toml (default ~/.config/foyer/config.toml),
    readable only by you.
    """
    from foyer.cli.config import Profile, profile_name, save_profile
    from foyer.cli.http import Gateway

    chosen = Profile(name=profile_name(profile), url=url.rstrip("/"), api_key=api_key.strip())
    with Gateway(chosen) as gateway:
        me = gateway.get("/api/me")
    path = save_profile(chosen)
    if output is Format.json:
        print_json({"profile": chosen.name, "url": chosen.url, "config": str(path), "me": me})
        return
    typer.echo(f"Logged in to {chosen.url} as {_describe(me)}.")
    typer.echo(f"Saved profile `{chosen.name}` in {path}.")


@reported
def whoami(profile: ProfileOption = None, output: OutputOption = Format.text) -> None:
    """Show who the gateway knows you as, and your groups."""
    from foyer.cli.http import open_gateway

    with open_gateway(profile) as gateway:
        me = gateway.get("/api/me")
        url = gateway.profile.url
    if output is Format.json:
        print_json(me)
        return
    typer.echo(_describe(me))
    typer.echo(f"groups: {', '.join(me.get('groups') or []) or '(none)'}")
    typer.echo(f"gateway: {url}")
