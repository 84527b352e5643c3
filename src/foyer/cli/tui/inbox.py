"""The approver's inbox: runs waiting for the caller's decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from foyer.cli.http import CliError
from foyer.cli.output import when

if TYPE_CHECKING:
    from foyer.cli.tui.app import FoyerApp

KEYS = "↑↓ choose · Enter open · g refresh · Esc back · q quit"
REFRESH_SECONDS = 2.0


class InboxScreen(Screen[None]):
    """Runs awaiting approval that the caller may decide; Enter opens one."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("g", "reload", "Refresh"),
    ]

    @property
    def foyer(self) -> FoyerApp:
        return cast("FoyerApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading your inbox…", id="inbox-title", classes="status")
        table: DataTable[str] = DataTable(id="inbox", cursor_type="row")
        table.add_columns("Run", "Workflow", "Env", "Requester", "Created")
        yield table
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        self.query_one("#inbox", DataTable).focus()
        self.action_reload()
        # The inbox follows the run ledger, which trails the workflows by a moment.
        self.set_interval(REFRESH_SECONDS, self.action_reload)

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            items = self.foyer.gateway.get("/api/approvals").get("items") or []
        except CliError as err:
            self.foyer.report(err)
            return
        self.app.call_from_thread(self._show, items)

    def _show(self, items: list[dict[str, Any]]) -> None:
        table = self.query_one("#inbox", DataTable)
        shown = [str(key.value) for key in table.rows]
        if shown == [run["id"] for run in items]:
            return  # unchanged: keep the cursor where the user left it
        table.clear()
        for run in items:
            table.add_row(
                run["id"],
                run["workflow"],
                run.get("environment") or "",
                run.get("requester") or "",
                when(run.get("created_at")),
                key=run["id"],
            )
        count = len(items)
        title = (
            "Nothing is waiting for your approval."
            if not count
            else (f"{count} run{'s' if count != 1 else ''} waiting for your approval")
        )
        self.query_one("#inbox-title", Static).update(title)

    @on(DataTable.RowSelected, "#inbox")
    def _open(self, event: DataTable.RowSelected) -> None:
        from foyer.cli.tui.run import RunScreen

        if event.row_key.value:
            self.app.push_screen(RunScreen(event.row_key.value))

    def action_back(self) -> None:
        self.app.pop_screen()
