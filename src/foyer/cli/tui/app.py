"""The terminal app: one gateway client, four screens."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding

from foyer.cli.http import CliError, Gateway, line_of


class FoyerApp(App[None]):
    """Browse the catalog, start runs, follow them, and approve from the inbox.

    Args:
        gateway: The gateway client, used from worker threads only.
        me: The caller, as ``GET /api/me`` answered.
    """

    TITLE = "Foyer"
    CSS_PATH = "foyer.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("i", "inbox", "Inbox"),
    ]

    def __init__(self, gateway: Gateway, me: dict[str, Any]) -> None:
        super().__init__()
        self.gateway = gateway
        self.me = me
        self.sub_title = f"{me.get('name') or me['subject']} · {gateway.profile.url}"

    def on_mount(self) -> None:
        from foyer.cli.tui.catalog import CatalogScreen

        self.push_screen(CatalogScreen())

    def action_inbox(self) -> None:
        from foyer.cli.tui.inbox import InboxScreen

        if not isinstance(self.screen, InboxScreen):
            self.push_screen(InboxScreen())

    def report(self, err: CliError) -> None:
        """Tell the user about a failed call, one line per field (from any thread)."""
        text = "\n".join(line_of(field, message) for field, message in err.problems)
        self.call_from_thread(self.notify, text, title="Error", severity="error", timeout=8)
