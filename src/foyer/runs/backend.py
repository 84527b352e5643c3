"""The run service's Temporal side: a lazily connected client with deadlines."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from temporalio.api.operatorservice.v1 import ListNexusEndpointsRequest
from temporalio.client import Client
from temporalio.service import RPCError

from foyer.errors import Unavailable
from foyer.settings import Settings
from foyer.temporal import GATEWAY_IDENTITY, connect, for_namespace

log = logging.getLogger("foyer.runs")

READ_TIMEOUT = timedelta(seconds=5)
"""Deadline of a read (describe, query) from the gateway."""
WRITE_TIMEOUT = timedelta(seconds=10)
"""Deadline of a start or an Update from the gateway."""
READY_TIMEOUT = timedelta(seconds=2)
RETRY_AFTER_SECONDS = 2


def unavailable(err: BaseException, doing: str) -> Unavailable:
    """A 503 that names what failed without exposing transport internals."""
    log.warning("Temporal failed while %s: %r", doing, err)
    return Unavailable(
        f"Temporal did not answer while {doing}; try again shortly",
        retry_after=RETRY_AFTER_SECONDS,
    )


class Backend:
    """The gateway namespace's client, connected on first use, and known Nexus endpoints."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()
        self._endpoints: set[str] = set()

    async def client(self) -> Client:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    try:
                        self._client = await asyncio.wait_for(
                            connect(self.settings, identity=GATEWAY_IDENTITY),
                            READ_TIMEOUT.total_seconds(),
                        )
                    except (RuntimeError, TimeoutError) as err:
                        raise unavailable(err, "connecting") from err
        return self._client

    async def team_client(self, namespace: str) -> Client:
        """A client for a team namespace, used only to read status."""
        return for_namespace(await self.client(), namespace)

    async def require_endpoint(self, name: str) -> None:
        """Refuse early when a Nexus endpoint is missing.

        A router calling an unknown endpoint would fail its workflow task
        forever, so the gateway checks before it starts one.
        """
        if name in self._endpoints:
            return
        if name not in await self.endpoints():
            raise Unavailable(
                f"Nexus endpoint `{name}` does not exist; the platform team must create it"
            )

    async def endpoints(self, timeout: timedelta = READ_TIMEOUT) -> set[str]:
        """Every Nexus endpoint's name, read afresh."""
        client = await self.client()
        names: set[str] = set()
        token = b""
        try:
            while True:
                page = await client.operator_service.list_nexus_endpoints(
                    ListNexusEndpointsRequest(page_size=100, next_page_token=token),
                    timeout=timeout,
                )
                names.update(endpoint.spec.name for endpoint in page.endpoints)
                token = page.next_page_token
                if not token:
                    break
        except RPCError as err:
            raise unavailable(err, "listing Nexus endpoints") from err
        self._endpoints = names
        return names
