"""``foyer approvals``, ``approve``, ``reject`` and ``cancel``: deciding on runs.

Each decision is sent with a fresh Idempotency-Key, so a retry after a lost
answer returns the first outcome instead of deciding twice.
"""

from __future__ import annotations

from typing import Annotated, Any

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
from foyer.cli.runs import RunArgument, run_path


@reported
def approvals(profile: ProfileOption = None, output: OutputOption = Format.text) -> None:
    """Your inbox: runs waiting for your approval."""
    from foyer.cli.http import open_gateway

    with open_gateway(profile) as gateway:
        inbox = gateway.get("/api/approvals")
    if output is Format.json:
        print_json(inbox)
        return
    items = inbox.get("items") or []
    if not items:
        typer.echo("Nothing is waiting for your approval.")
        return
    typer.echo(inbox_table(items))
    typer.echo("Decide with: foyer approve RUN [--comment C] | foyer reject RUN --comment C")


def inbox_table(items: list[dict[str, Any]]) -> str:
    """Runs awaiting approval as columns."""
    rows = [
        [
            run["id"],
            run["workflow"],
            run.get("environment") or "",
            run.get("requester") or "",
            when(run.get("created_at")),
        ]
        for run in items
    ]
    return table(["RUN", "WORKFLOW", "ENV", "REQUESTER", "CREATED"], rows)


@reported
def approve(
    run: RunArgument,
    comment: Annotated[str, typer.Option(help="Recorded with your approval.")] = "",
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Approve a run; the owning team answers before this returns (exit 3 if refused)."""
    _decide(run, "approve", {"comment": comment}, profile, output, "Approved")


@reported
def reject(
    run: RunArgument,
    comment: Annotated[str, typer.Option(help="Why: shown to the requester.", show_default=False)],
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Reject a run, saying why (exit 3 if refused)."""
    _decide(run, "reject", {"comment": comment}, profile, output, "Rejected")


@reported
def cancel(
    run: RunArgument,
    reason: Annotated[str, typer.Option(help="Recorded with the cancellation.")] = "",
    profile: ProfileOption = None,
    output: OutputOption = Format.text,
) -> None:
    """Cancel a run you requested or may approve (exit 3 if refused)."""
    _decide(run, "cancel", {"reason": reason}, profile, output, "Cancelled")


def _decide(
    run_id: str,
    action: str,
    body: dict[str, str],
    profile: str | None,
    output: Format,
    done: str,
) -> None:
    from foyer.cli.http import new_idempotency_key, open_gateway

    with open_gateway(profile) as gateway:
        run = gateway.post(
            f"{run_path(run_id)}/{action}", body, idempotency_key=new_idempotency_key()
        )
    if output is Format.json:
        print_json(run)
        return
    message = f": {run['message']}" if run.get("message") else ""
    typer.echo(f"{done} {run['id']} ({run.get('title') or run['workflow']}).")
    typer.echo(f"status: {run['status']}{message}")
