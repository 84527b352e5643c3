from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from foyer.db import Actor, AuditFilter, NewRun, Observation, RunQuery, Stores
from foyer.errors import Invalid

ADA = Actor("ada@example.com", "cli", "10.0.0.7")
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def new_run(number: int, **changes: Any) -> NewRun:
    fields: dict[str, Any] = {
        "id": f"run-{number:04d}",
        "execution_run_id": f"exec-{number}",
        "workflow": "delete-dynamodb-table",
        "title": "Delete a DynamoDB table",
        "environment": "prod",
        "namespace": "cloud-ops",
        "requester": "ada@example.com",
        "requester_name": "Ada Lovelace",
        "client": "cli",
        "request_digest": "d" * 64,
        "inputs": {"table_name": f"t{number}"},
        "created_at": T0 + timedelta(seconds=number),
    }
    return NewRun(**(fields | changes))


def ids(page: Any) -> list[str]:
    return [run.id for run in page.items]


def test_a_run_is_recorded_with_its_execution_and_audited(stores: Stores) -> None:
    run, created = stores.ledger.add(new_run(1), ADA)

    assert created
    assert stores.ledger.get("run-0001") == run
    assert (run.execution_run_id, run.status, run.created_at) == (
        "exec-1",
        "pending",
        T0 + timedelta(seconds=1),
    )
    audit = stores.audit.page(AuditFilter()).items
    assert [(r.actor, r.action, r.target, r.client, r.source) for r in audit] == [
        ("ada@example.com", "run.submitted", "run-0001", "cli", "10.0.0.7")
    ]
    assert audit[0].detail == {
        "workflow": "delete-dynamodb-table", "environment": "prod",
        "digest": "d" * 64, "execution": "exec-1",
    }  # fmt: skip


def test_recording_a_run_again_returns_the_first_record(stores: Stores) -> None:
    first, _ = stores.ledger.add(new_run(1), ADA)

    again, created = stores.ledger.add(new_run(1, execution_run_id="other"), ADA)

    assert (again, created) == (first, False)
    assert len(stores.audit.page(AuditFilter()).items) == 1


def test_pages_run_newest_first_and_cursors_continue_across_equal_times(stores: Stores) -> None:
    for number in range(7):
        stores.ledger.add(new_run(number, created_at=T0 + timedelta(seconds=number // 2)), ADA)

    first = stores.ledger.page(RunQuery(), limit=3)
    second = stores.ledger.page(RunQuery(), first.next_cursor, limit=3)
    third = stores.ledger.page(RunQuery(), second.next_cursor, limit=3)

    assert ids(first) == ["run-0006", "run-0005", "run-0004"]
    assert ids(second) == ["run-0003", "run-0002", "run-0001"]
    assert (ids(third), third.next_cursor) == (["run-0000"], None)


def test_filters_combine(stores: Stores) -> None:
    stores.ledger.add(new_run(1), ADA)
    stores.ledger.add(new_run(2, requester="grace@example.com"), ADA)
    stores.ledger.add(new_run(3, workflow="resize-rds", environment="stage"), ADA)
    stores.ledger.add(new_run(4, namespace="data"), ADA)
    stores.ledger.observe("run-0001", Observation(status="succeeded"))
    stores.ledger.observe("run-0004", Observation(status="awaiting_approval"))

    def found(**query: Any) -> list[str]:
        return ids(stores.ledger.page(RunQuery(**query)))

    assert found(requester="GRACE@example.com") == ["run-0002"]
    assert found(workflow="resize-rds") == ["run-0003"]
    assert found(environment="stage") == ["run-0003"]
    assert found(namespace="data") == ["run-0004"]
    assert found(statuses=["succeeded", "awaiting_approval"]) == ["run-0004", "run-0001"]
    assert found(statuses=["pending"], requester="ada@example.com") == ["run-0003"]
    assert found(created_after=T0 + timedelta(seconds=2)) == ["run-0004", "run-0003", "run-0002"]
    assert found(created_before=T0 + timedelta(seconds=2)) == ["run-0001"]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.ledger.page(RunQuery(statuses=["done"])), "status"),
        (lambda s: s.ledger.page(RunQuery(), cursor="nonsense"), "cursor"),
        (lambda s: s.ledger.page(RunQuery(), limit=201), "limit"),
        (lambda s: s.ledger.page(RunQuery(), limit=0), "limit"),
    ],
)
def test_bad_list_requests_name_the_field(stores: Stores, call: Any, field: str) -> None:
    with pytest.raises(Invalid) as raised:
        call(stores)
    assert raised.value.field == field


