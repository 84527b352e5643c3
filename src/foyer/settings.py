"""One settings model for every Foyer process, read from ``FOYER_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where things are and how to reach them; defaults match ``foyer up``."""

    model_config = SettingsConfigDict(env_prefix="FOYER_", extra="ignore")

    state_dir: Path = Path(".foyer")
    """Where the embedded stack keeps its databases, keys and credentials."""

    temporal_address: str = "127.0.0.1:7233"
    temporal_api_key: str | None = None
    temporal_tls: bool = False
    temporal_ui_url: str = "http://127.0.0.1:8233"
    gateway_namespace: str = "gateway"

    catalog_dir: Path = Path("examples/catalog")
    users_file: Path = Path(".foyer/users.yaml")
    signing_key_file: Path = Path(".foyer/keys/gateway-signing.pem")
    gateway_public_key_file: Path = Path(".foyer/keys/gateway-public.pem")
    secret_key_file: Path = Path(".foyer/keys/gateway-secret")
    """Random bytes only the gateways know: keyed run ids and session cookies (share it
    between gateway replicas; rotating it forgets idempotency keys and sessions)."""
    token_ttl_seconds: int = 900
    gateway_router_worker: bool = False
    """Also run a router worker inside the gateway, on its own Temporal client, so runs
    start eagerly: the first router task comes back with the start response instead of
    through the task queue. Standalone router workers still serve every other task."""

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    """URL users reach the gateway at, when it differs from ``http://host:port``."""

    @property
    def gateway_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
