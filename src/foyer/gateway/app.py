"""The gateway's FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI

from foyer import __version__
from foyer.gateway.errors import install_error_handlers
from foyer.gateway.routes import catalog, health, me, runs, session
from foyer.gateway.state import GatewayState
from foyer.gateway.static import mount_portal
from foyer.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway; loads the catalog and identities, connects to Temporal lazily."""
    app = FastAPI(
        title="Foyer",
        version=__version__,
        description="Run your organisation's operational workflows, with approvals.",
    )
    app.state.gateway = GatewayState(settings or get_settings())
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(catalog.router, prefix="/api")
    app.include_router(runs.router, prefix="/api")
    app.include_router(me.router, prefix="/api")
    app.include_router(session.router, prefix="/api")
    # Last: the portal answers every path no API route claimed.
    mount_portal(app)
    return app