def test_observations_update_live_runs_and_a_final_status_sticks(stores: Stores) -> None:
    stores.ledger.add(new_run(1), ADA)

    waiting = stores.ledger.observe(
        "run-0001", Observation(status="awaiting_approval", message="Waiting", plan={"n": 3})
    )
    decided = stores.ledger.observe(
        "run-0001", Observation(status="running", deciders=["Grace@example.com"])
    )
    closed_at = T0 + timedelta(minutes=1)
    final = stores.ledger.observe("run-0001", Observation(status="succeeded", closed_at=closed_at))
    stale = stores.ledger.observe("run-0001", Observation(status="running"))

    assert waiting is not None and (waiting.status, waiting.plan) == ("awaiting_approval", {"n": 3})
    assert decided is not None and (decided.plan, decided.deciders) == (
        {"n": 3},
        ["grace@example.com"],
    )
    assert final is not None and (final.status, final.closed_at) == ("succeeded", closed_at)
    assert stale == stores.ledger.get("run-0001")
    assert stale is not None and stale.status == "succeeded"
    assert stores.ledger.observe("run-none", Observation(status="running")) is None


def test_live_runs_and_runs_awaiting_approval(stores: Stores) -> None:
    for number in range(1, 5):
        stores.ledger.add(new_run(number), ADA)
    stores.ledger.add(new_run(5, workflow="other"), ADA)
    stores.ledger.observe("run-0001", Observation(status="failed"))
    for run_id in ("run-0002", "run-0004", "run-0005"):
        stores.ledger.observe(run_id, Observation(status="awaiting_approval"))

    first = stores.ledger.live(batch=3)
    assert ids(first) == ["run-0002", "run-0003", "run-0004"]
    assert ids(stores.ledger.live(first.next_cursor, batch=3)) == ["run-0005"]
    assert ids(stores.ledger.awaiting({"delete-dynamodb-table"})) == ["run-0002", "run-0004"]
    first = stores.ledger.awaiting({"delete-dynamodb-table", "other"}, batch=2)
    rest = stores.ledger.awaiting({"delete-dynamodb-table", "other"}, first.next_cursor, batch=2)
    assert (ids(first), ids(rest)) == (["run-0002", "run-0004"], ["run-0005"])
    assert ids(stores.ledger.awaiting(set())) == []


def test_a_lease_has_one_holder_until_it_expires(stores: Stores) -> None:
    assert stores.ledger.hold_lease("reconciler", "gw-a", timedelta(seconds=30))
    assert not stores.ledger.hold_lease("reconciler", "gw-b", timedelta(seconds=30))
    assert stores.ledger.hold_lease("reconciler", "gw-a", timedelta(seconds=-1))

    assert stores.ledger.hold_lease("reconciler", "gw-b", timedelta(seconds=30))
    assert not stores.ledger.hold_lease("reconciler", "gw-a", timedelta(seconds=30))


@contextmanager
def statements(stores: Stores) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, sql: str, parameters: Any, *rest: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, parameters))

    event.listen(stores.db.engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(stores.db.engine, "before_cursor_execute", capture)


def query_plan(stores: Stores, sql: str, parameters: Any) -> str:
    with stores.db.engine.connect() as connection:
        if stores.db.is_postgresql:
            # With a handful of rows a sequential scan is cheapest; ask whether the
            # index can serve the page at all, as it will once there are many runs.
            for setting in ("seqscan", "bitmapscan", "sort"):
                connection.exec_driver_sql(f"SET enable_{setting} = off")
            rows = connection.exec_driver_sql("EXPLAIN " + sql, parameters)
            return "\n".join(row[0] for row in rows)
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)
        return "\n".join(row[-1] for row in rows)


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (RunQuery(), "ix_runs_created"),
        (RunQuery(requester="ada@example.com"), "ix_runs_requester_created"),
        (RunQuery(workflow="delete-dynamodb-table"), "ix_runs_entry_created"),
        (RunQuery(statuses=["running"]), "ix_runs_status_created"),
    ],
)
def test_a_page_is_one_index_range_scan_without_sorting(
    stores: Stores, query: RunQuery, index: str
) -> None:
    for number in range(3):
        stores.ledger.add(new_run(number), ADA)
    cursor = stores.ledger.page(RunQuery(), limit=1).next_cursor

    with statements(stores) as seen:
        stores.ledger.page(query, cursor, limit=50)
    plan = query_plan(stores, *seen[-1])

    assert index in plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan
