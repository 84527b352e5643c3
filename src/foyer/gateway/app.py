"""The gateway's FastAPI application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import Depends, FastAPI

from foyer import __version__
from foyer.gateway.deps import current_user
from foyer.gateway.errors import install_error_handlers
from foyer.gateway.middleware import BodyLimit, JsonBody, checked_client
from foyer.gateway.openapi import install_openapi, operation_id
from foyer.gateway.routes import (
    admin,
    approvals,
    audit,
    catalog,
    health,
    me,
    options,
    run_list,
    runs,
    schedules,
    session,
    snippets,
)
from foyer.gateway.state import GatewayState
from foyer.gateway.static import mount_portal
from foyer.runs.reconciler import Reconciler
from foyer.schedules.sync import sync_until_done
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
        # Brings the gateway namespace's Temporal Schedules in line with the catalog, in
        # the background: the API serves at once, and keeps serving while Temporal is away.
        syncing = asyncio.create_task(sync_until_done(state.backend.client, state.catalog))
        try:
            yield
        finally:
            syncing.cancel()
            with suppress(asyncio.CancelledError):
                await syncing
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
    app.include_router(snippets.router, **api)  # type: ignore[arg-type]
    app.include_router(run_list.router, **api)  # type: ignore[arg-type]
    app.include_router(runs.router, **api)  # type: ignore[arg-type]
    app.include_router(approvals.router, **api)  # type: ignore[arg-type]
    app.include_router(admin.router, **api)  # type: ignore[arg-type]
    app.include_router(audit.router, **api)  # type: ignore[arg-type]
    app.include_router(me.router, **api)  # type: ignore[arg-type]
    app.include_router(options.router, **api)  # type: ignore[arg-type]
    app.include_router(schedules.router, **api)  # type: ignore[arg-type]
    # Signing in comes before authentication: only the client's name is checked.
    app.include_router(session.router, prefix="/api", dependencies=[Depends(checked_client)])
    install_openapi(app, state.catalog)
    # Last: the portal answers every path no API route claimed.
    mount_portal(app)
    return app
