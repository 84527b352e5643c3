"""``foyer gateway``: serve the HTTP API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import uvicorn

from foyer.errors import Unavailable
from foyer.settings import get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from foyer.runs import Backend

log = logging.getLogger("foyer.gateway")

RECONNECT_SECONDS = 2.0


def gateway() -> None:
    """Serve the gateway HTTP API on FOYER_HOST:FOYER_PORT."""
    from foyer.gateway.app import create_app

    settings = get_settings()
    app = create_app(settings)
    if settings.gateway_router_worker:
        with_router_worker(app)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def with_router_worker(app: FastAPI) -> None:
    """Run a router worker inside ``app`` for its lifetime, on the gateway's own client.

    Sharing the client is what lets the run service start runs eagerly. The
    gateway serves requests whether or not Temporal answers at start-up; the
    worker joins once it does.
    """
    backend: Backend = app.state.gateway.backend
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        stop = asyncio.Event()
        serving = asyncio.create_task(_serve_router(backend, stop))
        try:
            async with inner(app) as state:
                yield state
        finally:
            stop.set()
            await serving

    app.router.lifespan_context = lifespan


async def _serve_router(backend: Backend, stop: asyncio.Event) -> None:
    from foyer.router.worker import router_worker

    while not stop.is_set():
        try:
            client = await backend.client()
        except Unavailable:
            log.warning("router worker: Temporal is not reachable yet; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RECONNECT_SECONDS)
            continue
        async with router_worker(client):
            log.info("router worker serving namespace %s in the gateway", client.namespace)
            await stop.wait()
