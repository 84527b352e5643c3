"""Where a run's time goes: phases cut from the router's and the team workflow's histories.

Each phase runs from one history event (or the client call) to the next on
the critical path of a run. A phase that a path does not have (direct runs
have no router) is left out of that path's column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Events = Sequence[tuple[str, float]]
"""A history as ``(event type, ms after the client call)`` in history order."""


@dataclass(frozen=True)
class Run:
    """The histories of one run, times in ms after the client call."""

    router: Events
    team: Events
    result: float
    """When the caller held the result."""


def _first(events: Events, kind: str, after: float = float("-inf")) -> float | None:
    return next((at for name, at in events if name == kind and at >= after), None)


def _last(events: Events, kind: str) -> float | None:
    found = [at for name, at in events if name == kind]
    return found[-1] if found else None


def _tasks(events: Events) -> list[tuple[float, float, float]]:
    """Every workflow task as (scheduled, started, completed), in order."""
    tasks: list[tuple[float, float, float]] = []
    scheduled = started = None
    for name, at in events:
        if name == "workflow_task_scheduled":
            scheduled = at
        elif name == "workflow_task_started":
            started = at
        elif name == "workflow_task_completed" and scheduled is not None and started is not None:
            tasks.append((scheduled, started, at))
            scheduled = started = None
    return tasks


def _span(start: float | None, end: float | None) -> float | None:
    return None if start is None or end is None else end - start


Phase = Callable[[Run], float | None]


def _router_first_dispatch(run: Run) -> float | None:
    tasks = _tasks(run.router)
    return tasks[0][1] - tasks[0][0] if tasks else None


def _router_first_run(run: Run) -> float | None:
    tasks = _tasks(run.router)
    return tasks[0][2] - tasks[0][1] if tasks else None


def _nexus_start(run: Run) -> float | None:
    return _span(
        _first(run.router, "nexus_operation_scheduled"),
        _first(run.team, "workflow_execution_started"),
    )


def _team_dispatch(run: Run) -> float | None:
    tasks = _tasks(run.team)
    return tasks[0][1] - tasks[0][0] if tasks else None


def _team_run(run: Run) -> float | None:
    tasks = _tasks(run.team)
    return tasks[0][2] - tasks[0][1] if tasks else None


def _callback(run: Run) -> float | None:
    return _span(
        _first(run.team, "workflow_execution_completed"),
        _first(run.router, "nexus_operation_completed"),
    )


def _router_last_task(run: Run) -> tuple[float, float, float] | None:
    completed = _first(run.router, "nexus_operation_completed")
    if completed is None:
        return None
    after = [task for task in _tasks(run.router) if task[2] >= completed]
    return after[-1] if after else None


def _router_last_wait(run: Run) -> float | None:
    task = _router_last_task(run)
    return _span(_first(run.router, "nexus_operation_completed"), task and task[1])


def _router_last_run(run: Run) -> float | None:
    task = _router_last_task(run)
    return None if task is None else task[2] - task[1]


def _client_start(run: Run) -> float | None:
    return _first(run.router or run.team, "workflow_execution_started")


def _delivery(run: Run) -> float | None:
    return _span(_last(run.router or run.team, "workflow_execution_completed"), run.result)


PHASES: list[tuple[str, Phase]] = [
    ("call → first workflow started (client, HTTP, start RPC)", _client_start),
    ("router task 1: queued (scheduled → started)", _router_first_dispatch),
    ("router task 1: run (started → completed)", _router_first_run),
    ("Nexus start: operation scheduled → team workflow started", _nexus_start),
    ("team task: queued", _team_dispatch),
    ("team task: run", _team_run),
    ("completion callback: team completed → operation completed", _callback),
    ("router last task: operation completed → started", _router_last_wait),
    ("router last task: run", _router_last_run),
    ("last workflow completed → result in hand", _delivery),
]


def router_tasks(run: Run) -> float | None:
    """How many workflow tasks the router needed; ``None`` without a router."""
    return float(len(_tasks(run.router))) if run.router else None


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def breakdown(runs: Mapping[str, Sequence[Run]]) -> str:
    """A markdown table: the median of each phase, per path (column)."""
    paths = list(runs)
    lines = [
        "| phase, p50 (ms) | " + " | ".join(paths) + " |",
        "| --- | " + " | ".join("---:" for _ in paths) + " |",
    ]
    rows: list[tuple[str, Phase, str]] = [(label, phase, "{:.1f}") for label, phase in PHASES]
    rows.append(("router workflow tasks per run", router_tasks, "{:.0f}"))
    for label, phase, fmt in rows:
        cells = []
        for path in paths:
            values = [v for v in (phase(run) for run in runs[path]) if v is not None]
            # A phase counts for a path only if most of its runs have it.
            cells.append(fmt.format(median(values)) if len(values) * 2 > len(runs[path]) else "")
        if any(cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
