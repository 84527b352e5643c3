"""Keeps the ledger's status of live runs about a second behind Temporal while they change.

One gateway (the holder of a lease in the database, so several gateways do the
work once) wakes every half ``interval`` and reads again, from its pinned router
execution, each live run whose state the ledger has not learnt for a period,
saving what changed. A run's state is known from the last time this reconciler
read it or any gateway wrote it (a submit, a read, a decision, a cancellation
write what they see, at once), so a run the gateway just wrote is not read
again straight away. The period is ``interval`` while a run changes; once its
record has stayed the same for ``q`` seconds it is ``q / 10``, and at most
``QUIET_CAP`` intervals: a run waiting an hour for approval is read every 10 s,
not every second. The cost grows with the number of live runs, never with the
number of runs recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from foyer.db import LedgerRun
from foyer.runs.service import RunService

log = logging.getLogger("foyer.runs")

LEASE = "reconciler"
CONCURRENCY = 16
BATCH = 500
QUIET_FRACTION = 10
"""A run whose record has not changed for ``q`` seconds is read every ``q / 10`` seconds."""
QUIET_CAP = 10
"""Every live run is read at least once in this many intervals."""


class Reconciler:
    """Refreshes live runs while this gateway holds the reconciler's lease."""

    def __init__(
        self,
        service: RunService,
        interval: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._service = service
        self._interval = interval
        self._clock = clock
        self._lease = timedelta(seconds=max(3.0, 3 * interval))
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._failing = False
        # Run id -> when this reconciler last read the run.
        self._read_at: dict[str, datetime] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until ``stop`` is set; then hand the lease over at once."""
        while not stop.is_set():
            try:
                await self.tick()
                if self._failing:
                    log.info("reconciler: refreshing runs again")
                self._failing = False
            except Exception as err:
                if not self._failing:
                    log.warning("reconciler: cannot refresh runs: %s", err)
                self._failing = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._interval / 2)
        await self._release()

    async def tick(self) -> int:
        """Refresh the live runs that are due, if this gateway holds the lease; return how many."""
        stores = self._service.records.stores
        held = await stores.db.call(stores.ledger.hold_lease, LEASE, self.holder, self._lease)
        if not held:
            self._read_at.clear()
            return 0
        limit = asyncio.Semaphore(CONCURRENCY)
        read_at: dict[str, datetime] = {}

        async def refresh(recorded: LedgerRun) -> bool:
            async with limit:
                started = self._clock()
                try:
                    await self._service.refresh(recorded)
                except Exception as err:
                    log.debug("reconciler: %s not refreshed: %s", recorded.id, err)
                    return False
            read_at[recorded.id] = started
            return True

        count, cursor = 0, None
        while True:
            page = await stores.db.call(stores.ledger.live, cursor, BATCH)
            now = self._clock()
            due = []
            for recorded in page.items:
                if self.due(recorded, now):
                    due.append(recorded)
                elif recorded.id in self._read_at:
                    read_at[recorded.id] = self._read_at[recorded.id]
            count += sum(await asyncio.gather(*(refresh(run) for run in due)))
            if page.next_cursor is None:
                # Runs that became final drop out here.
                self._read_at = read_at
                return count
            cursor = page.next_cursor

    def due(self, recorded: LedgerRun, now: datetime) -> bool:
        """Whether the ledger's state of a live run is older than the run's period."""
        changed = recorded.updated_at or recorded.created_at
        read = self._read_at.get(recorded.id)
        known = max(changed, read) if read is not None else changed
        quiet = (now - changed).total_seconds()
        period = min(max(self._interval, quiet / QUIET_FRACTION), QUIET_CAP * self._interval)
        return (now - known).total_seconds() >= period

    async def _release(self) -> None:
        stores = self._service.records.stores
        try:
            await stores.db.call(stores.ledger.release_lease, LEASE, self.holder)
        except Exception as err:
            log.debug("reconciler: lease not released: %s", err)
