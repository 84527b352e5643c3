"""``foyer run ID``: start a workflow, with one option per input field.

The options are generated at run time from the entry the gateway serves
(``GET /api/catalog/{id}``), so a new field in the catalog is a new option
without a new release of the CLI. ``foyer run ID --help`` lists them.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from foyer.cli.output import reported

if TYPE_CHECKING:
    from foyer.cli.http import Gateway
    from foyer.cli.output import Format
    from foyer.snippets.fields import Field

_VALUED = {"--environment", "-e", "--example", "--inputs-file", "--idempotency-key"}
_VALUED |= {"--output", "-o", "--profile"}


def run(ctx: typer.Context) -> None:
    """Start a workflow; `foyer run ID --help` lists its input options.

    Each input field of the workflow's schema is an option: `--table-name VALUE`
    (or `--table_name`), booleans as `--dry-run/--no-dry-run`, arrays by repeating
    the option, objects as JSON. Exits 0 once the gateway accepted the run; with
    --wait, exits with the run's final status (0 succeeded, 10 failed,
    11 rejected, 12 cancelled).
    """
    main(list(ctx.args))


def main(args: Sequence[str]) -> None:
    """Parse ``args`` (everything after ``foyer run``) and start the run."""
    workflow, rest = split_workflow(args)
    if workflow is None:
        command = run_command(None)
        command.main(args=rest or ["--help"], prog_name="foyer run ID", standalone_mode=True)
        return
    entry, gateway = _load(workflow, _profile_of(rest))
    with gateway:
        command = run_command(entry, gateway)
        command.main(args=rest, prog_name=f"foyer run {workflow}", standalone_mode=True)


def split_workflow(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """The workflow id (the first positional argument) and every other argument."""
    expecting_value = False
    for index, arg in enumerate(args):
        if arg == "--":
            tail = list(args[index + 1 :])
            return (tail[0], list(args[:index]) + tail[1:]) if tail else (None, list(args))
        if expecting_value:
            expecting_value = False
            continue
        if arg.startswith("-"):
            expecting_value = arg in _VALUED
            continue
        return arg, list(args[:index]) + list(args[index + 1 :])
    return None, list(args)


def _profile_of(args: Sequence[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--profile" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--profile="):
            return arg.split("=", 1)[1]
    return None


@reported
def _load(workflow: str, profile: str | None) -> tuple[dict[str, Any], Gateway]:
    from urllib.parse import quote

    from foyer.cli.http import open_gateway

    gateway = open_gateway(profile)
    try:
        entry = gateway.get(f"/api/catalog/{quote(workflow, safe='')}")
    except BaseException:
        gateway.close()
        raise
    return entry, gateway


def run_command(entry: dict[str, Any] | None, gateway: Gateway | None = None) -> Any:
    """The command for ``foyer run ID``: its own options plus one per input field.

    Built as a Typer command from a generated signature, so its help looks like
    every other command's, with the workflow's fields in a panel of their own.
    """
    from foyer.cli.output import Format
    from foyer.snippets.fields import fields_of

    fields = []
    if entry is not None:
        fields = fields_of(entry["schema"], (entry.get("ui_schema") or {}).get("ui:order"))
    environments = ", ".join(entry["environments"]) if entry else ""
    examples = ", ".join(f"`{e['name']}`" for e in (entry or {}).get("examples") or [])
    params = [
        _parameter(
            "environment",
            str | None,
            None,
            "--environment",
            "-e",
            metavar="ENV",
            help="Environment to run in (default: the example's, else the entry's)."
            + (f" One of: {environments}." if environments else ""),
        ),
        _parameter(
            "example",
            str | None,
            None,
            "--example",
            metavar="NAME",
            help="Start from a catalog example's inputs."
            + (f" One of: {examples}." if examples else ""),
        ),
        _parameter(
            "inputs_file",
            Path | None,
            None,
            "--inputs-file",
            metavar="FILE",
            dir_okay=False,
            help="A JSON object of inputs; options given override its fields.",
        ),
        _parameter(
            "idempotency_key",
            str | None,
            None,
            "--idempotency-key",
            metavar="KEY",
            help="Retrying with the same key returns the same run (default: a new key).",
        ),
        _parameter("yes", bool, False, "--yes", "-y", help="Start without asking to confirm."),
        _parameter(
            "wait",
            bool,
            False,
            "--wait",
            help="Follow the run to its end; exit 0 succeeded, 10 failed, 11 rejected, "
            "12 cancelled.",
        ),
        _parameter(
            "output",
            Format,
            Format.text,
            "--output",
            "-o",
            help="text for people, json for scripts.",
        ),
        _parameter(
            "profile",
            str | None,
            None,
            "--profile",
            metavar="NAME",
            help="Profile in the config file.",
        ),
    ]
    by_param: dict[str, Field] = {}
    panel = f"Inputs of {entry['id']}" if entry else "Inputs"
    for index, field in enumerate(fields):
        name = f"input_{index}"
        by_param[name] = by_param[f"{name}_snake"] = field
        params += _field_parameters(name, field, panel)

    def callback(**values: Any) -> None:
        if entry is None or gateway is None:
            raise typer.BadParameter("name the workflow: foyer run ID [OPTIONS]", param_hint="ID")
        inputs: dict[str, Any] = {}
        # The kebab-case spelling comes first and wins over its snake_case twin.
        for key, value in values.items():
            if key in by_param and value not in (None, [], ()):
                inputs.setdefault(by_param[key].name, value)
        static = {k: v for k, v in values.items() if k not in by_param}
        _start(entry, gateway, fields, inputs, **static)

    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in params}
    description = (
        f"{entry['title']}: {entry['description']}".strip()
        if entry
        else "Start a workflow. Each field of its input schema is an option; "
        "`foyer run ID --help` lists them, `foyer workflows list` shows the IDs."
    )
    app = typer.Typer(add_completion=False)
    app.command(
        name="run",
        help=description,
        context_settings={"help_option_names": ["--help", "-h"]},
    )(callback)
    return typer.main.get_command(app)


def _parameter(name: str, kind: Any, default: Any, *decls: str, **info: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, typer.Option(*decls, show_default=False, **info)],
    )


def _field_parameters(name: str, field: Field, panel: str) -> list[inspect.Parameter]:
    """The field's option, and its snake_case spelling as a hidden twin when that differs."""
    from foyer.snippets.fields import explain

    notes = explain(field)
    if field.required:
        notes += " Required."
    info: dict[str, Any] = {"rich_help_panel": panel}
    kind: Any = str | None
    if field.kind == "boolean":
        kind = bool | None
    else:
        info["metavar"] = metavar_of(field)
        if field.kind == "array":
            kind = list[str] | None
            notes += " Repeat the option for each item."
    notes = notes.strip().replace("[", "\\[")  # help is rich markup; brackets are literal here
    parameters = []
    for index, spelling in enumerate(field.spellings):
        negative = ("--no-" if index == 0 else "--no_") + spelling[2:]
        decl = f"{spelling}/{negative}" if field.kind == "boolean" else spelling
        parameters.append(
            _parameter(
                name if index == 0 else f"{name}_snake",
                kind,
                None,
                decl,
                help=notes,
                hidden=index > 0,
                **info,
            )
        )
    return parameters


