"""The audit log: one append-only, hash-chained row per action.

Each record's ``hash`` is the SHA-256 of its canonical JSON (every field but
``hash``, keys sorted, no spaces), and that JSON includes ``prev_hash``, the
previous record's hash (64 zeros for the first). Editing a row breaks its own
hash; deleting one breaks the next row's link; deleting rows at the end no
longer matches ``audit_head``, which every append updates in the same
transaction. Appends take turns: ``BEGIN IMMEDIATE`` on SQLite, a row lock on
``audit_head`` on PostgreSQL, so two gateways extend one chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from foyer.db.engine import Database
from foyer.db.models import AuditHeadRow, AuditRow, table_of
from foyer.db.pagination import Page, check_limit, decode_cursor, encode_cursor

GENESIS = "0" * 64
"""``prev_hash`` of the first record."""

ACTIONS = (
    "run.submitted",
    "run.refused",
    "run.approved",
    "run.rejected",
    "run.cancelled",
    "decision.refused",
    "key.created",
    "key.revoked",
    "key.refused",
    "user.created",
    "user.changed",
    "session.started",
    "schedule.paused",
    "schedule.unpaused",
    "schedule.triggered",
)

Outcome = Literal["ok", "refused"]


@dataclass(frozen=True)
class Actor:
    """Who acts, through which client, from where: the context of every audit record.

    Attributes:
        subject: The authenticated subject (``ada@example.com``), or for the CLI
            ``cli:<os user>@<host>``.
        client: The calling client (``http``, ``portal``, ``cli``…).
        source: The network address the request came from, or the CLI's host.
    """

    subject: str
    client: str = ""
    source: str = ""


class AuditRecord(BaseModel):
    """One audit record, as stored, exported and served by ``GET /api/audit``."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    client: str
    source: str
    outcome: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def canonical(self) -> bytes:
        """The bytes ``hash`` is computed over: the exported record without ``hash``,
        keys sorted, no spaces, UTF-8, so anyone can check an export."""
        body = self.model_dump(mode="json", exclude={"hash"})
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def computed_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    @classmethod
    def of(cls, row: AuditRow) -> AuditRecord:
        return cls(
            seq=row.seq,
            at=row.at,
            actor=row.actor,
            action=row.action,
            target=row.target,
            client=row.client,
            source=row.source,
            outcome=row.outcome,
            detail=row.detail,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: ``bad_seq`` is the first bad row, ``None`` when intact."""

    count: int
    bad_seq: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.bad_seq is None


class AuditFilter(BaseModel):
    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None


# Prepared Core statements, not ORM objects: every accepted run appends a record
# while it holds the database's write lock, so an append is kept short.
_HEAD = select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1).with_for_update()
_APPEND = insert(table_of(AuditRow))
_ADVANCE = update(table_of(AuditHeadRow)).where(AuditHeadRow.id == 1)


class AuditLog:
    """Appends to, reads and verifies the audit log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def append(
        self,
        session: Session,
        actor: Actor,
        action: str,
        target: str,
        *,
        outcome: Outcome = "ok",
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Add a record inside the caller's write transaction; it commits with their work."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        head_seq, head_hash = session.execute(_HEAD).one()
        record = AuditRecord(
            seq=head_seq + 1,
            at=datetime.now(UTC),
            actor=actor.subject[:320],
            action=action,
            target=target[:320],
            client=actor.client[:40],
            source=actor.source[:100],
            outcome=outcome,
            detail=detail or {},
            prev_hash=head_hash,
            hash="",
        )
        record.hash = record.computed_hash()
        session.execute(_APPEND, record.model_dump())
        session.execute(_ADVANCE, {"seq": record.seq, "hash": record.hash})
        return record

    def record_sync(
        self,
        actor: Actor,
        action: str,
        target: str,
        *,
        outcome: Outcome = "ok",
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Add a record in a transaction of its own (blocking)."""
        with self._db.write() as session:
            return self.append(session, actor, action, target, outcome=outcome, detail=detail)

    async def record(
        self,
        actor: Actor,
        action: str,
        target: str,
        *,
        outcome: Outcome = "ok",
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Add a record in a transaction of its own, without blocking the event loop.

        Args:
            actor: Who, through which client, from where.
            action: One of :data:`ACTIONS`, e.g. ``run.refused``.
            target: The run id, key id or user the action is about.
            outcome: ``ok``, or ``refused`` for a refusal (say why in ``detail``).
            detail: What else identifies the action (entry, reason…); JSON values.
        """
        return await self._db.call(
            self.record_sync, actor, action, target, outcome=outcome, detail=detail
        )

    def page(
        self, where: AuditFilter, cursor: str | None = None, limit: int = 50
    ) -> Page[AuditRecord]:
        """Newest first, ``limit`` records after ``cursor``."""
        limit = check_limit(limit)
        query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit + 1)
        if where.actor:
            query = query.where(AuditRow.actor == where.actor.lower())
        if where.action:
            query = query.where(AuditRow.action == where.action)
        if where.target:
            query = query.where(AuditRow.target == where.target)
        if where.since:
            query = query.where(AuditRow.at >= where.since)
        if where.until:
            query = query.where(AuditRow.at < where.until)
        if cursor:
            query = query.where(AuditRow.seq < int(decode_cursor(cursor, "seq")["seq"]))
        with self._db.read() as session:
            rows = list(session.scalars(query))
        items = [AuditRecord.of(row) for row in rows[:limit]]
        more = len(rows) > limit
        return Page(
            items=items, next_cursor=encode_cursor({"seq": items[-1].seq}) if more else None
        )

    def iterate(self, since: datetime | None = None, batch: int = 1000) -> Iterator[AuditRecord]:
        """Every record in chain order (oldest first), read in batches."""
        after = 0
        while True:
            query = select(AuditRow).where(AuditRow.seq > after).order_by(AuditRow.seq).limit(batch)
            if since is not None:
                query = query.where(AuditRow.at >= since)
            with self._db.read() as session:
                rows = [AuditRecord.of(row) for row in session.scalars(query)]
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].seq

    def verify(self) -> Verification:
        """Walk the chain from the first record and report the first one that is not intact."""
        expected, previous, count = 1, GENESIS, 0
        for record in self.iterate():
            if record.seq != expected:
                return Verification(count, expected, f"row {expected} is missing: it was deleted")
            if record.prev_hash != previous:
                return Verification(
                    count,
                    record.seq,
                    f"row {record.seq} does not link to row {record.seq - 1}: "
                    f"one of them was altered",
                )
            if record.computed_hash() != record.hash:
                return Verification(
                    count, record.seq, f"row {record.seq} was altered: its hash does not match"
                )
            expected, previous, count = expected + 1, record.hash, count + 1
        with self._db.read() as session:
            head = session.get(AuditHeadRow, 1)
        if head is None:
            return Verification(count, count + 1, "the chain head (audit_head) was deleted")
        if head.seq > count:
            return Verification(
                count,
                count + 1,
                f"row {count + 1} is missing: rows {count + 1}..{head.seq} were deleted "
                "from the end",
            )
        if head.seq != count or head.hash != previous:
            return Verification(
                count, count, f"row {count} is not the chain head recorded in audit_head"
            )
        return Verification(count)
