import socket
import sys
from pathlib import Path

import pytest

from foyer.devstack import PortInUse, StackConfig, StackPaths, WorkerSpec, free_port, port_is_free
from foyer.devstack._config import (
    app_commands,
    check_ports,
    child_env,
    stack_settings,
    temporal_command,
    worker_env,
)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return tmp_path / "catalog"


def config_for(tmp_path: Path, catalog: Path, **overrides: object) -> StackConfig:
    values: dict[str, object] = {
        "state_dir": tmp_path / "state",
        "temporal_port": 17233,
        "ui_port": 18233,
        "gateway_port": 18000,
        "moto_port": 15000,
        "catalog_dir": catalog,
        "repo_root": tmp_path,
    }
    values.update(overrides)
    return StackConfig(**values)  # type: ignore[arg-type]


def test_temporal_command_is_tuned_and_creates_every_namespace(
    tmp_path: Path, catalog: Path
) -> None:
    config = config_for(tmp_path, catalog)
    paths = StackPaths.of(config)

    argv = temporal_command(
        config, paths, ("cloud-ops",), binary="temporal", http_port=1, metrics_port=2
    )

    assert argv == [
        *["temporal", "server", "start-dev"],
        *["--db-filename", str(tmp_path / "state" / "temporal.db")],
        *["--ip", "127.0.0.1", "--port", "17233", "--ui-port", "18233"],
        *["--http-port", "1", "--metrics-port", "2"],
        *["-n", "gateway", "-n", "cloud-ops"],
        *["--search-attribute", "FoyerRequester=Keyword"],
        *["--search-attribute", "FoyerWorkflow=Keyword"],
        *["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=1"],
        *["--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000"],
        *["--dynamic-config-value", "history.outboundProcessorMaxPollRPS=1000"],
        *["--dynamic-config-value", "history.timerProcessorMaxPollRPS=1000"],
        *["--dynamic-config-value", "matching.numTaskqueueReadPartitions=1"],
        *["--dynamic-config-value", "matching.numTaskqueueWritePartitions=1"],
        *["--log-level", "warn"],
    ]


def test_temporal_command_runs_headless_without_ui_port(tmp_path: Path, catalog: Path) -> None:
    config = config_for(tmp_path, catalog, ui_port=None)

    argv = temporal_command(
        config, StackPaths.of(config), (), binary="temporal", http_port=1, metrics_port=2
    )

    assert "--headless" in argv
    assert "--ui-port" not in argv


def test_app_commands_start_nexus_workers_then_team_workers_and_the_gateway_last() -> None:
    python = sys.executable
    team = WorkerSpec("data-worker", ("bin/data", "--serve"), ("data",))

    commands = app_commands(("cloud-ops", "data"), [team])

    assert commands == {
        "router-worker": [python, "-m", "foyer", "worker", "router"],
        "nexus-cloud-ops": [python, "-m", "foyer", "worker", "nexus", "--namespace", "cloud-ops"],
        "nexus-data": [python, "-m", "foyer", "worker", "nexus", "--namespace", "data"],
        "data-worker": ["bin/data", "--serve"],
        "gateway": [python, "-m", "foyer", "gateway"],
    }


def test_team_workers_are_told_their_namespaces() -> None:
    assert worker_env(WorkerSpec("w", ("w",), ("ops", "ops-stage"))) == {
        "FOYER_WORKER_NAMESPACES": "ops,ops-stage"
    }
    assert worker_env(WorkerSpec("w", ("w",))) == {}


def test_child_env_points_every_process_at_the_stack(tmp_path: Path, catalog: Path) -> None:
    config = config_for(tmp_path, catalog)
    state = tmp_path / "state"

    env = child_env(config, StackPaths.of(config), base={"PATH": "/bin", "FOYER_PORT": "1"})

    assert env == {
        # This installation's `python` and `foyer` come first for team worker commands.
        "PATH": f"{Path(sys.executable).parent}:/bin",
        "FOYER_STATE_DIR": str(state),
        "FOYER_TEMPORAL_ADDRESS": "127.0.0.1:17233",
        "FOYER_TEMPORAL_UI_URL": "http://127.0.0.1:18233",
        "FOYER_GATEWAY_NAMESPACE": "gateway",
        "FOYER_CATALOG_DIR": str(catalog),
        "FOYER_SIGNING_KEY_FILE": str(state / "keys" / "gateway-signing.pem"),
        "FOYER_GATEWAY_PUBLIC_KEY_FILE": str(state / "keys" / "gateway-public.pem"),
        "FOYER_SECRET_KEY_FILE": str(state / "keys" / "gateway-secret"),
        "FOYER_HOST": "127.0.0.1",
        "FOYER_PORT": "18000",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:15000",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONUNBUFFERED": "1",
    }


def test_relative_paths_become_absolute(
    tmp_path: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = config_for(tmp_path, Path("catalog"), state_dir=Path(".foyer"))

    env = child_env(config, StackPaths.of(config), base={})

    assert env["FOYER_STATE_DIR"] == str(tmp_path.resolve() / ".foyer")
    assert env["FOYER_CATALOG_DIR"] == str(tmp_path.resolve() / "catalog")


def test_settings_match_the_child_env_whatever_the_caller_env_says(
    tmp_path: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOYER_TEMPORAL_ADDRESS", "elsewhere:7233")
    config = config_for(tmp_path, catalog)

    settings = stack_settings(config, StackPaths.of(config))

    assert settings.temporal_address == "127.0.0.1:17233"
    assert settings.gateway_url == "http://127.0.0.1:18000"


def test_free_port_is_free() -> None:
    assert port_is_free(free_port())


def test_check_ports_names_the_taken_port(tmp_path: Path, catalog: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]
        config = config_for(tmp_path, catalog, moto_port=taken, temporal_port=free_port())

        with pytest.raises(PortInUse) as caught:
            check_ports(config)

    assert (caught.value.component, caught.value.port) == ("moto_port", taken)
    assert str(caught.value) == f"port {taken} for moto_port is already in use"


def test_check_ports_ignores_the_gateway_port_without_apps(tmp_path: Path, catalog: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        config = config_for(
            tmp_path,
            catalog,
            apps=False,
            ui_port=None,
            temporal_port=free_port(),
            moto_port=free_port(),
            gateway_port=listener.getsockname()[1],
        )

        check_ports(config)


def test_a_private_stack_is_headless_on_free_ports_and_logs_to_files(tmp_path: Path) -> None:
    config = StackConfig.private(tmp_path, tmp_path / "catalog", moto_port=5999)

    ports = (config.temporal_port, config.gateway_port)
    assert all(port_is_free(port) for port in ports)
    assert (config.ui_port, config.logs, config.moto_port) == (None, "files", 5999)
    assert (config.state_dir, config.catalog_dir) == (tmp_path, tmp_path / "catalog")
