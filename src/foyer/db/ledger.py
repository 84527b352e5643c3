"""The run ledger: the gateway's own record of every run it accepted.

A run is written here before the gateway answers 201, with the id of the one
router execution the gateway started; the gateway reads runs only through
this record, so nothing else written into the gateway namespace can pose as a
run. Status, message, plan and deciders are a cache of what Temporal says,
refreshed by the gateway's own actions and by the reconciler.

Lists are keyset-paginated on ``(created_at, id)``: a page is one range scan
of an index that starts with the filtered column (or with ``created_at``),
so its cost does not grow with the number of runs.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Select, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from foyer.db.audit import Actor, AuditLog
from foyer.db.engine import Database
from foyer.db.models import LeaseRow, RunRow, table_of
from foyer.db.pagination import Page, check_limit, decode_cursor, encode_cursor
from foyer.errors import Invalid

LIVE_STATUSES = ("pending", "awaiting_approval", "running")
FINAL_STATUSES = ("succeeded", "failed", "rejected", "cancelled")
STATUSES = (*LIVE_STATUSES, *FINAL_STATUSES)


class NewRun(BaseModel):
    """What the gateway records when it accepts a run."""

    id: str
    execution_run_id: str
    workflow: str
    title: str = ""
    environment: str
    namespace: str
    requester: str
    requester_name: str = ""
    client: str = ""
    request_digest: str
    inputs: dict[str, Any]
    created_at: datetime


class LedgerRun(NewRun):
    """A run as the ledger knows it."""

    status: str = "pending"
    message: str = ""
    plan: Any = None
    deciders: list[str] = Field(default_factory=list)
    closed_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, row: RunRow) -> LedgerRun:
        return cls(
            id=row.id,
            execution_run_id=row.execution_run_id,
            workflow=row.entry_id,
            title=row.title,
            environment=row.environment,
            namespace=row.namespace,
            requester=row.requester,
            requester_name=row.requester_name,
            client=row.client,
            request_digest=row.request_digest,
            inputs=row.inputs,
            created_at=row.created_at,
            status=row.status,
            message=row.message,
            plan=row.plan,
            deciders=list(row.deciders),
            closed_at=row.closed_at,
            updated_at=row.updated_at,
        )

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES


_INSERT_RUN = insert(table_of(RunRow))


def _row_of(run: LedgerRun) -> dict[str, Any]:
    """The ``runs`` row of a run, by column: the fields, with the workflow as ``entry_id``."""
    columns = run.model_dump()
    columns["entry_id"] = columns.pop("workflow")
    return columns


class Observation(BaseModel):
    """What Temporal says about a run right now."""

    status: str
    message: str = ""
    plan: Any = None
    deciders: list[str] | None = None
    """Subjects whose decisions were accepted; ``None`` leaves the recorded ones."""
    closed_at: datetime | None = None


class RunQuery(BaseModel):
    """Filters of ``GET /api/runs``; every given filter must match."""

    workflow: str | None = None
    requester: str | None = None
    statuses: list[str] = Field(default_factory=list)
    environment: str | None = None
    namespace: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


class Ledger:
    """Reads and writes the run ledger."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def add(self, run: NewRun, actor: Actor) -> tuple[LedgerRun, bool]:
        """Record an accepted run and audit ``run.submitted``, in one transaction.

        Returns:
            The recorded run and ``True``, or, when a run with this id is already
            recorded (a retry with the same idempotency key, possibly through
            another gateway), that run and ``False``.
        """
        recorded = LedgerRun(**run.model_dump(), updated_at=datetime.now(UTC))
        recorded.requester = run.requester.lower()
        try:
            with self._db.write() as session:
                session.execute(_INSERT_RUN, _row_of(recorded))
                self._audit.append(
                    session,
                    actor,
                    "run.submitted",
                    run.id,
                    detail={
                        "workflow": run.workflow,
                        "environment": run.environment,
                        "digest": run.request_digest,
                        "execution": run.execution_run_id,
                    },
                )
                return recorded, True
        except IntegrityError:
            existing = self.get(run.id)
            if existing is None:
                raise
            return existing, False

    def get(self, run_id: str) -> LedgerRun | None:
        with self._db.read() as session:
            row = session.get(RunRow, run_id)
            return None if row is None else LedgerRun.of(row)

    def page(self, query: RunQuery, cursor: str | None = None, limit: int = 50) -> Page[LedgerRun]:
        """Newest first: ``limit`` runs matching ``query`` after ``cursor``."""
        limit = check_limit(limit)
        unknown = [status for status in query.statuses if status not in STATUSES]
        if unknown:
            raise Invalid([("status", f"`{unknown[0]}` is not one of {', '.join(STATUSES)}")])
        statement = _filtered(select(RunRow), query)
        if cursor:
            created_at, run_id = _position(cursor)
            statement = statement.where(tuple_(RunRow.created_at, RunRow.id) < (created_at, run_id))
        statement = statement.order_by(RunRow.created_at.desc(), RunRow.id.desc()).limit(limit + 1)
        with self._db.read() as session:
            rows = [LedgerRun.of(row) for row in session.scalars(statement)]
        return _page(rows, limit)

    def awaiting(
        self, workflows: Collection[str], cursor: str | None = None, batch: int = 200
    ) -> Page[LedgerRun]:
        """Oldest first: runs awaiting approval of the given workflows, ``batch`` at a time."""
        if not workflows:
            return Page(items=[])
        statement = select(RunRow).where(
            RunRow.status == "awaiting_approval", RunRow.entry_id.in_(sorted(workflows))
        )
        if cursor:
            created_at, run_id = _position(cursor)
            statement = statement.where(tuple_(RunRow.created_at, RunRow.id) > (created_at, run_id))
        statement = statement.order_by(RunRow.created_at, RunRow.id).limit(batch + 1)
        with self._db.read() as session:
            rows = [LedgerRun.of(row) for row in session.scalars(statement)]
        return _page(rows, batch)

    def live(self, cursor: str | None = None, batch: int = 500) -> Page[LedgerRun]:
        """Runs not yet final, oldest first, ``batch`` at a time (the reconciler's work list)."""
        statement = select(RunRow).where(RunRow.status.in_(LIVE_STATUSES))
        if cursor:
            created_at, run_id = _position(cursor)
            statement = statement.where(tuple_(RunRow.created_at, RunRow.id) > (created_at, run_id))
        statement = statement.order_by(RunRow.created_at, RunRow.id).limit(batch + 1)
        with self._db.read() as session:
            rows = [LedgerRun.of(row) for row in session.scalars(statement)]
        return _page(rows, batch)

    def observe(self, run_id: str, seen: Observation) -> LedgerRun | None:
        """Save what Temporal says about a run; a final status is never changed again.

        Returns:
            The run as now recorded, or ``None`` when it is not in the ledger.
        """
        now = datetime.now(UTC)
        with self._db.write() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                return None
            if row.status not in FINAL_STATUSES:
                row.status = seen.status
                row.message = seen.message
                if seen.plan is not None:
                    row.plan = seen.plan
                if seen.deciders is not None:
                    row.deciders = sorted({*row.deciders, *(d.lower() for d in seen.deciders)})
                if seen.status in FINAL_STATUSES:
                    row.closed_at = seen.closed_at or now
            row.updated_at = now
            return LedgerRun.of(row)

    def add_decider(self, run_id: str, subject: str) -> None:
        """Note a decision the team side accepted, so the decider's inbox drops the run at once."""
        with self._db.write() as session:
            row = session.get(RunRow, run_id)
            if row is not None and subject.lower() not in row.deciders:
                row.deciders = sorted({*row.deciders, subject.lower()})

    def hold_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew the lease ``name`` for ``holder``; ``False`` while another holds it."""
        now = datetime.now(UTC)
        try:
            with self._db.write() as session:
                taken = session.execute(
                    update(LeaseRow)
                    .where(
                        LeaseRow.name == name,
                        (LeaseRow.holder == holder) | (LeaseRow.expires_at < now),
                    )
                    .values(holder=holder, expires_at=now + ttl)
                )
                if taken.rowcount:  # type: ignore[attr-defined]
                    return True
                if session.get(LeaseRow, name) is not None:
                    return False
                session.add(LeaseRow(name=name, holder=holder, expires_at=now + ttl))
            return True
        except IntegrityError:
            return False

    def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up, so another gateway takes it at its next tick."""
        with self._db.write() as session:
            lease = session.get(LeaseRow, name)
            if lease is not None and lease.holder == holder:
                lease.expires_at = datetime.now(UTC) - timedelta(seconds=1)