def metavar_of(field: Field) -> str:
    """``TEXT``, ``INTEGER``, ``NUMBER`` or ``JSON``: what the option's value looks like."""
    if field.kind in ("object", "json") or field.item_kind in ("object", "array", "json"):
        return "JSON"
    kind = field.item_kind if field.kind == "array" else field.kind
    return {"integer": "INTEGER", "number": "NUMBER"}.get(kind or "", "TEXT")


@reported
def _start(
    entry: dict[str, Any],
    gateway: Gateway,
    fields: list[Field],
    given: dict[str, Any],
    *,
    environment: str | None,
    example: str | None,
    inputs_file: Path | None,
    idempotency_key: str | None,
    yes: bool,
    wait: bool,
    output: Format,
    profile: str | None,
) -> None:
    from foyer.cli.http import UsageProblem, new_idempotency_key
    from foyer.cli.inputs import example_named, parse_value, problems

    inputs: dict[str, Any] = {}
    chosen_example = example_named(entry.get("examples") or [], example) if example else None
    if chosen_example:
        inputs.update(chosen_example.get("inputs") or {})
        environment = environment or chosen_example.get("environment")
    if inputs_file is not None:
        inputs.update(_read_inputs(inputs_file))
    by_name = {f.name: f for f in fields}
    for name, raw in given.items():
        if raw is None or raw == ():
            continue
        inputs[name] = raw if isinstance(raw, bool) else parse_value(by_name[name], raw)

    environment = environment or entry["default_environment"]
    if environment not in entry["environments"]:
        allowed = ", ".join(entry["environments"])
        raise UsageProblem(
            [
                (
                    "environment",
                    f"Workflow `{entry['id']}` has no environment `{environment}`; "
                    f"choose one of: {allowed}",
                )
            ]
        )
    found = problems(entry["id"], entry["schema"], inputs)
    if found:
        raise UsageProblem(found)

    body = {"workflow": entry["id"], "environment": environment, "inputs": inputs}
    key = idempotency_key or new_idempotency_key()
    if not yes:
        _confirm(gateway, body, key)
    status, started = gateway.post_status("/api/runs", body, idempotency_key=key)
    if output == "json" and not wait:
        from foyer.cli.output import print_json

        print_json(started)
    elif output == "text":
        _report_started(started, created=status == 201)
    if wait:
        from foyer.cli.runs import follow

        raise typer.Exit(follow(gateway, started, output=output.value, quiet_start=True))


