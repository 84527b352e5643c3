"""``foyer worker``: the router worker and a team's Nexus handler worker."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from foyer.cli.errors import CommandError

app = typer.Typer(help="Run Foyer's Temporal workers until interrupted.", no_args_is_help=True)


@app.command("router")
def router() -> None:
    """Run RouterWorkflows in the gateway namespace."""
    from foyer.router.worker import run_router_worker
    from foyer.settings import get_settings
    from foyer.temporal import connect, run_until_signalled

    settings = get_settings()

    async def run(stop: asyncio.Event) -> None:
        client = await connect(settings)
        typer.echo(f"router worker serving namespace {client.namespace}")
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
