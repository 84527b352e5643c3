"""``foyer snippets ID``: code that starts a workflow from a script, CI job or service."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

import typer

from foyer.cli.output import Format, OutputOption, ProfileOption, print_json, reported


class Language(StrEnum):
    """A snippet language (``foyer.snippets.LANGUAGES``)."""

    cli = "cli"
    curl = "curl"
    httpx = "httpx"
    requests = "requests"
    temporal = "temporal"


@reported
def snippets(
    workflow: Annotated[str, typer.Argument(metavar="ID", help="The workflow id.")],
    language: Annotated[
        Language | None,
        typer.Option(help="Only this language, printed bare (ready to pipe into a file)."),
    ] = None,
    environment: Annotated[
        str | None, typer.Option(help="Environment to run in.", show_default=False)
    ] = None,
    example: Annotated[
        str | None, typer.Option(help="Catalog example whose inputs to use (default: the first).")
    ] = None,
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Code that starts a workflow: foyer CLI, cURL, Python (httpx, requests) and, for the
    owning team, a direct Temporal start. Each reads the key from FOYER_API_KEY."""
    from foyer.cli.http import EXIT_REFUSED, CliError, open_gateway

    with open_gateway(profile) as gateway:
        answer = gateway.get(
            f"/api/catalog/{quote(workflow, safe='')}/snippets",
            {"environment": environment, "example": example},
        )
    found = answer.get("snippets") or []
    if language is not None:
        found = [s for s in found if s["language"] == language.value]
        if not found:
            raise CliError(
                f"the {language.value} snippet of `{workflow}` is only for members of the "
                "team that owns it",
                EXIT_REFUSED,
            )
    if output is Format.json:
        print_json({"snippets": found})
        return
    if language is not None:
        typer.echo(found[0]["code"], nl=False)
        return
    for index, snippet in enumerate(found):
        if index:
            typer.echo()
        typer.echo(f"# ── {snippet['label']} ({snippet['language']}) ──")
        typer.echo(snippet["code"], nl=False)
