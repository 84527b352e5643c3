"""``foyer gateway``: serve the HTTP API."""

from __future__ import annotations

import uvicorn

from foyer.settings import get_settings


def gateway() -> None:
    """Serve the gateway HTTP API on FOYER_HOST:FOYER_PORT."""
    from foyer.gateway.app import create_app

    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
