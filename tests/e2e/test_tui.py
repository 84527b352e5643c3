"""The terminal app, driven by Textual's Pilot (headless) against the real stack."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.syntax import Syntax
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TabbedContent, Tree

from foyer.cli.config import Profile
from foyer.cli.http import Gateway
from foyer.cli.tui.app import FoyerApp
from foyer.cli.tui.catalog import KEYS, CatalogScreen
from foyer.cli.tui.form import RunForm
from foyer.cli.tui.inbox import InboxScreen
from foyer.cli.tui.run import RunScreen
from tests.e2e.conftest import ENTRY, Api, delete_inputs, table_exists
from tests.polling import eventually


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@asynccontextmanager
async def opened(api: Api, user: str) -> AsyncIterator[tuple[FoyerApp, Pilot[None]]]:
    gateway = Gateway(Profile("default", api.base_url, api.keys[user]))
    app = FoyerApp(gateway, gateway.get("/api/me"))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            yield app, pilot
    finally:
        gateway.close()


async def until(
    pilot: Pilot[None], holds: Callable[[], Any], what: str, timeout: float = 30
) -> Any:
    async def probe() -> Any:
        await pilot.pause(0.05)
        return holds()

    return await eventually(probe, bool, timeout=timeout, what=what)


def text(widget: Static) -> str:
    content = widget.content
    return content.code if isinstance(content, Syntax) else str(content)


async def catalog_loaded(app: FoyerApp, pilot: Pilot[None]) -> CatalogScreen:
    """The catalog screen with the search narrowed to the test entry, highlighted and loaded."""
    screen = app.screen
    assert isinstance(screen, CatalogScreen)
    await until(pilot, lambda: screen.items, "the catalog to load")
    await pilot.press("slash", *"dynamodb", "enter")
    await until(pilot, lambda: ENTRY in screen.entries, "the entry to load")
    return screen


async def test_browse_tabs_and_copy_a_snippet(api: Api, cache_dir: Path) -> None:
    async with opened(api, "ada") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await until(pilot, lambda: screen.items, "the catalog to load")
        tree = screen.query_one("#workflows", Tree)
        teams = {
            str(team.label): [str(n.label) for n in team.children] for team in tree.root.children
        }
        assert {"cloud-ops", "platform"} <= set(teams)
        assert "Delete a DynamoDB table" in teams["cloud-ops"]
        await catalog_loaded(app, pilot)
        [team] = tree.root.children
        assert [str(n.label) for n in team.children] == ["Delete a DynamoDB table"]
        assert "Delete a DynamoDB table" in text(screen.query_one("#summary", Static))
        command = text(screen.query_one("#command", Static))
        assert command.startswith("foyer run delete-dynamodb-table \\\n  --environment stage")
        assert text(screen.query_one("#keys", Static)) == KEYS
        assert KEYS.startswith("Tab switch · ↑↓ scroll · c copy")

        detail = screen.query_one("#detail", TabbedContent)
        await pilot.press("tab")
        assert detail.active == "guide-pane"
        await pilot.press("tab")
        assert detail.active == "snippets-pane"
        await until(pilot, lambda: screen.shown_snippet(), "the snippets to load")
        shown = text(screen.query_one("#snippet", Static))
        assert "foyer run delete-dynamodb-table" in shown and "--idempotency-key" in shown
        assert all(key not in shown for key in api.keys.values())

        await pilot.press("c")  # headless: no terminal clipboard, so a file
        copied = cache_dir / "foyer" / "copied.txt"
        await until(pilot, copied.exists, "the copied snippet")
        assert copied.read_text() == screen.shown_snippet()

        await pilot.press("l")
        assert screen.language == "curl"
        assert text(screen.query_one("#snippet", Static)).startswith("# Reads your API key")

        await pilot.press("slash", *"-nothing-like-this")
        assert len(screen.query_one("#workflows", Tree).root.children) == 0


async def test_form_validates_then_starts_a_run_and_shows_it_live(
    api: Api, table: str, dynamodb: Any
) -> None:
    async with opened(api, "ada") as (app, pilot):
        await catalog_loaded(app, pilot)
        await pilot.press("enter")
        form = await until(
            pilot, lambda: isinstance(app.screen, RunForm) and app.screen, "the form to open"
        )
        form.query_one("#example", Select).value = 0  # "Dry run in stage"
        await pilot.pause()
        assert form.query_one("#environment", Select).value == "stage"
        table_input = form.query_one("#field-2", Input)
        assert table_input.value == "orders-archive"

        table_input.value = "x"
        await pilot.press("ctrl+s")
        error = form.query_one("#error-2", Static)
        assert error.display
        assert text(error) == "must match pattern ^[A-Za-z0-9_.-]{3,255}$"
        assert isinstance(app.screen, RunForm)

        table_input.value = table
        await pilot.press("ctrl+s")
        screen = await until(
            pilot, lambda: isinstance(app.screen, RunScreen) and app.screen, "the run screen"
        )
        status = screen.query_one("#run-status", Static)
        await until(pilot, lambda: "succeeded" in text(status), "the dry run to finish")
        run = await api.run(screen.run_id)
        assert (run["client"], run["environment"], run["inputs"]["table_name"]) == (
            "cli",
            "stage",
            table,
        )
        assert run["result"]["deleted"] is False
        assert table_exists(dynamodb, table)


async def test_approver_approves_from_the_inbox(api: Api, table: str, dynamodb: Any) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    async with opened(api, "grace") as (app, pilot):
        await pilot.press("i")
        inbox = await until(
            pilot, lambda: isinstance(app.screen, InboxScreen) and app.screen, "the inbox"
        )
        table_widget = inbox.query_one("#inbox")
        await until(
            pilot,
            lambda: run["id"] in [row.value for row in table_widget.rows],  # type: ignore[attr-defined]
            "the run in the inbox",
        )
        table_widget.move_cursor(row=table_widget.get_row_index(run["id"]))  # type: ignore[attr-defined]
        await pilot.press("enter")
        screen = await until(
            pilot, lambda: isinstance(app.screen, RunScreen) and app.screen, "the run screen"
        )
        await until(pilot, lambda: screen.query_one("#approve").display, "the approve button")
        screen.query_one("#comment", Input).value = "checked from the terminal"
        await pilot.press("a")
        done = await api.wait_status(run["id"], "succeeded", "failed")
    assert done["status"] == "succeeded"
    assert [(a["approver"], a["comment"]) for a in done["approvals"]] == [
        ("grace@example.com", "checked from the terminal")
    ]
    assert not table_exists(dynamodb, table)


async def test_requester_sees_no_approve_button(api: Api, table: str) -> None:
    run = await api.submit("ada", delete_inputs(table))
    await api.wait_status(run["id"], "awaiting_approval")
    async with opened(api, "ada") as (app, pilot):
        await catalog_loaded(app, pilot)
        await app.push_screen(RunScreen(run["id"]))
        screen = app.screen
        status = screen.query_one("#run-status", Static)
        await until(pilot, lambda: "awaiting_approval" in text(status), "the run")
        assert not screen.query_one("#approve").display
        assert screen.query_one("#cancel").display
        await pilot.press("x")
        await api.wait_status(run["id"], "cancelled")
