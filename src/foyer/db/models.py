"""The tables of the gateway's database, one SQLAlchemy model each.

The schema itself is owned by the Alembic migrations in ``migrations/``; a test
checks that they produce exactly these models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC instant, stored without a zone and read back as an aware datetime.

    Both databases then store and order the same microsecond values, which the
    audit log's hashes and the list's cursors rely on.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements on hot paths (no ORM unit of work)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class RunRow(Base):
    """The ledger: one row per run the gateway accepted, written before its 201."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    execution_run_id: Mapped[str] = mapped_column(String(64))
    """Temporal run id of the router execution the gateway started: the only one it reads."""
    entry_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(400), default="")
    environment: Mapped[str] = mapped_column(String(100))
    namespace: Mapped[str] = mapped_column(String(200))
    requester: Mapped[str] = mapped_column(String(320))
    requester_name: Mapped[str] = mapped_column(String(400), default="")
    client: Mapped[str] = mapped_column(String(40), default="")
    request_digest: Mapped[str] = mapped_column(String(64))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[Any] = mapped_column(JSON, nullable=True)
    deciders: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Subjects whose decision the team side accepted (lowercased)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        # Keyset pagination: every list order is (created_at, id), optionally
        # after one equality filter, so a page is one index range scan.
        Index("ix_runs_created", "created_at", "id"),
        Index("ix_runs_requester_created", "requester", "created_at", "id"),
        Index("ix_runs_entry_created", "entry_id", "created_at", "id"),
        Index("ix_runs_status_created", "status", "created_at", "id"),
    )


class UserRow(Base):
    """A person or a service account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    """The subject, lowercased: an email address, or a service account's name."""
    name: Mapped[str] = mapped_column(String(400), default="")
    kind: Mapped[str] = mapped_column(String(16), default="user")
    source: Mapped[str] = mapped_column(String(16), default="local")
    """How the user came to exist: ``local`` (admin), ``proxy`` or ``oidc`` (SSO)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    memberships: Mapped[list[MembershipRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="MembershipRow.group"
    )

    @property
    def groups(self) -> list[str]:
        return [m.group for m in self.memberships]


class MembershipRow(Base):
    """A user's membership of a group; a group is its name."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column("group_name", String(200), primary_key=True)


class ApiKeyRow(Base):
    """An API key, stored as the SHA-256 digest of its secret."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(32))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """Last time a use of this revoked or expired key was refused and audited."""

    user: Mapped[UserRow] = relationship(lazy="joined")


class AuditRow(Base):
    """One action, chained to the previous row by ``prev_hash``; never updated or deleted."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(320))
    client: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_log_actor", "actor", "seq"),
        Index("ix_audit_log_action", "action", "seq"),
        Index("ix_audit_log_target", "target", "seq"),
        Index("ix_audit_log_at", "at"),
    )


class AuditHeadRow(Base):
    """The chain's newest link, updated with every append.

    It lets ``audit verify`` notice rows deleted from the end of the log, and
    it is the row PostgreSQL appenders lock to take turns.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class LeaseRow(Base):
    """A named lease held by one gateway at a time (the status reconciler's)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
