"""The gateway's own router worker waits for Temporal, and stops when the gateway does."""

from __future__ import annotations

import asyncio
from typing import Any

from foyer.cli.gateway import _serve_router
from foyer.errors import Unavailable
from tests.polling import eventually


class Unreachable:
    """A backend whose Temporal never answers."""

    def __init__(self) -> None:
        self.attempts = 0

    async def client(self) -> Any:
        self.attempts += 1
        raise Unavailable("Temporal did not answer while connecting; try again shortly")


async def test_keeps_trying_to_connect_until_stopped() -> None:
    backend = Unreachable()
    stop = asyncio.Event()
    serving = asyncio.create_task(_serve_router(backend, stop))  # type: ignore[arg-type]

    await eventually(lambda: asyncio.sleep(0, backend.attempts), lambda n: n >= 1)
    assert not serving.done()

    stop.set()
    await asyncio.wait_for(serving, timeout=5)
