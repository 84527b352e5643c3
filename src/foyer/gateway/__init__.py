"""The gateway: Foyer's HTTP API, the only writer into the gateway namespace."""

from foyer.gateway.app import create_app

__all__ = ["create_app"]
