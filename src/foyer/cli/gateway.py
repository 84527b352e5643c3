"""``foyer gateway``: serve the HTTP API."""

from __future__ import annotations

import copy
import logging
from typing import Any

REDACTED = "?[redacted]"


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
