"""The only place that connects a Temporal client."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from foyer.settings import Settings


async def connect(settings: Settings, namespace: str | None = None) -> Client:
    """Connect to Temporal with Foyer's data converter (pydantic models as JSON)."""
    return await Client.connect(
        settings.temporal_address,
        namespace=namespace or settings.gateway_namespace,
        api_key=settings.temporal_api_key,
        tls=settings.temporal_tls,
        data_converter=pydantic_data_converter,
    )


def for_namespace(client: Client, namespace: str) -> Client:
    """A client for another namespace over the same connection."""
    config = client.config()
    config["namespace"] = namespace
    return Client(**config)