def _read_inputs(path: Path) -> dict[str, Any]:
    from foyer.cli.http import UsageProblem

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageProblem([("inputs-file", f"cannot read {path}: {err.strerror}")]) from None
    except ValueError as err:
        raise UsageProblem([("inputs-file", f"{path} is not JSON: {err}")]) from None
    if not isinstance(value, dict):
        raise UsageProblem([("inputs-file", f"{path} must hold a JSON object of inputs")])
    return value


def _confirm(gateway: Gateway, body: dict[str, Any], key: str) -> None:
    from foyer.cli.http import CliError, UsageProblem
    from foyer.cli.output import stdin_is_terminal

    if not stdin_is_terminal():
        raise UsageProblem(
            f"not starting `{body['workflow']}` without a confirmation, and there is no "
            "terminal to ask on; pass --yes to start it"
        )
    typer.echo(f"POST {gateway.profile.url}/api/runs", err=True)
    typer.echo(f"Idempotency-Key: {key}", err=True)
    typer.echo(json.dumps(body, indent=2, ensure_ascii=False), err=True)
    if not typer.confirm("Start this run?", default=False, err=True):
        raise CliError("not started")


def _report_started(run: dict[str, Any], *, created: bool) -> None:
    verb = "Started" if created else "Already started (same Idempotency-Key)"
    title = run.get("title") or run["workflow"]
    typer.echo(f"{verb} {run['id']}: {title} in {run['environment']}, {run['status']}.")
    for label, url in link_lines(run):
        typer.echo(f"  {label:<9} {url}")
    typer.echo(f"Follow it: foyer runs watch {run['id']}")


def link_lines(run: dict[str, Any]) -> list[tuple[str, str]]:
    """The run's links worth showing a person, labelled."""
    links = run.get("links") or {}
    labels = (
        ("portal", "portal"),
        ("self", "api"),
        ("temporal_ui", "router"),
        ("team_temporal_ui", "team"),
    )
    # A link is only worth printing when it is absolute (no Temporal UI gives relative ones).
    return [
        (label + ":", links[key])
        for key, label in labels
        if str(links.get(key) or "").startswith(("http://", "https://"))
    ]
