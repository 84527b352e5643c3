"""Real databases for tests: SQLite files and a PostgreSQL 16 server from ``pgserver``.

The PostgreSQL server runs in a temporary directory for the whole session
(``pgserver`` ships its binaries; as root it runs them as a ``pgserver`` system
user it creates), without fsync, since its data is thrown away. Creating a
database costs about a second there, so tests take turns on a few migrated
scratch databases, emptied before each use.
"""

from __future__ import annotations

import itertools
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import psycopg

from foyer.db import Database, upgrade
from foyer.db.audit import GENESIS

SCRATCH_DATABASES = 4
"""How many fresh PostgreSQL databases one test may hold at once."""


def start_postgres() -> Any:
    """Start PostgreSQL in a directory of its own under the system's temporary directory.

    Not under pytest's base directory: pytest resets that to mode 0700 when any
    session starts, which locks out the ``pgserver`` user that PostgreSQL runs
    as when the tests run as root.
    """
    import pgserver

    directory = Path(tempfile.mkdtemp(prefix="foyer-pg-"))
    server = pgserver.get_server(directory / "data", cleanup_mode="stop")
    server.foyer_directory = directory
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            connection.execute(f"ALTER SYSTEM SET {setting} = off")  # type: ignore[arg-type]
        connection.execute("SELECT pg_reload_conf()")
    return server


def stop_postgres(server: Any) -> None:
    """Immediate shutdown (the data is thrown away), then remove its directory."""
    postmaster = psutil.Process(server.get_pid())
    postmaster.send_signal(signal.SIGQUIT)
    postmaster.wait(timeout=30)
    server.cleanup()
    shutil.rmtree(server.foyer_directory, ignore_errors=True)


class Databases:
    """Fresh migrated databases on demand."""

    def __init__(
        self, directory: Path, start: Callable[[], Any], stop: Callable[[Any], None]
    ) -> None:
        self._directory = directory
        self._start = start
        self._stop = stop
        self._server: Any = None
        self._counter = itertools.count(1)
        self._scratch = itertools.cycle(range(SCRATCH_DATABASES))
        self._created: set[str] = set()
        self._sqlite_template: Path | None = None

    def fresh(self, kind: str) -> str:
        """The URL of an empty database at the newest schema."""
        if kind == "sqlite":
            path = self._directory / f"foyer-{next(self._counter)}.db"
            shutil.copyfile(self._sqlite_template_file(), path)
            return f"sqlite:///{path}"
        name = f"scratch_{next(self._scratch)}"
        if name in self._created:
            empty(self.server.get_uri(name))
        else:
            self.execute(f"CREATE DATABASE {name} TEMPLATE foyer_template")
            self._created.add(name)
        return str(self.server.get_uri(name))

    def dedicated(self, name: str) -> str:
        """A migrated PostgreSQL database of its own, for a whole session (e.g. a gateway's)."""
        self.execute(f"CREATE DATABASE {name} TEMPLATE foyer_template")
        return str(self.server.get_uri(name))

    def empty(self, kind: str) -> str:
        """A database with no schema at all."""
        number = next(self._counter)
        if kind == "sqlite":
            return f"sqlite:///{self._directory / f'empty-{number}.db'}"
        self.execute(f"CREATE DATABASE empty_{number}")
        return str(self.server.get_uri(f"empty_{number}"))

    @property
    def server(self) -> Any:
        if self._server is None:
            self._server = self._start()
            self.execute("CREATE DATABASE foyer_template")
            migrate(str(self._server.get_uri("foyer_template")))
        return self._server

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement as the PostgreSQL superuser, outside a transaction."""
        with psycopg.connect(self.server.get_uri(database), autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._server is not None:
            self._stop(self._server)

    def _sqlite_template_file(self) -> Path:
        if self._sqlite_template is None:
            self._sqlite_template = self._directory / "template.db"
            migrate(f"sqlite:///{self._sqlite_template}")
        return self._sqlite_template


def migrate(url: str) -> None:
    db = Database(url)
    try:
        upgrade(db)
    finally:
        db.dispose()


def empty(uri: str) -> None:
    """Delete every row of a migrated PostgreSQL database, audit log included."""
    with psycopg.connect(uri, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename != 'alembic_version'"
            )
        ]
        with connection.transaction():
            # Replica mode skips the audit log's append-only triggers.
            connection.execute("SET LOCAL session_replication_role = replica")
            connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")  # type: ignore[arg-type]
            connection.execute(
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, %s)", (GENESIS,)
            )
