"""What the gateway holds for its lifetime: catalog, identities and the run service."""

from __future__ import annotations

from foyer.catalog import Catalog
from foyer.identities import UserDirectory
from foyer.options import OptionsCache
from foyer.options.reader import TemporalInventoryReader
from foyer.runs import Backend, RunService
from foyer.schedules.service import ScheduleService
from foyer.settings import Settings
from foyer.signing import Signer, load_private_key, load_secret


class GatewayState:
    """Long-lived collaborators, built once by ``create_app``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog.load(settings.catalog_dir)
        self.users = UserDirectory.load(settings.users_file)
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
            options=self.options,
        )
        self.schedules = ScheduleService(self.catalog, self.backend, secret)
