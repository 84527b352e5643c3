"""``foyer gateway``: serve the HTTP API."""

from __future__ import annotations

import uvicorn

from foyer.cli.errors import CommandError
from foyer.settings import get_settings


def gateway() -> None:
    """Serve the gateway HTTP API on FOYER_HOST:FOYER_PORT."""
    from foyer.errors import FoyerError
    from foyer.gateway.app import create_app

    settings = get_settings()
    try:
        app = create_app(settings)
    except FoyerError as err:
        # An outdated database schema or unsafe SSO settings: say how to fix it.
        raise CommandError(str(err)) from None
    # The gateway decides itself which proxies to believe (FOYER_SSO_TRUSTED_PROXIES),
    # so uvicorn must not rewrite the peer address from X-Forwarded-For.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", proxy_headers=False)
