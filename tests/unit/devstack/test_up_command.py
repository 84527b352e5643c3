from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import foyer.devstack
from foyer.cli.app import app as foyer_app
from foyer.cli.errors import CommandError
from foyer.cli.up import banner, up
from foyer.devstack import Failure, StackConfig, StackPaths

CREDENTIALS = {
    "gateway_url": "http://127.0.0.1:8000",
    "temporal_ui_url": "http://127.0.0.1:8233",
    "temporal_address": "127.0.0.1:7233",
    "aws_endpoint_url": "http://127.0.0.1:5000",
    "users": [
        {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "api_key": "foyer_ada",
            "groups": ["engineering"],
        },
        {
            "name": "Grace Hopper",
            "email": "grace@example.com",
            "api_key": "foyer_grace",
            "groups": ["engineering", "cloud-ops"],
        },
    ],
}


def test_banner_shows_urls_users_and_a_curl_to_paste() -> None:
    assert banner(CREDENTIALS, Path(".foyer/demo-credentials.json")) == "\n".join(
        [
            "",
            "Foyer is up.",
            "",
            "  Gateway       http://127.0.0.1:8000",
            "  Temporal UI   http://127.0.0.1:8233",
            "  Temporal      127.0.0.1:7233",
            "  AWS (moto)    http://127.0.0.1:5000",
            "",
            "Demo users (keys are also in .foyer/demo-credentials.json):",
            "  Ada Lovelace <ada@example.com>  groups: engineering",
            "      API key: foyer_ada",
            "  Grace Hopper <grace@example.com>  groups: engineering, cloud-ops",
            "      API key: foyer_grace",
            "",
            "Try it:",
            '  curl -H "Authorization: Bearer foyer_ada" http://127.0.0.1:8000/api/catalog',
            "",
            "Press Ctrl-C to stop.",
            "",
        ]
    )


def test_taken_port_is_one_line_naming_the_option(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir()
    app = typer.Typer()
    app.command()(up)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        result = CliRunner().invoke(
            app,
            [
                *["--state-dir", str(tmp_path / "state"), "--catalog", str(tmp_path / "catalog")],
                *["--temporal-port", str(port)],
            ],
        )

    assert isinstance(result.exception, CommandError)
    assert str(result.exception) == (
        f"port {port} is already in use; stop what uses it or choose another with --temporal-port"
    )
    assert not (tmp_path / "state").exists()


class FakeStack:
    """Opens at once, then reports the failure it was given."""

    instances: list[FakeStack] = []
    failure: Failure | None = None

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.paths = StackPaths.of(config)
        self.credentials: dict[str, Any] = CREDENTIALS
        self.closed = False
        FakeStack.instances.append(self)

    def open(self) -> None:
        pass

    def wait_for_failure(self, timeout: float | None = None) -> Failure | None:
        return self.failure

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(
    "failure",
    [
        Failure("gateway", 1, "gateway crashed 5 times in 60 s (last exit status 1)"),
        Failure("temporal", -9, "temporal exited unexpectedly with status -9 (SIGKILL)"),
    ],
)
def test_a_failure_stops_the_stack_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failure: Failure
) -> None:
    monkeypatch.setattr(foyer.devstack, "Stack", FakeStack)
    monkeypatch.setattr(FakeStack, "failure", failure)
    FakeStack.instances.clear()

    result = CliRunner().invoke(foyer_app, ["up", "--state-dir", str(tmp_path)])

    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {failure.message}; stopped the rest of the stack "
        f"(its state is kept in {tmp_path}: `foyer up` starts it again)\n"
    )
    assert result.stdout.startswith("\nFoyer is up.\n")
    assert result.stdout.endswith("Press Ctrl-C to stop.\n\nStopping…\n")
    assert [stack.closed for stack in FakeStack.instances] == [True]


def test_workers_options_reach_the_stack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(foyer.devstack, "Stack", FakeStack)
    monkeypatch.setattr(
        FakeStack, "failure", Failure("moto", 1, "moto exited unexpectedly with status 1")
    )
    FakeStack.instances.clear()

    CliRunner().invoke(
        foyer_app,
        [
            *["up", "--workers", str(tmp_path / "w.yaml")],
            *["--worker", "a=python -m a", "--worker", "b=./b --x"],
        ],
    )

    config = FakeStack.instances[0].config
    assert config.workers_file == tmp_path / "w.yaml"
    assert [(w.name, w.argv, w.source) for w in config.workers] == [
        ("a", ("python", "-m", "a"), "--worker"),
        ("b", ("./b", "--x"), "--worker"),
    ]


@pytest.fixture(autouse=True)
def _no_signal_leak() -> Iterator[None]:
    # up() installs a SIGTERM handler for its run and must put the old one back.
    before = signal.getsignal(signal.SIGTERM)
    yield
    assert signal.getsignal(signal.SIGTERM) == before
