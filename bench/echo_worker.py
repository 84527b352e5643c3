"""The team's worker process: ``BenchEcho``'s worker and, optionally, the team's Nexus handler.

Run as a script it connects with the stack's ``FOYER_*`` variables and prints
``ready`` once it polls. With ``--nexus-handler`` it also serves the team's
Nexus endpoint (``foyer.publish.worker.nexus_worker``) on the same client, as
a team that adds Foyer to its worker does; the handler then starts
``BenchEcho`` eagerly. The workflow worker is tuned like Foyer's router worker
(its module passed through the sandbox), and every path
of the comparison runs its team workflow on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from echo import NAMESPACE, TASK_QUEUE, BenchEcho
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from foyer.catalog import Catalog
from foyer.publish.worker import nexus_worker
from foyer.settings import get_settings
from foyer.signing import Verifier, load_public_keys
from foyer.temporal import connect, run_until_signalled

READY = "ready"
NEXUS_HANDLER = "--nexus-handler"
START_TIMEOUT = 60.0

RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(
        "echo", "foyer.contracts", "pydantic", "pydantic_core"
    )
)


def echo_worker(client: Client) -> Worker:
    """The ``BenchEcho`` worker on a client of the team namespace."""
    return Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[BenchEcho],
        workflow_runner=RUNNER,
    )


async def serve(stop: asyncio.Event, nexus_handler: bool) -> None:
    """Run the workers until ``stop`` is set."""
    settings = get_settings()
    client = await connect(settings, namespace=NAMESPACE)
    async with contextlib.AsyncExitStack() as workers:
        await workers.enter_async_context(echo_worker(client))
        if nexus_handler:
            catalog = Catalog.load(settings.catalog_dir)
            verifier = Verifier(load_public_keys(settings.gateway_public_key_file))
            await workers.enter_async_context(nexus_worker(client, catalog, verifier))
        print(READY, flush=True)
        await stop.wait()


class WorkerFailed(Exception):
    """The worker process did not start; the message holds its last output."""


@contextlib.contextmanager
def spawned(env: Mapping[str, str], nexus_handler: bool) -> Iterator[int]:
    """This script in a child process until the block ends; yields its pid once it polls."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__)), *([NEXUS_HANDLER] if nexus_handler else [])],
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_ready(process)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([process.stdout], [], [], left)[0]:
            break
        line = process.stdout.readline()
        if line.strip() == READY:
            return
        if not line and process.poll() is not None:
            break
        output.append(line)
    tail = "".join(output[-20:]) or "(no output)"
    raise WorkerFailed(f"the BenchEcho worker did not start within {START_TIMEOUT:.0f} s:\n{tail}")


if __name__ == "__main__":
    with_handler = NEXUS_HANDLER in sys.argv[1:]
    run_until_signalled(lambda stop: serve(stop, with_handler))
