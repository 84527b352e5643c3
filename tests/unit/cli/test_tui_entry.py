"""How the terminal app is reached, and where a copy goes when there is no clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from foyer.cli import output
from foyer.cli.app import app
from foyer.cli.tui import clipboard


class FakeTerminalApp:
    def __init__(self, headless: bool) -> None:
        self.is_headless = headless
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


def test_bare_foyer_without_a_terminal_prints_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "Usage: foyer [OPTIONS] COMMAND [ARGS]..." in result.stdout


def test_bare_foyer_on_a_terminal_opens_the_app(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(output, "on_a_terminal", lambda: True)
    monkeypatch.setattr("foyer.cli.tui.run_app", opened.append)
    result = runner.invoke(app, [])
    assert (result.exit_code, opened) == (0, [None])


def test_tui_command_takes_a_profile(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr("foyer.cli.tui.run_app", opened.append)
    assert runner.invoke(app, ["tui", "--profile", "prod"]).exit_code == 0
    assert opened == ["prod"]


def test_copy_uses_osc52_on_a_real_terminal(tmp_path: Path) -> None:
    terminal = FakeTerminalApp(headless=False)
    environ = {"TERM": "xterm-256color", "XDG_CACHE_HOME": str(tmp_path)}
    assert clipboard.copy(terminal, "foyer run x", environ) == "Copied to the clipboard"
    assert terminal.copied == ["foyer run x"]
    assert not (tmp_path / "foyer").exists()


@pytest.mark.parametrize(
    ("headless", "environ"),
    [
        (True, {"TERM": "xterm"}),
        (False, {"TERM_PROGRAM": "Apple_Terminal"}),
        (False, {"TERM": "linux"}),
        (False, {"TERM": "xterm", "FOYER_CLIPBOARD": "file"}),
    ],
)
def test_copy_falls_back_to_a_file(tmp_path: Path, headless: bool, environ: dict[str, str]) -> None:
    terminal = FakeTerminalApp(headless=headless)
    environ = {**environ, "XDG_CACHE_HOME": str(tmp_path)}
    message = clipboard.copy(terminal, "curl …", environ)
    copied = tmp_path / "foyer" / "copied.txt"
    assert message == f"No clipboard here; saved to {copied}"
    assert copied.read_text() == "curl …"
    assert terminal.copied == []
