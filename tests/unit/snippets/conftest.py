"""The gateway in-process, as the gateway's own unit tests build it."""

from tests.unit.gateway.conftest import anonymous, client, keys, settings

__all__ = ["anonymous", "client", "keys", "settings"]
