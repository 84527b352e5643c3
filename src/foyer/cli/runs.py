"""``foyer runs list|show|watch``: what was asked for, and where it is."""

from __future__ import annotations

import json
import time
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

import typer

from foyer.cli.output import (
    Format,
    OutputOption,
    ProfileOption,
    print_json,
    reported,
    table,
    when,
)

if TYPE_CHECKING:
    from foyer.cli.http import Gateway

app = typer.Typer(help="List, show and follow runs.", no_args_is_help=True)


class Status(StrEnum):
    """A run's status, as the gateway reports it (``foyer.contracts.RunStatus``)."""

    pending = "pending"
    awaiting_approval = "awaiting_approval"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    rejected = "rejected"
    cancelled = "cancelled"


EXIT_BY_FINAL_STATUS = {"succeeded": 0, "failed": 10, "rejected": 11, "cancelled": 12}
"""Exit status of ``foyer run --wait`` and ``foyer runs watch``, by the run's final status."""

RunArgument = Annotated[str, typer.Argument(metavar="RUN", help="The run id (run-…).")]


def run_path(run_id: str) -> str:
    return f"/api/runs/{quote(run_id, safe='')}"


@app.command("list")
@reported
def list_runs(
    mine: Annotated[bool, typer.Option("--mine", help="Only runs you requested.")] = False,
    status: Annotated[Status | None, typer.Option(help="Only runs in this status.")] = None,
    workflow: Annotated[str | None, typer.Option(help="Only runs of this workflow id.")] = None,
    environment: Annotated[str | None, typer.Option(help="Only runs in this environment.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="At most this many runs.")] = 20,
    cursor: Annotated[
        str | None, typer.Option(help="Continue after a previous page.", show_default=False)
    ] = None,
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Runs you may see, newest first."""
    from foyer.cli.http import open_gateway

    params = {
        "workflow": workflow,
        "requester": "me" if mine else None,
        "status": status.value if status else None,
        "environment": environment,
        "limit": limit,
        "cursor": cursor,
    }
    with open_gateway(profile) as gateway:
        page = gateway.get("/api/runs", params)
    if output is Format.json:
        print_json(page)
        return
    items = page.get("items") or []
    if not items:
        typer.echo("No runs.")
    else:
        typer.echo(runs_table(items))
    if page.get("next_cursor"):
        typer.echo(f"More: add --cursor {page['next_cursor']}")


def runs_table(items: list[dict[str, Any]]) -> str:
    """Runs as columns: id, workflow, environment, status, requester, created."""
    rows = [
        [
            run["id"],
            run["workflow"],
            run.get("environment") or "",
            run["status"],
            run.get("requester") or "",
            when(run.get("created_at")),
        ]
        for run in items
    ]
    return table(["RUN", "WORKFLOW", "ENV", "STATUS", "REQUESTER", "CREATED"], rows)


@app.command("show")
@reported
def show(
    run: RunArgument, profile: ProfileOption = None, output: OutputOption = Format.text
) -> None:
    """A run's status, inputs, plan, approvals and result."""
    from foyer.cli.http import open_gateway

    with open_gateway(profile) as gateway:
        found = gateway.get(run_path(run))
    if output is Format.json:
        print_json(found)
    else:
        typer.echo(describe_run(found))


def describe_run(run: dict[str, Any]) -> str:
    """A run, for people: one fact per line, then inputs, plan, approvals and outcome."""
    from foyer.cli.run import link_lines

    title = run.get("title") or run["workflow"]
    requester = _person(run.get("requester_name"), run.get("requester") or "")
    status = run["status"] + (f": {run['message']}" if run.get("message") else "")
    lines = [
        f"{run['id']}  {title} ({run['workflow']})",
        f"status:       {status}",
        f"environment:  {run.get('environment', '')}",
        f"requester:    {requester}" + (f" via {run['client']}" if run.get("client") else ""),
        f"created:      {when(run.get('created_at'))}",
    ]
    if run.get("closed_at"):
        lines.append(f"closed:       {when(run['closed_at'])}")
    if run.get("cancelled_by"):
        lines.append(f"cancelled by: {run['cancelled_by']}")
    lines.append("inputs:")
    lines += [f"  {k}: {_plain(v)}" for k, v in (run.get("inputs") or {}).items()]
    if run.get("plan") is not None:
        lines.append("plan:")
        lines += _indented(run["plan"])
    if run.get("approvals"):
        lines.append("approvals:")
        lines += [f"  {_decision(a)}" for a in run["approvals"]]
    if run.get("error"):
        lines.append(f"error:        {run['error'].get('type')}: {run['error'].get('message')}")
    if run.get("result") is not None:
        lines.append("result:")
        lines += _indented(run["result"])
    lines.append("links:")
    lines += [f"  {label:<9} {url}" for label, url in link_lines(run)]
    return "\n".join(lines)


def _person(name: str | None, subject: str) -> str:
    return f"{name} <{subject}>" if name else subject


def _decision(approval: dict[str, Any]) -> str:
    verb = "approved" if approval.get("approve") else "rejected"
    who = _person(approval.get("name"), approval.get("approver", ""))
    comment = f": {approval['comment']}" if approval.get("comment") else ""
    return f"{verb} by {who} at {when(approval.get('at'))}{comment}"


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _indented(value: Any, depth: int = 1) -> list[str]:
    """Nested JSON as indented ``key: value`` lines, lists of scalars as ``- item``."""
    pad = "  " * depth
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if (isinstance(item, dict) and item) or _scalars(item):
                out.append(f"{pad}{key}:")
                out += _indented(item, depth + 1)
            else:
                out.append(f"{pad}{key}: {_plain(item)}")
        return out
    if _scalars(value):
        return [f"{pad}- {_plain(item)}" for item in value]
    return [f"{pad}{_plain(value)}"]


def _scalars(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(not isinstance(i, dict | list) for i in value)
    )


@app.command("watch")
@reported
def watch(
    run: RunArgument, profile: ProfileOption = None, output: OutputOption = Format.text
) -> None:
    """Follow a run live until it ends; exit 0 succeeded, 10 failed, 11 rejected, 12 cancelled.

    Text prints a line per change (status, plan, each decision); json prints the
    whole run as one JSON line each time it changes.
    """
    from foyer.cli.http import open_gateway

    with open_gateway(profile) as gateway:
        found = gateway.get(run_path(run))
        code = follow(gateway, found, output=output.value)
    raise typer.Exit(code)


def follow(
    gateway: Gateway,
    run: dict[str, Any],
    *,
    output: str = "text",
    quiet_start: bool = False,
    interval: float = 1.0,
) -> int:
    """Poll ``run`` until its status is final, printing each change; return the exit status."""
    seen: tuple[Any, ...] | None = None
    approvals = 0
    plan_shown = False
    started = time.monotonic()
    while True:
        state = (
            run["status"],
            run.get("message"),
            len(run.get("approvals") or []),
            run.get("plan"),
        )
        if state != seen:
            if output == "json":
                typer.echo(json.dumps(run, ensure_ascii=False))
            else:
                if not (quiet_start and seen is None):
                    _status_line(run)
                if run.get("plan") is not None and not plan_shown:
                    plan_shown = True
                    typer.echo("plan:")
                    typer.echo("\n".join(_indented(run["plan"])))
                for approval in (run.get("approvals") or [])[approvals:]:
                    typer.echo(f"{_clock()}  {_decision(approval)}")
                approvals = len(run.get("approvals") or [])
            seen = state
        if run["status"] in EXIT_BY_FINAL_STATUS:
            break
        # Quick at first, when a run is most likely to move, then once a second.
        time.sleep(0.25 if time.monotonic() - started < 3 else interval)
        run = gateway.get(run_path(run["id"]))
    if output != "json":
        _outcome(run)
    return EXIT_BY_FINAL_STATUS[run["status"]]


def _status_line(run: dict[str, Any]) -> None:
    message = f"  {run['message']}" if run.get("message") else ""
    typer.echo(f"{_clock()}  {run['status']}{message}")


def _outcome(run: dict[str, Any]) -> None:
    if run.get("error"):
        typer.echo(f"  {run['error'].get('type')}: {run['error'].get('message')}")
    if run.get("result") is not None:
        typer.echo("result:")
        typer.echo("\n".join(_indented(run["result"])))


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")
