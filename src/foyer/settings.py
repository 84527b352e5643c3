"""One settings model for every Foyer process, read from ``FOYER_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
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
    """No longer read: users, groups and API keys live in the database."""
    signing_key_file: Path = Path(".foyer/keys/gateway-signing.pem")
    gateway_public_key_file: Path = Path(".foyer/keys/gateway-public.pem")
    secret_key_file: Path = Path(".foyer/keys/gateway-secret")
    """Random bytes only the gateways know: keyed run ids and session cookies (share it
    between gateway replicas; rotating it forgets idempotency keys and sessions)."""
    token_ttl_seconds: int = 900
    options_cache_seconds: float = 10.0
    """How long the gateway serves its copy of an option inventory before asking the team's
    inventory workflow whether it changed (answers stay fast: it asks in the background)."""
    gateway_router_worker: bool = False
    """Also run a router worker inside the gateway, on its own Temporal client, so runs
    start eagerly: the first router task comes back with the start response instead of
    through the task queue. Standalone router workers still serve every other task."""

    database_url: str = ""
    """SQLAlchemy URL of the gateway's database; empty means the SQLite file
    ``<state_dir>/foyer.db``. PostgreSQL: ``postgresql://user:password@host/db``."""

    # -- single sign-on ----------------------------------------------------------
    sso_headers: bool = False
    """Trust identity headers set by an authenticating proxy (oauth2-proxy conventions)."""
    sso_trusted_proxies: str = ""
    """Comma-separated addresses or networks (``10.0.0.0/8``) the proxy connects from."""
    sso_proxy_secret_file: Path | None = None
    """File holding a secret the proxy sends as ``X-Foyer-Proxy-Secret``; an alternative
    to (or a second check on top of) trusted addresses."""
    sso_email_header: str = "X-Forwarded-Email"
    sso_groups_header: str = "X-Forwarded-Groups"
    sso_name_header: str = "X-Forwarded-Preferred-Username"
    oidc_issuer: str = ""
    """Accept OIDC bearer tokens (JWT) from this issuer; empty turns OIDC off."""
    oidc_audience: str = ""
    """The ``aud`` every token must carry (the client id registered for Foyer)."""
    oidc_jwks_url: str = ""
    """Where the issuer's signing keys are; empty means discovery from the issuer."""
    oidc_email_claim: str = "email"
    oidc_name_claim: str = "name"
    oidc_groups_claim: str = "groups"
    admin_group: str = "foyer-admins"
    """Members of this group have the ``admin`` scope when they sign in by SSO."""

    reconcile_interval: float = 1.0
    """Seconds between two refreshes of live runs' status in the ledger."""

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    """URL users reach the gateway at, when it differs from ``http://host:port``."""
    max_body_bytes: int = Field(
        default=256 * 1024,
        gt=0,
        description="Largest request body the gateway reads, in bytes; larger bodies get 413.",
    )

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.state_dir / 'foyer.db'}"
        return self

    @property
    def gateway_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
