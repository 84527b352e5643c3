"""One run, live: status, plan, approvals and outcome; approve, reject or cancel it here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from foyer.cli.http import CliError, line_of, new_idempotency_key
from foyer.cli.runs import EXIT_BY_FINAL_STATUS, describe_run, run_path

if TYPE_CHECKING:
    from foyer.cli.tui.app import FoyerApp

KEYS = "↑↓ scroll · a approve · r reject · x cancel · Esc back · i inbox · q quit"
POLL_SECONDS = 1.0


class RunScreen(Screen[None]):
    """A run, refreshed every second until it ends."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "decide('approve')", "Approve"),
        Binding("r", "decide('reject')", "Reject"),
        Binding("x", "decide('cancel')", "Cancel run"),
    ]

    def __init__(self, run_id: str, run: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.run_id = run_id
        self.run = run
        self.entry: dict[str, Any] | None = None
        self.can_approve = False
        self.self_approval = False
        # One key per decision the user can make here, so a double press counts once.
        self.keys = {action: new_idempotency_key() for action in ("approve", "reject", "cancel")}

    @property
    def foyer(self) -> FoyerApp:
        return cast("FoyerApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="run"):
            yield Static(f"Loading {escape(self.run_id)}…", id="run-status", classes="status")
            yield Static("", id="run-details")
            yield Static("", id="decision-error", classes="error")
        with Horizontal(id="decide"):
            yield Input(placeholder="Comment (shown to the requester)", id="comment")
            yield Button("Approve", id="approve", variant="success")
            yield Button("Reject", id="reject", variant="error")
            yield Button("Cancel run", id="cancel")
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        self.query_one("#decide").display = False
        self.query_one("#decision-error").display = False
        if self.run is not None:
            self._show(self.run)
        self.refresh_run()
        self.timer = self.set_interval(POLL_SECONDS, self.refresh_run)

    @work(thread=True, exclusive=True, group="poll")
    def refresh_run(self) -> None:
        try:
            run = self.foyer.gateway.get(run_path(self.run_id))
            if self.entry is None:  # who may decide does not change while the screen is open
                self.entry = self.foyer.gateway.get(
                    f"/api/catalog/{quote(run['workflow'], safe='')}"
                )
        except CliError as err:
            self.foyer.report(err)
            return
        self.can_approve = bool(self.entry.get("can_approve"))
        self.self_approval = bool((self.entry.get("approval") or {}).get("allow_self_approval"))
        self.app.call_from_thread(self._show, run)

    def _show(self, run: dict[str, Any]) -> None:
        self.run = run
        final = run["status"] in EXIT_BY_FINAL_STATUS
        message = f" — {escape(run['message'])}" if run.get("message") else ""
        colour = {"succeeded": "green", "failed": "red", "rejected": "red"}.get(run["status"], "")
        status = f"[{colour}]{escape(run['status'])}[/]" if colour else escape(run["status"])
        self.query_one("#run-status", Static).update(f"● {status}{message}")
        self.query_one("#run-details", Static).update(escape(describe_run(run)))
        awaiting = run["status"] == "awaiting_approval"
        mine = run.get("requester", "").casefold() == self.foyer.me["subject"].casefold()
        decides = awaiting and self.can_approve and (self.self_approval or not mine)
        self.query_one("#approve").display = decides
        self.query_one("#reject").display = decides
        self.query_one("#cancel").display = not final and (mine or self.can_approve)
        self.query_one("#decide").display = not final and (mine or self.can_approve)
        if final and hasattr(self, "timer"):
            self.timer.stop()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id in self.keys:
            self.action_decide(event.button.id)

    def action_decide(self, action: str) -> None:
        if not self.query_one(f"#{action}").display:
            return
        comment = self.query_one("#comment", Input).value.strip()
        self.decide(action, comment)

    @work(thread=True, exclusive=True, group="decide")
    def decide(self, action: str, comment: str) -> None:
        body = {"reason": comment} if action == "cancel" else {"comment": comment}
        try:
            run = self.foyer.gateway.post(
                f"{run_path(self.run_id)}/{action}", body, idempotency_key=self.keys[action]
            )
        except CliError as err:
            text = "\n".join(line_of(f, m) for f, m in err.problems)
            self.app.call_from_thread(self._refused, text)
            return
        self.app.call_from_thread(self._decided, action, run)

    def _refused(self, text: str) -> None:
        error = self.query_one("#decision-error", Static)
        error.update(escape(text))
        error.display = True

    def _decided(self, action: str, run: dict[str, Any]) -> None:
        self.query_one("#decision-error").display = False
        done = {"approve": "Approved", "reject": "Rejected", "cancel": "Cancelled"}[action]
        self.notify(f"{done} {run['id']}", title="Decision")
        self._show(run)
