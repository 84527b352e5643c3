"""The first screen: workflows by owning team, and for the highlighted one its TL;DR,
guide and code snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from rich.markup import escape
from rich.syntax import Syntax
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Header,
    Input,
    Markdown,
    Static,
    Tab,
    TabbedContent,
    TabPane,
    Tabs,
    Tree,
)

from foyer.cli.http import CliError
from foyer.cli.workflows import matches, team_of
from foyer.snippets import cli_command
from foyer.snippets.fields import explain, fields_of

if TYPE_CHECKING:
    from foyer.cli.tui.app import FoyerApp

KEYS = "Tab switch · ↑↓ scroll · c copy · Enter run · / search · i inbox · q quit"
"""The key hints under every screen of the catalog."""

TABS = ("TL;DR", "Guide", "Code Snippets")
_LEXERS = {"cli": "bash", "curl": "bash", "httpx": "python", "requests": "python"}


class CatalogScreen(Screen[None]):
    """A searchable list of workflows grouped by team, with tabs about the highlighted one."""

    BINDINGS = [
        Binding("tab", "next_tab", "Next tab", priority=True, show=False),
        Binding("shift+tab", "previous_tab", "Previous tab", priority=True, show=False),
        Binding("c", "copy", "Copy"),
        Binding("slash", "search", "Search"),
        Binding("escape", "list", "List", show=False),
        Binding("l", "next_language", "Language", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self.entries: dict[str, dict[str, Any]] = {}
        self.snippets: dict[str, list[dict[str, str]]] = {}
        self.current: str | None = None
        self.language = "cli"
        self.command = ""
        self.tab_ids: dict[str, str] = {}
        self.generation = 0

    @property
    def foyer(self) -> FoyerApp:
        return cast("FoyerApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalog"):
            with Vertical(id="side"):
                yield Input(placeholder="Search workflows", id="search")
                tree: Tree[str] = Tree("Workflows", id="workflows")
                tree.show_root = False
                yield tree
            with TabbedContent(*TABS, id="detail"):
                with TabPane(TABS[0], id="tldr"), VerticalScroll():
                    yield Static("Loading the catalog…", id="summary")
                    yield Static(id="command")
                with TabPane(TABS[1], id="guide-pane"), VerticalScroll():
                    yield Markdown(id="guide")
                with TabPane(TABS[2], id="snippets-pane"):
                    yield Tabs(id="languages")
                    with VerticalScroll():
                        yield Static(id="snippet")
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        self.query_one("#workflows", Tree).focus()
        self.load_catalog()

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        try:
            items = self.foyer.gateway.get("/api/catalog").get("items") or []
        except CliError as err:
            self.foyer.report(err)
            return
        self.app.call_from_thread(self._show_catalog, items)

    def _show_catalog(self, items: list[dict[str, Any]]) -> None:
        self.items = sorted(items, key=lambda i: (team_of(i), i["id"]))
        self._fill_tree(self.query_one("#search", Input).value)
        if not self.items:
            self.query_one("#summary", Static).update("The catalog is empty.")

    def _fill_tree(self, search: str) -> None:
        tree = self.query_one("#workflows", Tree)
        tree.clear()
        teams: dict[str, Any] = {}
        first = None
        for item in self.items:
            if not matches(item, None, search):
                continue
            team = team_of(item)
            if team not in teams:
                teams[team] = tree.root.add(team, expand=True)
            node = teams[team].add_leaf(escape(item["title"]), data=item["id"])
            first = first or node
        if first is not None:
            # Line 0 is the first team (the root is hidden), line 1 its first workflow;
            # by line, because a new node has no line of its own until the tree lays out.
            tree.move_cursor_to_line(1)
            self._select(first.data)

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._fill_tree(event.value)

    @on(Input.Submitted, "#search")
    def _searched(self) -> None:
        self.query_one("#workflows", Tree).focus()

    @on(Tree.NodeHighlighted, "#workflows")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data:
            self._select(event.node.data)

    @on(Tree.NodeSelected, "#workflows")
    def _chosen(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data:
            self.open_form(event.node.data)

    def _select(self, entry_id: str) -> None:
        if entry_id == self.current:
            return
        self.current = entry_id
        if entry_id in self.entries:
            self._show_entry(self.entries[entry_id], self.snippets.get(entry_id, []))
        else:
            self.load_entry(entry_id)

    @work(thread=True, exclusive=True, group="entry")
    def load_entry(self, entry_id: str) -> None:
        path = f"/api/catalog/{quote(entry_id, safe='')}"
        try:
            entry = self.foyer.gateway.get(path)
            snippets = self.foyer.gateway.get(f"{path}/snippets").get("snippets") or []
        except CliError as err:
            self.foyer.report(err)
            return
        self.app.call_from_thread(self._loaded, entry, snippets)

    def _loaded(self, entry: dict[str, Any], snippets: list[dict[str, str]]) -> None:
        self.entries[entry["id"]] = entry
        self.snippets[entry["id"]] = snippets
        if entry["id"] == self.current:
            self._show_entry(entry, snippets)

    def _show_entry(self, entry: dict[str, Any], snippets: list[dict[str, str]]) -> None:
        self.query_one("#summary", Static).update(summary(entry))
        examples = entry.get("examples") or []
        example = examples[0] if examples else {"inputs": {}, "environment": None}
        self.command = cli_command(
            entry["id"],
            entry["schema"],
            example.get("inputs") or {},
            environment=example.get("environment"),
        )
        self.query_one("#command", Static).update(
            Syntax(self.command, "bash", theme="ansi_dark", word_wrap=True)
        )
        self.query_one("#guide", Markdown).update(entry.get("guide") or "_No guide yet._")
        languages = [s["language"] for s in snippets]
        if languages and self.language not in languages:
            self.language = languages[0]
        tabs = self.query_one("#languages", Tabs)
        if languages != list(self.tab_ids.values()):
            # Tabs are removed asynchronously: new ones get ids of their own generation.
            self.generation += 1
            tabs.clear()
            self.tab_ids = {}
            for snippet in snippets:
                tab_id = f"lang-{self.generation}-{snippet['language']}"
                self.tab_ids[tab_id] = snippet["language"]
                tabs.add_tab(Tab(snippet["label"], id=tab_id))
        for tab_id, language in self.tab_ids.items():
            if language == self.language:
                tabs.active = tab_id
        self._show_snippet()

    @on(Tabs.TabActivated, "#languages")
    def _language(self, event: Tabs.TabActivated) -> None:
        if event.tab.id in self.tab_ids:
            self.language = self.tab_ids[event.tab.id]
            self._show_snippet()

    def _show_snippet(self) -> None:
        code = self.shown_snippet()
        self.query_one("#snippet", Static).update(
            Syntax(code, _LEXERS.get(self.language, "python"), theme="ansi_dark", word_wrap=True)
        )

    def shown_snippet(self) -> str:
        """The code of the snippet in the chosen language, ``""`` before it loaded."""
        for snippet in self.snippets.get(self.current or "", []):
            if snippet["language"] == self.language:
                return snippet["code"]
        return ""

    def action_next_tab(self) -> None:
        self._move_tab(1)

    def action_previous_tab(self) -> None:
        self._move_tab(-1)

    def _move_tab(self, step: int) -> None:
        detail = self.query_one("#detail", TabbedContent)
        panes = ["tldr", "guide-pane", "snippets-pane"]
        detail.active = panes[(panes.index(detail.active) + step) % len(panes)]

    def action_next_language(self) -> None:
        self.query_one("#detail", TabbedContent).active = "snippets-pane"
        self.query_one("#languages", Tabs).action_next_tab()

    def action_copy(self) -> None:
        from foyer.cli.tui.clipboard import copy

        active = self.query_one("#detail", TabbedContent).active
        entry = self.entries.get(self.current or "")
        text = {
            "tldr": self.command,
            "guide-pane": (entry or {}).get("guide", ""),
            "snippets-pane": self.shown_snippet(),
        }.get(active, "")
        if not text:
            self.notify("Nothing to copy yet", severity="warning")
            return
        self.notify(copy(self.app, text), title="Copy")

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_list(self) -> None:
        self.query_one("#workflows", Tree).focus()

    def open_form(self, entry_id: str) -> None:
        """Open the run form of ``entry_id`` once its entry is loaded."""
        from foyer.cli.tui.form import RunForm

        entry = self.entries.get(entry_id)
        if entry is None:
            self.notify("Still loading this workflow…", severity="warning")
            return
        if not entry.get("can_run"):
            groups = ", ".join(entry.get("run_groups") or [])
            self.notify(f"You may not run `{entry_id}`; it is open to: {groups}", severity="error")
            return
        self.app.push_screen(RunForm(entry))


def summary(entry: dict[str, Any]) -> str:
    """The TL;DR of an entry, as rich markup: what it does, who decides, what it takes."""
    approval = entry.get("approval") or {}
    groups = ", ".join(entry.get("approve_groups") or [])
    decides = f"needs approval from {groups}" if approval.get("required") else "no approval"
    rights = [r for r in ("run", "approve") if entry.get(f"can_{r}")]
    lines = [
        f"[b]{escape(entry['title'])}[/b]  [dim]{escape(entry['id'])}[/]",
        "",
        escape(entry.get("description", "").strip()),
        "",
        f"Team: {escape(', '.join(entry.get('owners') or []))} · "
        f"environments: {escape(', '.join(entry.get('environments') or []))} · {decides}",
        f"You can: {', '.join(rights) or 'view'}",
        "",
        "[b]Fields[/b]",
    ]
    order = (entry.get("ui_schema") or {}).get("ui:order")
    for field in fields_of(entry["schema"], order):
        mark = "[red]*[/]" if field.required else " "
        lines.append(f"{mark} [cyan]{field.flag}[/] {field.type_label}  {escape(explain(field))}")
    lines += ["", "[b]Run it[/b] [dim](Enter opens the form)[/]"]
    return "\n".join(lines)
