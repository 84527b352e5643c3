"""Connecting to the gateway's database: SQLite by default, PostgreSQL in production.

The stores are synchronous SQLAlchemy: the drivers (the standard library's
``sqlite3``, ``psycopg``) are mature, Alembic and the CLI are synchronous, and
FastAPI runs synchronous routes and dependencies in its thread pool. Async
code (the run service, the reconciler) calls :meth:`Database.call`, which runs
a store method in a worker thread instead of blocking the event loop.

Writers are serialised where the hash-chained audit log needs it: on SQLite a
write transaction starts with ``BEGIN IMMEDIATE`` (it takes the database's
write lock up front, so two gateways never deadlock upgrading a read lock);
on PostgreSQL appenders lock the chain's head row.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from foyer.errors import FoyerError, Unavailable

log = logging.getLogger("foyer.db")

P = ParamSpec("P")
T = TypeVar("T")

_WRITE = "foyer_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseError(FoyerError):
    """The database URL is wrong or the database is not usable; the message says how to fix it."""


def engine_url(url: str) -> URL:
    """The SQLAlchemy URL with Foyer's drivers: ``sqlite3`` and ``psycopg`` (version 3)."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise DatabaseError(
            f"FOYER_DATABASE_URL `{url}` is not a database URL; "
            "use sqlite:///path/foyer.db or postgresql://user:password@host/database"
        ) from err
    backend = parsed.get_backend_name()
    if backend in {"postgres", "postgresql"}:
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite")
    raise DatabaseError(
        f"FOYER_DATABASE_URL uses `{backend}`; Foyer supports sqlite and postgresql"
    )


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Take transaction control from the sqlite3 module, so BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """One engine and its sessions; build it once per process.

    Args:
        url: A SQLAlchemy URL; ``postgresql://`` and ``sqlite://`` get Foyer's drivers.
    """

    def __init__(self, url: str) -> None:
        self.url = engine_url(url)
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self.url)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    @property
    def display_url(self) -> str:
        """The URL as people write it, password hidden: ``postgresql://foyer:***@db/foyer``."""
        return self.url.set(drivername=self.dialect).render_as_string(hide_password=True)

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._translate_errors(), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed when the block ends without error."""
        with self._translate_errors(), self._writer() as session, session.begin():
            yield session

    async def call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a blocking store method in a worker thread and return its result."""
        return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as err:
            log.warning("database %s failed: %s", self.display_url, err.orig or err)
            raise Unavailable(
                "The gateway's database did not answer; try again shortly", retry_after=1
            ) from err
