"""What a router run costs its worker, replayed in this process under each workflow runner.

Replaying recorded router histories runs the same workflow code a worker
runs for them, without the network, so the CPU it takes compares runners
without the noise of a shared machine: the default sandbox, the router
worker's (its module passed through) and no sandbox at all. The first task,
which sets up the workflow's sandbox, is also replayed on its own.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from foyer.router.worker import ROUTER_RUNNER
from foyer.router.workflow import RouterWorkflow

RUNNERS: Mapping[str, WorkflowRunner] = {
    "default sandbox": SandboxedWorkflowRunner(),
    "router worker's sandbox (module passed through)": ROUTER_RUNNER,
    "no sandbox": UnsandboxedWorkflowRunner(),
}
REPEATS = 3
"""Each runner replays the histories this many times, interleaved with the others."""


def first_task(history: WorkflowHistory) -> WorkflowHistory:
    """The history up to the end of its first workflow task."""
    events = list(history.events)
    end = next(
        i
        for i, event in enumerate(events)
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    )
    return WorkflowHistory(history.workflow_id, events[: end + 1])


async def _each(histories: Sequence[WorkflowHistory]) -> AsyncIterator[WorkflowHistory]:
    for history in histories:
        yield history


async def cpu_per_run(
    histories: Sequence[WorkflowHistory],
) -> dict[str, tuple[float, float]]:
    """Milliseconds of this process's CPU per run and per first task, for each runner."""
    firsts = [first_task(history) for history in histories]
    spent = {name: [0.0, 0.0] for name in RUNNERS}
    for repeat in range(REPEATS + 1):
        for name, runner in RUNNERS.items():
            replayer = Replayer(
                workflows=[RouterWorkflow],
                workflow_runner=runner,
                data_converter=pydantic_data_converter,
            )
            for index, batch in enumerate((histories, firsts)):
                started = time.process_time()
                await replayer.replay_workflows(_each(batch))
                # The first pass warms up imports and caches; it is not counted.
                if repeat:
                    spent[name][index] += time.process_time() - started
    runs = REPEATS * len(histories)
    return {
        name: (1000 * whole / runs, 1000 * first / runs) for name, (whole, first) in spent.items()
    }


def table(costs: Mapping[str, tuple[float, float]], runs: int) -> str:
    lines = [
        f"| runner (replaying {runs} router runs) | CPU per run (ms) | first task (ms) |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {whole:.2f} | {first:.2f} |" for name, (whole, first) in costs.items()]
    return "\n".join(lines)
