"""What the gateway holds for its lifetime: catalog, database, identities, the run service."""

from __future__ import annotations

from foyer.catalog import Catalog
from foyer.db import Directory, Stores
from foyer.gateway.auth import Authenticator
from foyer.options import OptionsCache
from foyer.options.reader import TemporalInventoryReader
from foyer.runs import Backend, RunService
from foyer.runs.queries import RunQueries
from foyer.schedules.service import ScheduleService
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
        self.options = OptionsCache(
            self.catalog,
            TemporalInventoryReader(self.backend.team_client),
            settings.options_cache_seconds,
        )
        secret = load_secret(settings.secret_key_file)
        self.runs = RunService(
            self.catalog,
            Signer(load_private_key(settings.signing_key_file), settings.token_ttl_seconds),
            secret,
            self.backend,
            self.stores,
            options=self.options,
        )
        self.queries = RunQueries(self.catalog, self.stores)
        self.schedules = ScheduleService(self.catalog, self.backend, secret, self.stores.audit)

    def close(self) -> None:
        self.stores.close()
