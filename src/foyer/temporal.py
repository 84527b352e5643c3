"""The only place that connects a Temporal client."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from foyer.errors import Unavailable
from foyer.settings import Settings

GATEWAY_IDENTITY = f"foyer-gateway@{socket.gethostname()}"
"""Client identity of the gateway, as it appears in workflow histories."""


class TemporalUnavailable(Unavailable, RuntimeError):
    """No Temporal server answered at the configured address.

    Also a ``RuntimeError``, which is what the SDK raises for a failed connect.
    """


async def connect(
    settings: Settings, namespace: str | None = None, identity: str | None = None
) -> Client:
    """Connect to Temporal with Foyer's data converter (pydantic models as JSON).

    Raises:
        TemporalUnavailable: If nothing answers at ``settings.temporal_address``;
            the SDK's transport error is its ``__cause__``.
    """
    try:
        return await Client.connect(
            settings.temporal_address,
            namespace=namespace or settings.gateway_namespace,
            identity=identity,
            api_key=settings.temporal_api_key,
            tls=settings.temporal_tls,
            data_converter=pydantic_data_converter,
        )
    except RuntimeError as err:
        raise TemporalUnavailable(
            f"cannot connect to Temporal at {settings.temporal_address}; start the stack "
            "with `foyer up`, or set FOYER_TEMPORAL_ADDRESS to a running server"
        ) from err


def for_namespace(client: Client, namespace: str) -> Client:
    """A client for another namespace over the same connection."""
    config = client.config()
    config["namespace"] = namespace
    return Client(**config)


def run_until_signalled(run: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run ``run(stop)`` until SIGINT or SIGTERM sets ``stop``, then exit the process.

    The process ends with ``os._exit`` once ``run`` has returned and output is
    flushed: temporalio's native runtime can crash while the interpreter
    finalises (sdk-python issue 300), and a worker that shut down cleanly
    must not report a crash.
    """

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run(stop)

    asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
