"""What the gateway holds for its lifetime: catalog, identities and the run service."""

from __future__ import annotations

from foyer.catalog import Catalog
from foyer.identities import UserDirectory
from foyer.runs import Backend, RunService
from foyer.settings import Settings
from foyer.signing import Signer, load_private_key, load_secret


class GatewayState:
    """Long-lived collaborators, built once by ``create_app``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog.load(settings.catalog_dir)
        self.users = UserDirectory.load(settings.users_file)
        self.backend = Backend(settings)
        self.runs = RunService(
            self.catalog,
            Signer(load_private_key(settings.signing_key_file), settings.token_ttl_seconds),
            load_secret(settings.secret_key_file),
            self.backend,
        )
