"""What the administration commands share: the database, the acting user, output.

``foyer users``, ``foyer keys``, ``foyer audit`` and ``foyer db`` talk to the
gateway's database directly (``FOYER_DATABASE_URL``, by default the SQLite file
in ``.foyer/`` that ``foyer up`` uses), as ``alembic`` does; whoever can run
them can read the database anyway. Their modules import only Typer at
start-up; SQLAlchemy loads inside the commands.
"""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from foyer.db import Actor, Stores


class Format(StrEnum):
    """``--output``: text for people, JSON for scripts."""

    text = "text"
    json = "json"


OutputOption = Annotated[
    Format, typer.Option("--output", "-o", help="text for people, json for scripts.")
]


def register(app: typer.Typer) -> None:
    """Add ``users``, ``keys``, ``audit`` and ``db`` to ``app``."""
    from foyer.cli import audit, db, keys, users

    app.add_typer(users.app, name="users")
    app.add_typer(keys.app, name="keys")
    app.add_typer(audit.app, name="audit")
    app.add_typer(db.app, name="db")


@contextmanager
def stores(check_schema: bool = True) -> Iterator[Stores]:
    """The stores over ``FOYER_DATABASE_URL``, closed afterwards."""
    from foyer.db import Stores
    from foyer.settings import get_settings

    opened = Stores.open(get_settings().database_url, check_schema=check_schema)
    try:
        yield opened
    finally:
        opened.close()


def actor() -> Actor:
    """Who runs this command, as the audit log records them: ``cli:<user>@<host>``."""
    from foyer.db import Actor

    host = socket.gethostname()
    return Actor(f"cli:{getpass.getuser()}@{host}", "cli", host)


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns two spaces apart."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