def _filtered(statement: Select[Any], query: RunQuery) -> Select[Any]:
    if query.workflow:
        statement = statement.where(RunRow.entry_id == query.workflow)
    if query.requester:
        statement = statement.where(RunRow.requester == query.requester.lower())
    if query.statuses:
        statement = statement.where(RunRow.status.in_(query.statuses))
    if query.environment:
        statement = statement.where(RunRow.environment == query.environment)
    if query.namespace:
        statement = statement.where(RunRow.namespace == query.namespace)
    if query.created_after:
        statement = statement.where(RunRow.created_at >= query.created_after)
    if query.created_before:
        statement = statement.where(RunRow.created_at < query.created_before)
    return statement


def _position(cursor: str) -> tuple[datetime, str]:
    position = decode_cursor(cursor, "t", "id")
    try:
        created_at = datetime.fromisoformat(str(position["t"]))
    except ValueError as err:
        raise Invalid([("cursor", "is not a cursor this API returned")]) from err
    return created_at.astimezone(UTC), str(position["id"])


def cursor_of(run: LedgerRun) -> str:
    """The cursor of the position right after ``run`` in a list ordered by (created_at, id)."""
    return encode_cursor({"t": run.created_at.isoformat(), "id": run.id})


def _page(rows: list[LedgerRun], limit: int) -> Page[LedgerRun]:
    items = rows[:limit]
    if len(rows) <= limit:
        return Page(items=items)
    return Page(items=items, next_cursor=cursor_of(items[-1]))
