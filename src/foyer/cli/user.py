"""The commands for requesters and approvers, which talk to the gateway over HTTP only.

Their modules import Typer and the standard library at start-up; httpx,
jsonschema, rich and Textual load inside the commands that use them, so
``foyer --help`` and ``foyer run --help`` stay fast and never load Temporal,
FastAPI or SQLAlchemy.
"""

from __future__ import annotations

import typer

from foyer.cli import decisions, login, run, runs, snippets, workflows

RUN_CONTEXT = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}
"""``foyer run`` parses its own arguments: its options depend on the workflow."""


def register(app: typer.Typer) -> None:
    """Add ``login``, ``whoami``, ``workflows``, ``run``, ``runs``, ``approvals``,
    ``approve``, ``reject``, ``cancel``, ``snippets`` and ``tui`` to ``app``; bare
    ``foyer`` on a terminal opens the terminal app."""
    app.command("login")(login.login)
    app.command("whoami")(login.whoami)
    app.add_typer(workflows.app, name="workflows")
    app.command("run", context_settings=RUN_CONTEXT, add_help_option=False)(run.run)
    app.add_typer(runs.app, name="runs")
    app.command("approvals")(decisions.approvals)
    app.command("approve")(decisions.approve)
    app.command("reject")(decisions.reject)
    app.command("cancel")(decisions.cancel)
    app.command("snippets")(snippets.snippets)
    app.command("tui")(tui)
    app.callback(invoke_without_command=True, no_args_is_help=False)(_root)


def tui(
    profile: str | None = typer.Option(
        None, "--profile", help="Profile in the config file.", show_default=False
    ),
) -> None:
    """Browse workflows, read guides, copy snippets, fill forms and approve, in the terminal."""
    from foyer.cli.output import reported
    from foyer.cli.tui import run_app

    reported(run_app)(profile)


def _root(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is not None or ctx.resilient_parsing:
        return
    from foyer.cli import output

    if output.on_a_terminal():
        tui(None)
        raise typer.Exit(0)
    typer.echo(ctx.get_help())
    raise typer.Exit(0)
