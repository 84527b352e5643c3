"""What listing runs costs as the ledger grows: 10,000 then 100,000 runs, SQLite and PostgreSQL.

For each database the ledger is filled with synthetic runs (20 requesters,
two workflows, mostly final statuses, one in 50 live: at least a full page of
each filter at every size), then each list is timed:

- first page: ``GET /api/runs?limit=50`` as the ledger query;
- deep page: the page after a cursor half-way through the ledger;
- requester: one requester's runs (``requester=me``);
- status: a rare status (``status=running``);
- inbox: an approver's ``GET /api/approvals`` (scans only runs awaiting approval);
- http: ``GET /api/runs?limit=50`` through the gateway app (FastAPI, API key
  check, JSON), in-process.

Pages are keyset-paginated on (created_at, id) over indexes that start with
the filtered column, so each should cost the same at 10,000 and 100,000 runs;
the last column is that ratio. PostgreSQL is started from ``pgserver``.

    .venv/bin/python bench/ledger.py [--sizes 10000,100000] [--repeat 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, insert

from foyer.catalog import Catalog
from foyer.contracts import Identity
from foyer.db import Actor, Database, RunQuery, Stores, upgrade
from foyer.db.ledger import cursor_of
from foyer.db.models import RunRow
from foyer.gateway import create_app
from foyer.runs import Caller
from foyer.runs.queries import RunQueries
from foyer.settings import Settings
from foyer.signing import generate_key_pair, generate_secret

REPO = Path(__file__).resolve().parents[1]
INDEX_USED = re.compile(r"Index (?:Only )?Scan(?: Backward)? (?:using|on) (\S+)")
WORKFLOWS = ("delete-dynamodb-table", "resize-rds")
STATUSES = ["succeeded"] * 80 + ["failed"] * 10 + ["rejected"] * 5 + ["cancelled"] * 3
LIVE = ["pending", "awaiting_approval", "running"]
GRACE = Caller(Identity(subject="grace@example.com", groups=["engineering", "cloud-ops"]))


def fill(db: Database, start: int, stop: int) -> None:
    """Insert runs ``start``..``stop`` straight into the ledger table."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(start, stop):
        status = LIVE[n % 3] if n % 50 == 0 else STATUSES[n % len(STATUSES)]
        created = base + timedelta(seconds=37 * n)
        rows.append(
            {
                "id": f"run-{n:020d}",
                "execution_run_id": f"exec-{n}",
                "entry_id": WORKFLOWS[n % 2],
                "title": "Delete a DynamoDB table",
                "environment": "prod",
                "namespace": "cloud-ops",
                "requester": f"user{n % 20}@example.com",
                "requester_name": f"User {n % 20}",
                "client": "bench",
                "request_digest": "0" * 64,
                "inputs": {"table_name": f"table-{n}", "reason": "bench"},
                "status": status,
                "message": "",
                "plan": {"item_count": n % 7} if status == "awaiting_approval" else None,
                "deciders": [],
                "created_at": created,
                "closed_at": None if status in LIVE else created + timedelta(seconds=30),
                "updated_at": created,
            }
        )
    with db.write() as session:
        for chunk in range(0, len(rows), 1000):
            session.execute(insert(RunRow), rows[chunk : chunk + 1000])
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE runs" if db.is_postgresql else "ANALYZE")


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, float]:
    for _ in range(5):
        action()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def explained(db: Database, action: Callable[[], Any]) -> str:
    """What the database itself does for the last query ``action`` sends.

    PostgreSQL: execution time and buffers touched (``EXPLAIN (ANALYZE, BUFFERS)``);
    SQLite: the plan, which must search an index and never sort.
    """
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, sql: str, parameters: Any, *rest: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    sql, parameters = seen[-1]
    with db.engine.connect() as connection:
        if db.is_postgresql:
            lines = [
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + sql, parameters
                )
            ]
            took = next(line for line in lines if line.startswith("Execution Time"))
            buffers = next(line for line in lines if "Buffers:" in line).split("hit=")[1]
            indexes = [found for line in lines for found in INDEX_USED.findall(line)]
            sort = "sort, " if any("Sort" in line for line in lines) else ""
            name = " + ".join(dict.fromkeys(indexes)) or "no index"
            return f"{sort}{name}, {took.split(': ')[1]}, {buffers.split()[0]} buffers"
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)
        return "; ".join(str(row[-1]) for row in rows)


