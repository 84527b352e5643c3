"""The gateway's FastAPI application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from foyer import __version__
from foyer.gateway.errors import install_error_handlers
from foyer.gateway.routes import admin, approvals, audit, catalog, health, me, run_list, runs
from foyer.gateway.state import GatewayState
from foyer.runs.reconciler import Reconciler
from foyer.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway; loads the catalog, opens the database, connects to Temporal lazily.

    Raises:
        SchemaOutdated: The database's schema is not this Foyer's (run ``foyer db upgrade``).
    """
    state = GatewayState(settings or get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        reconciler = Reconciler(state.runs, state.settings.reconcile_interval)
        task = asyncio.create_task(reconciler.run(stop))
        try:
            yield
        finally:
            stop.set()
            await task
            state.close()

    app = FastAPI(
        title="Foyer",
        lifespan=lifespan,
        version=__version__,
        description="Run your organisation's operational workflows, with approvals.",
    )
    app.state.gateway = state
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(catalog.router, prefix="/api")
    app.include_router(run_list.router, prefix="/api")
    app.include_router(runs.router, prefix="/api")
    app.include_router(approvals.router, prefix="/api")
    app.include_router(admin.router, prefix="/api")
    app.include_router(audit.router, prefix="/api")
    app.include_router(me.router, prefix="/api")
    return app
