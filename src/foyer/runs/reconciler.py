"""Keeps the ledger's status of live runs at most a couple of seconds behind Temporal.

Every ``interval`` seconds one gateway (the holder of a lease in the database,
so several gateways do the work once) reads each run that is not final yet
from its pinned router execution and saves what changed. Its cost grows with
the number of live runs, never with the number of runs recorded. The
gateway's own actions (submit, read, decide, cancel) also write what they
see, at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from datetime import timedelta

from foyer.db import LedgerRun
from foyer.runs.service import RunService

log = logging.getLogger("foyer.runs")

LEASE = "reconciler"
CONCURRENCY = 16
BATCH = 500


class Reconciler:
    """Refreshes live runs while this gateway holds the reconciler's lease."""

    def __init__(self, service: RunService, interval: float = 1.0) -> None:
        self._service = service
        self._interval = interval
        self._lease = timedelta(seconds=max(3.0, 3 * interval))
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._failing = False

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
                await asyncio.wait_for(stop.wait(), self._interval)
        await self._release()

    async def tick(self) -> int:
        """Refresh every live run once, if this gateway holds the lease; return how many."""
        stores = self._service.records.stores
        held = await stores.db.call(stores.ledger.hold_lease, LEASE, self.holder, self._lease)
        if not held:
            return 0
        limit = asyncio.Semaphore(CONCURRENCY)

        async def refresh(recorded: LedgerRun) -> None:
            async with limit:
                try:
                    await self._service.refresh(recorded)
                except Exception as err:
                    log.debug("reconciler: %s not refreshed: %s", recorded.id, err)

        count, cursor = 0, None
        while True:
            page = await stores.db.call(stores.ledger.live, cursor, BATCH)
            await asyncio.gather(*(refresh(run) for run in page.items))
            count += len(page.items)
            if page.next_cursor is None:
                return count
            cursor = page.next_cursor

    async def _release(self) -> None:
        stores = self._service.records.stores
        try:
            await stores.db.call(stores.ledger.release_lease, LEASE, self.holder)
        except Exception as err:
            log.debug("reconciler: lease not released: %s", err)
