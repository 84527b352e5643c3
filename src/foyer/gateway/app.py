"""The gateway's FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from foyer import __version__
from foyer.gateway.errors import install_error_handlers
from foyer.gateway.routes import catalog, health, me, options, runs, schedules
from foyer.gateway.state import GatewayState
from foyer.schedules.sync import sync_until_done
from foyer.settings import Settings, get_settings


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Bring the gateway namespace's Temporal Schedules in line with the catalog, in the
    background: the API serves at once, and keeps serving while Temporal is away."""
    state: GatewayState = app.state.gateway
    syncing = asyncio.create_task(sync_until_done(state.backend.client, state.catalog))
    try:
        yield
    finally:
        syncing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await syncing


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway; loads the catalog and identities, connects to Temporal lazily."""
    app = FastAPI(
        title="Foyer",
        version=__version__,
        description="Run your organisation's operational workflows, with approvals.",
        lifespan=lifespan,
    )
    app.state.gateway = GatewayState(settings or get_settings())
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(catalog.router, prefix="/api")
    app.include_router(runs.router, prefix="/api")
    app.include_router(me.router, prefix="/api")
    app.include_router(options.router, prefix="/api")
    app.include_router(schedules.router, prefix="/api")
    return app
