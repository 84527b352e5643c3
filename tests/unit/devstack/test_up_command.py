import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from foyer.cli.errors import CommandError
from foyer.cli.up import banner, up

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


def test_missing_catalog_is_a_command_error(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(up)

    result = CliRunner().invoke(app, ["--catalog", str(tmp_path / "nope")])

    assert isinstance(result.exception, CommandError)
    assert str(result.exception) == (
        f"catalog directory {tmp_path / 'nope'} does not exist; pass --catalog DIR"
    )


@pytest.fixture(autouse=True)
def _no_signal_leak() -> Iterator[None]:
    # up() installs a SIGTERM handler for its run and must put the old one back.
    before = signal.getsignal(signal.SIGTERM)
    yield
    assert signal.getsignal(signal.SIGTERM) == before
