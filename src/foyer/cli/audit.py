"""``foyer audit``: check and export the tamper-evident audit log."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import typer

from foyer.cli.admin import stores
from foyer.cli.errors import CommandError

app = typer.Typer(help="Check and export the audit log.", no_args_is_help=True)

FIELDS = (
    "seq", "at", "actor", "action", "target", "client", "source",
    "outcome", "detail", "prev_hash", "hash",
)  # fmt: skip


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.callback()
def audit() -> None:
    """Check and export the audit log (talks to FOYER_DATABASE_URL)."""


@app.command()
def verify() -> None:
    """Recompute the hash chain; exit 1 naming the first row that was edited or deleted."""
    with stores() as opened:
        result = opened.audit.verify()
    if not result.intact:
        before = "1 row before it is" if result.count == 1 else f"{result.count} rows before it are"
        raise CommandError(f"the audit log is not intact: {result.problem} ({before} intact)")
    typer.echo(f"The audit log is intact: {result.count} rows, every hash chained")


@app.command()
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl: one record per line; csv.")
    ] = ExportFormat.jsonl,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only records from this time on: an ISO date or time, or an age like 7d.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the records to stdout, oldest first, with their hashes."""
    start = _since(since) if since else None
    with stores() as opened:
        records = opened.audit.iterate(start)
        if format is ExportFormat.jsonl:
            for record in records:
                sys.stdout.write(record.model_dump_json() + "\n")
            return
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(FIELDS)
        for record in records:
            row = record.model_dump(mode="json")
            row["detail"] = json.dumps(row["detail"], sort_keys=True, separators=(",", ":"))
            writer.writerow([row[field] for field in FIELDS])


def _since(text: str) -> datetime:
    from foyer.catalog.durations import parse_duration

    try:
        return datetime.now(UTC) - timedelta(seconds=parse_duration(text))
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--since `{text}` is neither a time (2026-11-01, 2026-11-01T09:00) nor an age (7d)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
