"""``foyer workflows list|show``: what you can run, and what it takes."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import typer

from foyer.cli.output import Format, OutputOption, ProfileOption, print_json, reported, table

app = typer.Typer(help="Find workflows and see their inputs.", no_args_is_help=True)


def matches(item: dict[str, Any], team: str | None, search: str | None) -> bool:
    """Whether a catalog item belongs to ``team`` and mentions every word of ``search``."""
    if team and team.casefold() not in (o.casefold() for o in item.get("owners") or []):
        return False
    if not search:
        return True
    haystack = " ".join(
        [
            item["id"],
            item.get("title", ""),
            item.get("description", ""),
            *(item.get("tags") or []),
            *(item.get("owners") or []),
        ]
    ).casefold()
    return all(word in haystack for word in search.casefold().split())


def team_of(item: dict[str, Any]) -> str:
    """The owning team a workflow is listed under: its first owner."""
    owners = item.get("owners") or []
    return str(owners[0]) if owners else "(no team)"


@app.command("list")
@reported
def list_workflows(
    team: Annotated[str | None, typer.Option(help="Only this owning team's workflows.")] = None,
    search: Annotated[
        str | None, typer.Option(help="Words to find in id, title, description or tags.")
    ] = None,
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Published workflows, by owning team."""
    from foyer.cli.http import open_gateway

    with open_gateway(profile) as gateway:
        catalog = gateway.get("/api/catalog")
    items = [i for i in catalog.get("items") or [] if matches(i, team, search)]
    items.sort(key=lambda i: (team_of(i), i["id"]))
    if output is Format.json:
        print_json({"items": items})
        return
    if not items:
        typer.echo("No workflow matches." if team or search else "The catalog is empty.")
        return
    rows = [
        [
            team_of(i),
            i["id"],
            i.get("title", ""),
            "required" if (i.get("approval") or {}).get("required") else "-",
            _rights(i),
        ]
        for i in items
    ]
    typer.echo(table(["TEAM", "ID", "TITLE", "APPROVAL", "YOU CAN"], rows))


def _rights(item: dict[str, Any]) -> str:
    rights = [r for r in ("run", "approve") if item.get(f"can_{r}")]
    return ", ".join(rights) or "view"


@app.command("show")
@reported
def show(
    workflow: Annotated[str, typer.Argument(metavar="ID", help="The workflow id.")],
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """A workflow's description, input fields, examples and guide."""
    from foyer.cli.http import open_gateway

    with open_gateway(profile) as gateway:
        entry = gateway.get(f"/api/catalog/{quote(workflow, safe='')}")
    if output is Format.json:
        print_json(entry)
    else:
        typer.echo(describe_entry(entry))


def describe_entry(entry: dict[str, Any]) -> str:
    """An entry for people: facts, one line per field, examples as commands, the guide."""
    from foyer.snippets import cli_command
    from foyer.snippets.fields import explain, fields_of

    approval = entry.get("approval") or {}
    needs = (
        f"required, {approval.get('min_approvers', 1)} approver(s) from "
        f"{', '.join(entry.get('approve_groups') or []) or '-'}"
        if approval.get("required")
        else "not required"
    )
    lines = [
        f"{entry['id']}: {entry['title']}",
        "",
        entry.get("description", "").strip(),
        "",
        f"team:          {', '.join(entry.get('owners') or [])}",
        f"environments:  {', '.join(entry.get('environments') or [])}"
        f" (default {entry.get('default_environment')})",
        f"approval:      {needs}",
        f"you can:       {_rights(entry)}",
        "",
        "fields:",
    ]
    fields = fields_of(entry["schema"], (entry.get("ui_schema") or {}).get("ui:order"))
    rows = []
    for field in fields:
        required = "required" if field.required else "optional"
        rows.append([f"  {field.flag}", field.type_label, required, explain(field)])
    lines += table(["", "", "", ""], rows).splitlines()[1:] if rows else ["  (none)"]
    examples = entry.get("examples") or []
    if examples:
        lines += ["", "examples:"]
        for example in examples:
            summary = f" — {example['description']}" if example.get("description") else ""
            lines.append(f"  {example['name']}{summary}")
            command = cli_command(
                entry["id"],
                entry["schema"],
                example.get("inputs") or {},
                environment=example.get("environment"),
            )
            lines += [f"    {line}" for line in command.splitlines()]
    if entry.get("guide"):
        lines += ["", "guide:", "", entry["guide"].rstrip()]
    return "\n".join(lines)
