"""The run form: one widget per schema field, checked like the gateway checks it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Input, Label, OptionList, Select, Static, Switch
from textual.widgets.option_list import Option

from foyer.cli.http import CliError, UsageProblem, new_idempotency_key
from foyer.cli.inputs import parse_value, problems
from foyer.snippets.fields import Field, explain, fields_of, shown

if TYPE_CHECKING:
    from foyer.cli.tui.app import FoyerApp

KEYS = "Tab next field · Ctrl+S start the run · Esc back"


class RunForm(Screen[None]):
    """Fill in a workflow's inputs and start a run."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "submit", "Start run"),
    ]

    def __init__(self, entry: dict[str, Any]) -> None:
        super().__init__()
        self.entry = entry
        order = (entry.get("ui_schema") or {}).get("ui:order")
        self.fields = fields_of(entry["schema"], order)
        # One key per form: pressing Start twice after a lost answer cannot start two runs.
        self.key = new_idempotency_key()

    @property
    def foyer(self) -> FoyerApp:
        return cast("FoyerApp", self.app)

    def compose(self) -> ComposeResult:
        entry = self.entry
        yield Header()
        with VerticalScroll(id="form"):
            yield Static(f"[b]Run {escape(entry['title'])}[/b]  [dim]{escape(entry['id'])}[/]")
            examples = entry.get("examples") or []
            if examples:
                yield Label("Start from an example")
                yield Select(
                    [(e["name"], index) for index, e in enumerate(examples)],
                    prompt="(none)",
                    id="example",
                )
            yield Label("Environment")
            yield Select(
                [(name, name) for name in entry["environments"]],
                value=entry["default_environment"],
                allow_blank=False,
                id="environment",
            )
            for index, field in enumerate(self.fields):
                mark = " [red]*[/]" if field.required else ""
                yield Label(f"{escape(field.title or field.name)}{mark}  [dim]{field.name}[/]")
                if field.description or field.choices or field.has_default:
                    yield Static(escape(explain(field)), classes="help")
                yield self._widget(index, field)
                if field.options_source and field.kind == "string" and not field.choices:
                    yield OptionList(id=f"options-{index}", classes="options")
                yield Static("", id=f"error-{index}", classes="error")
            yield Static("", id="form-error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Start run", id="submit", variant="primary")
                yield Button("Back", id="back")
        yield Static(KEYS, id="keys")

    def _widget(self, index: int, field: Field) -> Widget:
        wid = f"field-{index}"
        if field.kind == "boolean":
            return Switch(value=bool(field.default) if field.has_default else False, id=wid)
        if field.choices:
            options = [(shown(choice), choice) for choice in field.choices]
            value = field.default if field.has_default else Select.NULL
            return Select(options, value=value, allow_blank=not field.has_default, id=wid)
        ui = (self.entry.get("ui_schema") or {}).get(field.name) or {}
        placeholder = ui.get("ui:placeholder") or {
            "array": "comma-separated, or a JSON array",
            "object": "JSON object",
            "json": "JSON",
        }.get(field.kind, field.type_label)
        value = shown(field.default) if field.has_default and field.kind != "array" else ""
        return Input(value=value, placeholder=placeholder, id=wid)

    def on_mount(self) -> None:
        self.query(".error").set(display=False)
        self.query(".options").set(display=False)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        index = _index_of(event.input.id, "field-")
        if index is None or not event.input.has_focus:
            return
        if self.query(f"#options-{index}"):
            self.search_options(index, event.value)

    @work(thread=True, exclusive=True, group="options")
    def search_options(self, index: int, text: str) -> None:
        """Ask the field's option source for the best matches of what was typed."""
        field = self.fields[index]
        params: dict[str, Any] = {"q": text, "limit": 8}
        params["environment"] = self.app.call_from_thread(self._environment)
        for param, name in field.options_params.items():
            value = self.app.call_from_thread(self._value_of, name)
            if value is not None:
                params[param] = value if isinstance(value, str) else dumps(value)
        path = f"/api/options/{quote(field.options_source or '', safe='')}"
        try:
            items = self.foyer.gateway.get(path, params).get("items") or []
        except CliError:
            items = []  # no options to offer; the field still takes any text
        self.app.call_from_thread(self._show_options, index, items)

    def _environment(self) -> Any:
        return self.query_one("#environment", Select).value

    def _value_of(self, name: str) -> Any:
        for index, field in enumerate(self.fields):
            if field.name == name:
                widget = self.query_one(f"#field-{index}")
                if isinstance(widget, Select | Switch):
                    return None if widget.value is Select.NULL else widget.value
                if isinstance(widget, Input):
                    return widget.value.strip() or None
        return None

    def _show_options(self, index: int, items: list[dict[str, Any]]) -> None:
        options = self.query_one(f"#options-{index}", OptionList)
        options.clear_options()
        for item in items:
            label = escape(str(item.get("label") or item["value"]))
            if item.get("description"):
                label += f"  [dim]{escape(str(item['description']))}[/]"
            options.add_option(Option(label, id=str(item["value"])))
        options.display = bool(items)

    @on(OptionList.OptionSelected, ".options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        index = _index_of(event.option_list.id, "options-")
        if index is None or event.option.id is None:
            return
        field_input = self.query_one(f"#field-{index}", Input)
        with field_input.prevent(Input.Changed):
            field_input.value = event.option.id
        event.option_list.display = False
        field_input.focus()

    @on(Select.Changed, "#example")
    def _example(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        example = (self.entry.get("examples") or [])[cast(int, event.value)]
        if example.get("environment"):
            self.query_one("#environment", Select).value = example["environment"]
        inputs = example.get("inputs") or {}
        for index, field in enumerate(self.fields):
            if field.name in inputs:
                self._set(index, field, inputs[field.name])

    def _set(self, index: int, field: Field, value: Any) -> None:
        widget = self.query_one(f"#field-{index}")
        if isinstance(widget, Switch):
            widget.value = bool(value)
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, Input):
            if field.kind == "array" and isinstance(value, list):
                widget.value = ", ".join(shown(v) for v in value)
            else:
                widget.value = shown(value)

    def inputs(self) -> dict[str, Any]:
        """What the form holds, typed like ``foyer run`` types its options.

        Raises:
            UsageProblem: If an object or array field holds text that is not JSON.
        """
        inputs: dict[str, Any] = {}
        for index, field in enumerate(self.fields):
            widget = self.query_one(f"#field-{index}")
            if isinstance(widget, Switch):
                inputs[field.name] = widget.value
            elif isinstance(widget, Select):
                if widget.value is not Select.NULL:
                    inputs[field.name] = widget.value
            elif isinstance(widget, Input):
                text = widget.value.strip()
                if not text:
                    continue
                if field.kind == "array" and not text.startswith("["):
                    inputs[field.name] = parse_value(field, [p.strip() for p in text.split(",")])
                elif field.kind == "array":
                    inputs[field.name] = _json_array(field, text)
                else:
                    inputs[field.name] = parse_value(field, text)
        return inputs

    def show_problems(self, found: list[tuple[str, str]]) -> None:
        """Put each problem under its field; the rest above the buttons."""
        errors = self.query(".error")
        errors.set(display=False)
        index_of = {field.name: index for index, field in enumerate(self.fields)}
        general: list[str] = []
        by_index: dict[int, list[str]] = {}
        for field, message in found:
            parts = field.split(".")
            if parts[0] == "inputs" and len(parts) > 1 and parts[1] in index_of:
                rest = ".".join(parts[2:])
                by_index.setdefault(index_of[parts[1]], []).append(
                    f"{rest}: {message}" if rest else message
                )
            else:
                general.append(f"{field}: {message}" if field else message)
        for index, messages in by_index.items():
            widget = self.query_one(f"#error-{index}", Static)
            widget.update(escape("; ".join(messages)))
            widget.display = True
        if general:
            widget = self.query_one("#form-error", Static)
            widget.update(escape("\n".join(general)))
            widget.display = True

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        try:
            inputs = self.inputs()
        except UsageProblem as err:
            self.show_problems(err.problems)
            return
        found = problems(self.entry["id"], self.entry["schema"], inputs)
        self.show_problems(found)
        if found:
            return
        environment = self.query_one("#environment", Select).value
        body = {"workflow": self.entry["id"], "environment": environment, "inputs": inputs}
        self.query_one("#submit", Button).disabled = True
        self.start(body)

    @work(thread=True, exclusive=True)
    def start(self, body: dict[str, Any]) -> None:
        try:
            _, run = self.foyer.gateway.post_status("/api/runs", body, idempotency_key=self.key)
        except CliError as err:
            self.app.call_from_thread(self._failed, err)
            return
        self.app.call_from_thread(self._started, run)

    def _failed(self, err: CliError) -> None:
        self.query_one("#submit", Button).disabled = False
        self.show_problems(err.problems)

    def _started(self, run: dict[str, Any]) -> None:
        from foyer.cli.tui.run import RunScreen

        self.app.switch_screen(RunScreen(run["id"], run))


def _json_array(field: Field, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as err:
        raise UsageProblem([(f"inputs.{field.name}", f"must be array as JSON ({err})")]) from None


def _index_of(widget_id: str | None, prefix: str) -> int | None:
    if not widget_id or not widget_id.startswith(prefix):
        return None
    suffix = widget_id.removeprefix(prefix)
    return int(suffix) if suffix.isdigit() else None


def dumps(value: Any) -> str:
    """A non-string value as its JSON text."""
    return json.dumps(value, ensure_ascii=False)