def app_settings(state: Path, url: str) -> Settings:
    keys = state / "keys"
    if not keys.exists():
        generate_key_pair(keys / "signing.pem", keys / "public.pem")
        generate_secret(keys / "secret")
    return Settings(
        state_dir=state,
        database_url=url,
        catalog_dir=REPO / "examples" / "catalog",
        signing_key_file=keys / "signing.pem",
        gateway_public_key_file=keys / "public.pem",
        secret_key_file=keys / "secret",
        temporal_address="127.0.0.1:1",  # listing never asks Temporal
        reconcile_interval=3600,
    )


def measure(kind: str, url: str, sizes: list[int], repeat: int, state: Path) -> list[list[str]]:
    database = Database(url)
    upgrade(database)
    database.dispose()
    stores = Stores.open(url)
    admin = Actor("bench", "bench", "localhost")
    stores.directory.add_user("user0@example.com", admin, groups=["engineering"])
    key = stores.directory.create_key("user0@example.com", "bench", admin).key
    queries = RunQueries(Catalog.load(REPO / "examples" / "catalog"), stores)
    ledger = stores.ledger
    rows: list[list[str]] = []
    filled = 0
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        fill(stores.db, filled, size)
        filled = size
        halfway = ledger.get(f"run-{size // 2:020d}")
        assert halfway is not None
        middle = cursor_of(halfway)
        loop = asyncio.new_event_loop()
        with TestClient(create_app(app_settings(state, url))) as http:
            headers = {"Authorization": f"Bearer {key}"}
            cases: dict[str, Callable[[], Any]] = {
                "first page": lambda: ledger.page(RunQuery(), None, 50),
                "deep page": lambda middle=middle: ledger.page(RunQuery(), middle, 50),
                "requester": lambda: ledger.page(RunQuery(requester="user7@example.com"), None, 50),
                "status": lambda: ledger.page(RunQuery(statuses=["running"]), None, 50),
                "inbox": lambda loop=loop: loop.run_until_complete(queries.inbox(GRACE, None, 50)),
                "http": lambda http=http, headers=headers: http.get(
                    "/api/runs?limit=50", headers=headers
                ),
            }
            results[size] = {}
            for name, action in cases.items():
                p50, p95 = timed(action, repeat)
                results[size][name] = p50
                plan = "" if name == "http" else explained(stores.db, action)
                rows.append([kind, f"{size:,}", name, f"{p50:.2f}", f"{p95:.2f}", plan])
        loop.close()
    stores.close()
    first, last = sizes[0], sizes[-1]
    for row in rows:
        ratio = results[last][row[2]] / results[first][row[2]] if row[1] == f"{last:,}" else None
        row.insert(5, f"{ratio:.2f}" if ratio else "")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    logging.getLogger("foyer").setLevel(logging.ERROR)  # listing never needs Temporal
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="foyer-bench-ledger-"))
    rows: list[list[str]] = []
    import pgserver

    server = pgserver.get_server(work / "postgres", cleanup_mode="stop")
    try:
        rows += measure("sqlite", f"sqlite:///{work / 'foyer.db'}", sizes, args.repeat, work)
        server.psql("CREATE DATABASE bench;")
        rows += measure("postgresql", server.get_uri("bench"), sizes, args.repeat, work)
    finally:
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    ratio = f"{sizes[-1]:,} / {sizes[0]:,}"
    print(f"Python {platform.python_version()}, {platform.machine()}, {args.repeat} timed calls")
    print()
    print(
        f"| database | runs | list | p50 (ms) | p95 (ms) | p50 {ratio} | what the database does |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"took {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
