from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DatabaseError as SQLError

from foyer.db import Actor, AuditFilter, Stores
from foyer.db.audit import GENESIS, AuditRecord
from tests.databases import Databases
from tests.db.conftest import ADMIN

ADA = Actor("ada@example.com", "portal", "10.0.0.7")


def fill(stores: Stores, count: int) -> list[AuditRecord]:
    return [
        stores.audit.record_sync(ADA, "run.submitted", f"run-{i}", detail={"workflow": "w"})
        for i in range(count)
    ]


def tamper(stores: Stores, *statements: str) -> None:
    """Change audit rows behind Foyer's back, as someone with the owner's rights could."""
    with stores.db.engine.begin() as connection:
        if stores.db.is_postgresql:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
        for statement in statements:
            connection.execute(text(statement))


def test_records_chain_from_the_genesis_hash(stores: Stores) -> None:
    first, second = fill(stores, 2)

    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert first.computed_hash() == first.hash
    assert stores.audit.verify().intact
    assert stores.audit.verify().count == 2


async def test_async_record_returns_the_stored_record(stores: Stores) -> None:
    record = await stores.audit.record(
        ADA, "run.refused", "delete-table", outcome="refused", detail={"reason": "403"}
    )

    stored = stores.audit.page(AuditFilter()).items
    assert stored == [record]
    assert record.model_dump().keys() == {
        "seq", "at", "actor", "action", "target", "client", "source",
        "outcome", "detail", "prev_hash", "hash",
    }  # fmt: skip


def test_an_edited_row_is_named(stores: Stores) -> None:
    fill(stores, 5)
    tamper(stores, "UPDATE audit_log SET actor = 'mallory@example.com' WHERE seq = 3")

    result = stores.audit.verify()

    assert (result.bad_seq, result.problem) == (3, "row 3 was altered: its hash does not match")


def test_an_edited_row_with_a_recomputed_hash_breaks_the_next_link(stores: Stores) -> None:
    fill(stores, 4)
    forged = stores.audit.page(AuditFilter(target="run-1")).items[0]
    forged.actor = "mallory@example.com"
    tamper(
        stores,
        f"UPDATE audit_log SET actor = 'mallory@example.com', hash = '{forged.computed_hash()}' "
        "WHERE seq = 2",
    )

    result = stores.audit.verify()

    assert result.bad_seq == 3
    assert result.problem == "row 3 does not link to row 2: one of them was altered"


def test_a_deleted_row_is_named(stores: Stores) -> None:
    fill(stores, 5)
    tamper(stores, "DELETE FROM audit_log WHERE seq = 2")

    result = stores.audit.verify()

    assert (result.bad_seq, result.problem) == (2, "row 2 is missing: it was deleted")


def test_rows_deleted_from_the_end_are_named(stores: Stores) -> None:
    fill(stores, 5)
    tamper(stores, "DELETE FROM audit_log WHERE seq >= 4")

    result = stores.audit.verify()

    assert result.bad_seq == 4
    assert result.problem == "row 4 is missing: rows 4..5 were deleted from the end"


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET outcome = 'refused'", "DELETE FROM audit_log"]
)
def test_the_database_refuses_to_change_audit_rows(stores: Stores, statement: str) -> None:
    fill(stores, 2)

    with pytest.raises(SQLError, match="audit_log is append-only"), stores.db.engine.begin() as c:
        c.execute(text(statement))

    assert stores.audit.verify().count == 2


@pytest.fixture
def app_role_url(databases: Databases) -> Iterator[str]:
    """A PostgreSQL database whose schema the superuser owns, and a plain application role."""
    url = databases.fresh("postgresql")
    name = make_url(url).database
    assert name is not None
    databases.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'foyer_app') "
        "THEN CREATE ROLE foyer_app LOGIN; END IF; END $$"
    )
    databases.execute(
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO foyer_app", name
    )
    yield make_url(url).set(username="foyer_app", password=None).render_as_string(False)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET outcome = 'refused'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    ],
)
def test_on_postgresql_the_application_role_cannot_change_audit_rows(
    app_role_url: str, statement: str
) -> None:
    stores = Stores.open(app_role_url)
    try:
        fill(stores, 2)
        with psycopg.connect(
            stores.db.url.set(drivername="postgresql").render_as_string(False)
        ) as c:
            assert c.execute("SELECT current_user").fetchone() == ("foyer_app",)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)  # type: ignore[arg-type]
        assert stores.audit.verify().intact
    finally:
        stores.close()


def test_concurrent_appends_from_two_processes_keep_one_chain(database_url: str) -> None:
    gateways = [Stores.open(database_url), Stores.open(database_url)]
    errors: list[BaseException] = []

    def append(stores: Stores, who: str) -> None:
        try:
            for i in range(15):
                stores.audit.record_sync(Actor(who), "session.started", f"{who}-{i}")
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [
        threading.Thread(target=append, args=(stores, f"gw{n}"))
        for n, stores in enumerate(gateways * 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = gateways[0].audit.verify()
    assert (result.intact, result.count) == (True, 60)
    for stores in gateways:
        stores.close()


def test_page_filters_newest_first_with_a_cursor(stores: Stores) -> None:
    for i in range(5):
        stores.audit.record_sync(ADA, "run.submitted", f"run-{i}")
        stores.audit.record_sync(ADMIN, "key.created", f"key-{i}")

    first = stores.audit.page(AuditFilter(action="run.submitted"), limit=3)
    second = stores.audit.page(AuditFilter(action="run.submitted"), first.next_cursor, limit=3)

    assert [r.target for r in first.items] == ["run-4", "run-3", "run-2"]
    assert [r.target for r in second.items] == ["run-1", "run-0"]
    assert second.next_cursor is None
    by_actor = stores.audit.page(AuditFilter(actor="ADA@example.com", target="run-3"))
    assert [(r.actor, r.target) for r in by_actor.items] == [("ada@example.com", "run-3")]
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert stores.audit.page(AuditFilter(since=later)).items == []
    assert len(stores.audit.page(AuditFilter(until=later)).items) == 10


def test_an_export_can_be_checked_without_foyer(stores: Stores) -> None:
    fill(stores, 3)
    stores.audit.record_sync(ADA, "user.changed", "zoë@example.com", detail={"name": "Zoë"})

    previous = GENESIS
    for line in (record.model_dump_json() for record in stores.audit.iterate()):
        exported = json.loads(line)
        body = {key: value for key, value in exported.items() if key != "hash"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert exported["prev_hash"] == previous
        assert hashlib.sha256(canonical.encode()).hexdigest() == exported["hash"]
        previous = exported["hash"]
