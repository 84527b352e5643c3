"""What the gateway holds for its lifetime: catalog, database, identities, the run service."""

from __future__ import annotations

from foyer.catalog import Catalog
from foyer.db import Directory, Stores
from foyer.gateway.auth import Authenticator
from foyer.runs import Backend, RunService
from foyer.runs.queries import RunQueries
from foyer.settings import Settings
from foyer.signing import Signer, load_private_key, load_secret


class GatewayState:
    """Long-lived collaborators, built once by ``create_app``.

    Raises:
        SchemaOutdated: The database's schema is not this Foyer's; the message
            says to run ``foyer db upgrade``.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog.load(settings.catalog_dir)
        self.stores = Stores.open(settings.database_url)
        self.users: Directory = self.stores.directory
        self.auth = Authenticator(settings, self.stores.directory)
        self.backend = Backend(settings)
        self.runs = RunService(
            self.catalog,
            Signer(load_private_key(settings.signing_key_file), settings.token_ttl_seconds),
            load_secret(settings.secret_key_file),
            self.backend,
            self.stores,
        )
        self.queries = RunQueries(self.catalog, self.stores)

    def close(self) -> None:
        self.stores.close()
