"""``foyer worker``: the router worker and a team's Nexus handler worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from foyer.cli.errors import CommandError

if TYPE_CHECKING:
    import asyncio  # annotations only: `foyer --help` need not load asyncio

app = typer.Typer(help="Run Foyer's Temporal workers until interrupted.", no_args_is_help=True)


@app.command("router")
def router() -> None:
    """Run RouterWorkflows and scheduled runs in the gateway namespace.

    Scheduled runs are submitted through the run service, as the gateway
    submits any run, so this process needs the gateway's catalog, identity
    directory, signing key and secret.
    """
    from foyer.gateway.state import GatewayState
    from foyer.router.worker import run_router_worker
    from foyer.schedules.submit import ScheduledSubmitter
    from foyer.schedules.worker import schedules_worker
    from foyer.settings import get_settings
    from foyer.temporal import connect, run_until_signalled

    settings = get_settings()

    async def run(stop: asyncio.Event) -> None:
        client = await connect(settings)
        state = GatewayState(settings)
        submitter = ScheduledSubmitter(state.catalog, state.users, state.runs)
        typer.echo(f"router worker serving namespace {client.namespace}")
        async with schedules_worker(client, submitter):
            await run_router_worker(client, stop)

    run_until_signalled(run)


@app.command("nexus")
def nexus(
    namespace: Annotated[str, typer.Option(help="Team namespace whose endpoint to serve.")],
) -> None:
    """Serve a team's Nexus endpoint, generated from its catalog entries."""
    from foyer.catalog import Catalog
    from foyer.publish.worker import run_nexus_worker
    from foyer.settings import get_settings
    from foyer.signing import Verifier, load_public_keys
    from foyer.temporal import connect, run_until_signalled

    settings = get_settings()
    catalog = Catalog.load(settings.catalog_dir)
    entries = catalog.for_namespace(namespace)
    if not entries:
        raise CommandError(f"No catalog entry in {settings.catalog_dir} uses namespace {namespace}")
    verifier = Verifier(load_public_keys(settings.gateway_public_key_file))

    async def run(stop: asyncio.Event) -> None:
        client = await connect(settings, namespace=namespace)
        names = ", ".join(entry.workflow_type for entry in entries)
        typer.echo(f"nexus worker serving {namespace}: {names}")
        await run_nexus_worker(client, catalog, verifier, stop)

    run_until_signalled(run)
