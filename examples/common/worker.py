"""A team's workflow worker, configured by the team's own catalog entries.

The entries say where runs go (namespace and task queue, per environment), so
the worker reads them instead of repeating them: one process polls every
namespace and task queue the team's entries name.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from foyer.catalog import Catalog
from foyer.publish.inventory import Inventories
from foyer.settings import get_settings
from foyer.temporal import connect, for_namespace, run_until_signalled


@dataclass(frozen=True)
class Team:
    """What a team runs: its workflows, and its activities built for a client.

    Attributes:
        owner: The team's name in the ``owners`` of its catalog entries.
        workflows: Workflow classes; every entry the team owns names one of them.
        activities: Builds the activities for a client of one of the team's
            namespaces (activities that call Temporal use it; others ignore it).
        inventories: The option sources the team keeps, if any.
    """

    owner: str
    workflows: Sequence[type]
    activities: Callable[[Client], Sequence[Callable[..., Any]]]
    inventories: Inventories | None = None


def task_queues(
    catalog: Catalog, owner: str, inventories: Inventories | None = None
) -> list[tuple[str, str]]:
    """Every (namespace, task queue) that runs of ``owner``'s entries start on, and that
    the team's option inventories run on."""
    queues = {
        (target.namespace, target.task_queue)
        for entry in catalog.entries
        if owner in entry.owners
        for target in entry.targets()
    }
    if inventories is not None:
        queues |= inventories.queues(catalog)
    return sorted(queues)


def team_workers(
    client: Client,
    catalog: Catalog,
    team: Team,
    executor: ThreadPoolExecutor,
    queues: list[tuple[str, str]] | None = None,
) -> list[Worker]:
    """One worker per namespace and task queue of the team's entries, over one connection.

    ``queues`` narrows them down (by default: all of them).
    """
    workers = []
    inventories = team.inventories
    kept = inventories.queues(catalog) if inventories is not None else set()
    if queues is None:
        queues = task_queues(catalog, team.owner, inventories)
    for namespace, queue in queues:
        scoped = for_namespace(client, namespace)
        workflows, activities = list(team.workflows), list(team.activities(scoped))
        if inventories is not None and (namespace, queue) in kept:
            workflows += inventories.workflows
            activities += inventories.activities
        workers.append(
            Worker(
                scoped,
                task_queue=queue,
                workflows=workflows,
                activities=activities,
                activity_executor=executor,
            )
        )
    return workers


NAMESPACES_VARIABLE = "FOYER_WORKER_NAMESPACES"
"""Set by ``foyer up`` from the workers file: serve only these namespaces (comma-separated)."""


def _only(queues: list[tuple[str, str]], declared: str) -> list[tuple[str, str]]:
    wanted = {name.strip() for name in declared.split(",") if name.strip()}
    unknown = wanted - {namespace for namespace, _ in queues}
    if unknown:
        raise SystemExit(
            f"error: {NAMESPACES_VARIABLE} names {', '.join(sorted(unknown))}, where none of "
            "the team's entries runs; fix the workers file"
        )
    return [(namespace, queue) for namespace, queue in queues if namespace in wanted]


async def serve(team: Team, stop: asyncio.Event) -> None:
    """Run the team's workers with Foyer's settings until ``stop`` is set."""
    settings = get_settings()
    catalog = Catalog.load(settings.catalog_dir)
    queues = task_queues(catalog, team.owner, team.inventories)
    if not queues:
        raise SystemExit(f"error: no entry in {settings.catalog_dir} is owned by `{team.owner}`")
    if os.environ.get(NAMESPACES_VARIABLE):
        queues = _only(queues, os.environ[NAMESPACES_VARIABLE])
    client = await connect(settings, namespace=queues[0][0])
    with ThreadPoolExecutor(max_workers=16) as executor:
        async with AsyncExitStack() as stack:
            for worker in team_workers(client, catalog, team, executor, queues):
                await stack.enter_async_context(worker)
            for namespace, queue in queues:
                print(f"serving {queue} in {namespace}", flush=True)
            if team.inventories is not None:
                for namespace in sorted({namespace for namespace, _ in queues}):
                    scoped = for_namespace(client, namespace)
                    started = await team.inventories.start(scoped, catalog)
                    print(f"inventories in {namespace}: {', '.join(started) or 'none'}", flush=True)
            await stop.wait()


def main(team: Team) -> None:
    """``python -m examples.<team>.worker``: serve until SIGINT or SIGTERM."""
    run_until_signalled(lambda stop: serve(team, stop))
