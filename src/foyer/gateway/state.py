"""What the gateway holds for its lifetime: catalog, identities, signer, Temporal."""

from __future__ import annotations

import asyncio

from temporalio.api.operatorservice.v1 import ListNexusEndpointsRequest
from temporalio.client import Client
from temporalio.service import RPCError

from foyer.catalog import Catalog
from foyer.gateway.errors import Unavailable
from foyer.identities import UserDirectory
from foyer.settings import Settings
from foyer.signing import Signer, load_private_key
from foyer.temporal import GATEWAY_IDENTITY, connect, for_namespace


class GatewayState:
    """Long-lived collaborators, built once by ``create_app``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog.load(settings.catalog_dir)
        self.users = UserDirectory.load(settings.users_file)
        self.signer = Signer(
            load_private_key(settings.signing_key_file), settings.token_ttl_seconds
        )
        self._client: Client | None = None
        self._lock = asyncio.Lock()
        self._endpoints: set[str] = set()

    async def client(self) -> Client:
        """The gateway namespace's client, connected on first use."""
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    try:
                        self._client = await connect(self.settings, identity=GATEWAY_IDENTITY)
                    except RuntimeError as err:
                        raise Unavailable(f"Temporal is unreachable: {err}") from err
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
        if name not in await self.refresh_endpoints():
            raise Unavailable(
                f"Nexus endpoint `{name}` does not exist; the platform team must create it"
            )

    async def refresh_endpoints(self) -> set[str]:
        client = await self.client()
        names: set[str] = set()
        token = b""
        try:
            while True:
                page = await client.operator_service.list_nexus_endpoints(
                    ListNexusEndpointsRequest(page_size=100, next_page_token=token)
                )
                names.update(endpoint.spec.name for endpoint in page.endpoints)
                token = page.next_page_token
                if not token:
                    break
        except RPCError as err:
            raise Unavailable(f"Temporal is unreachable: {err.message}") from err
        self._endpoints = names
        return names
