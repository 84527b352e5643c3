"""The gateway's FastAPI application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from foyer import __version__
from foyer.gateway.deps import current_user
from foyer.gateway.errors import install_error_handlers
from foyer.gateway.middleware import BodyLimit, JsonBody, checked_client
from foyer.gateway.openapi import install_openapi, operation_id
from foyer.gateway.routes import admin, approvals, audit, catalog, health, me, run_list, runs
from foyer.gateway.state import GatewayState
from foyer.runs.reconciler import Reconciler
from foyer.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway; loads the catalog, opens the database, connects to Temporal lazily.

    Raises:
        SchemaOutdated: The database's schema is not this Foyer's (run ``foyer db upgrade``).
    """
    settings = settings or get_settings()
    state = GatewayState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Keeps the ledger's status of live runs fresh; one gateway at a time does it.
        stop = asyncio.Event()
        reconciler = Reconciler(state.runs, settings.reconcile_interval)
        task = asyncio.create_task(reconciler.run(stop))
        try:
            yield
        finally:
            stop.set()
            await task
            state.close()

    app = FastAPI(
        title="Foyer",
        version=__version__,
        description="Run your organisation's operational workflows, with approvals. "
        "Every `/api` operation needs `Authorization: Bearer <API key>`; every error "
        'has one body, `{"errors": [{"field": …, "message": …}]}`.',
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.state.gateway = state
    install_error_handlers(app)
    # Added last, runs first: the size limit holds before any byte is parsed.
    app.add_middleware(JsonBody)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # Authentication first: a caller without a valid key learns nothing else (401).
    api = {"prefix": "/api", "dependencies": [Depends(current_user), Depends(checked_client)]}
    app.include_router(health.router)
    app.include_router(catalog.router, **api)  # type: ignore[arg-type]
    app.include_router(run_list.router, **api)  # type: ignore[arg-type]
    app.include_router(runs.router, **api)  # type: ignore[arg-type]
    app.include_router(approvals.router, **api)  # type: ignore[arg-type]
    app.include_router(admin.router, **api)  # type: ignore[arg-type]
    app.include_router(audit.router, **api)  # type: ignore[arg-type]
    app.include_router(me.router, **api)  # type: ignore[arg-type]
    install_openapi(app, state.catalog)
    return app
