"""``foyer gateway``: serve the HTTP API."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from foyer.errors import Unavailable

if TYPE_CHECKING:
    from fastapi import FastAPI

    from foyer.runs import Backend

REDACTED = "?[redacted]"
RECONNECT_SECONDS = 2.0

log = logging.getLogger("foyer.gateway")


class RedactQueryStrings(logging.Filter):
    """Drops query strings from access-log records: one may carry an API key.

    uvicorn logs each request's path with its query string as one of the
    record's arguments; the path stays, the query becomes ``?[redacted]``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        return True


def _redact(arg: object) -> object:
    if isinstance(arg, str) and arg.startswith("/") and "?" in arg:
        return arg.split("?", 1)[0] + REDACTED
    return arg


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with query strings kept out of the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_query_strings"] = {"()": RedactQueryStrings}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_query_strings"]
    return config


def gateway() -> None:
    """Serve the gateway HTTP API on FOYER_HOST:FOYER_PORT."""
    import uvicorn

    from foyer.gateway.app import create_app
    from foyer.settings import get_settings

    settings = get_settings()
    # An outdated database schema or unsafe SSO settings raise a FoyerError here,
    # which the command boundary reports with how to fix it.
    app = create_app(settings)
    if settings.gateway_router_worker:
        with_router_worker(app)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        log_config=log_config(),
        # The gateway decides itself which proxies to believe (FOYER_SSO_TRUSTED_PROXIES),
        # so uvicorn must not rewrite the peer address from X-Forwarded-For.
        proxy_headers=False,
    )


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
