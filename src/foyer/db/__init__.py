"""The gateway's database: run ledger, identities and API keys, audit log.

SQLAlchemy models with Alembic migrations, on SQLite (the default, a file in
the state directory) or PostgreSQL. Open it once per process with
:meth:`Stores.open`; every store shares one engine.
"""

from __future__ import annotations

from foyer.db.audit import ACTIONS, Actor, AuditFilter, AuditLog, AuditRecord, Verification
from foyer.db.engine import Database, DatabaseError
from foyer.db.identities import Directory, IssuedKey, KeyInfo, SignIn, UserInfo
from foyer.db.ledger import (
    FINAL_STATUSES,
    LIVE_STATUSES,
    Ledger,
    LedgerRun,
    NewRun,
    Observation,
    RunQuery,
)
from foyer.db.migrate import SchemaOutdated, require_current, upgrade
from foyer.db.pagination import Page


class Stores:
    """Every store over one database.

    Attributes:
        db: The engine and its sessions.
        audit: The hash-chained audit log.
        ledger: The run ledger.
        directory: Users, groups, service accounts and API keys.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.audit = AuditLog(db)
        self.ledger = Ledger(db, self.audit)
        self.directory = Directory(db, self.audit)

    @classmethod
    def open(cls, url: str, *, check_schema: bool = True) -> Stores:
        """Connect to ``url``; with ``check_schema``, refuse a schema that is not current."""
        db = Database(url)
        if check_schema:
            try:
                require_current(db)
            except BaseException:
                db.dispose()
                raise
        return cls(db)

    def close(self) -> None:
        self.db.dispose()


__all__ = [
    "ACTIONS",
    "FINAL_STATUSES",
    "LIVE_STATUSES",
    "Actor",
    "AuditFilter",
    "AuditLog",
    "AuditRecord",
    "Database",
    "DatabaseError",
    "Directory",
    "IssuedKey",
    "KeyInfo",
    "Ledger",
    "LedgerRun",
    "NewRun",
    "Observation",
    "Page",
    "RunQuery",
    "SchemaOutdated",
    "SignIn",
    "Stores",
    "UserInfo",
    "Verification",
    "require_current",
    "upgrade",
]
