"""The bench's markdown: the comparison table, the CPU table, timelines, the machine."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version

import phases

from foyer.devstack import StackError
from foyer.devstack._config import temporal_binary


@dataclass
class Sample:
    """One run, timed from the moment the client call was made (wall clock, seconds)."""

    run_id: str
    t0: float
    """When the client call was made (epoch seconds)."""
    accepted: float
    """The start call returned (the 201 for the gateway)."""
    target_running: float
    """The team workflow's first workflow task started (its ``workflow.now()``)."""
    result: float
    """The caller holds the result."""


@dataclass
class PathReport:
    """Everything measured for one path."""

    sequential: list[Sample] = field(default_factory=list)
    loaded: list[Sample] = field(default_factory=list)
    throughput: float = 0.0
    """Runs completed per second in the steady part of the throughput phase."""
    status_reads: list[float] = field(default_factory=list)
    runs: list[phases.Run] = field(default_factory=list)
    """The histories of every sequential run."""
    timeline: list[tuple[str, float]] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds per process during the throughput phase."""


def ms(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    # Nearest rank: a value that was actually observed.
    return 1000 * ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


def table(reports: Mapping[str, PathReport], concurrency: int) -> str:
    """Latency and throughput of every path, with ratios against the first (direct)."""
    rows: list[tuple[str, Callable[[PathReport], float], str]] = []
    for label, attr in (
        ("start call returned", "accepted"),
        ("target workflow running", "target_running"),
        ("result in hand", "result"),
    ):
        for q, qname in ((0.5, "p50"), (0.95, "p95")):
            rows.append(
                (
                    f"{label}, {qname} (ms)",
                    lambda r, a=attr, q=q: ms([getattr(s, a) for s in r.sequential], q),
                    "{:.1f}",
                )
            )
    rows.append((f"throughput, {concurrency} clients (wf/s)", lambda r: r.throughput, "{:.1f}"))
    rows.append(
        (
            "result in hand under load, p50 (ms)",
            lambda r: ms([s.result for s in r.loaded], 0.5),
            "{:.0f}",
        )
    )
    names = list(reports)
    head = ["metric", names[0]]
    for name in names[1:]:
        head += [name, f"/ {names[0]}"]
    lines = [
        "| " + " | ".join(head) + " |",
        "| --- | " + " | ".join("---:" for _ in head[1:]) + " |",
    ]
    for label, value, fmt in rows:
        base = value(reports[names[0]])
        cells = [fmt.format(base)]
        for name in names[1:]:
            other = value(reports[name])
            cells += [fmt.format(other), f"{other / base:.2f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def status_row(reads: Sequence[float]) -> str:
    return f"`GET /api/runs/{{id}}` of a finished run, p50: {ms(reads, 0.5):.1f} ms"


def cpu_table(reports: Mapping[str, PathReport], runs: int) -> str:
    """CPU per completed run in the throughput phase, by process, and the totals' ratios."""
    names = list(reports)
    per_run = {
        path: {process: 1000 * used / runs for process, used in reports[path].cpu.items()}
        for path in names
    }
    lines = [
        "| CPU per run under load (ms) | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---:" for _ in names) + " |",
    ]
    for process in per_run[names[0]]:
        cells = " | ".join(f"{per_run[path][process]:.1f}" for path in names)
        lines.append(f"| {process} | {cells} |")
    totals = [sum(per_run[path].values()) for path in names]
    lines.append("| **total** | " + " | ".join(f"**{total:.1f}**" for total in totals) + " |")
    ratios = " | ".join(f"{total / totals[0]:.2f}" for total in totals)
    lines.append(f"| total / {names[0]} | {ratios} |")
    return "\n".join(lines)


def timelines(reports: Mapping[str, PathReport]) -> str:
    parts = []
    for name, report in reports.items():
        rows = "\n".join(f"| {event} | {at:.1f} |" for event, at in report.timeline)
        head = f"{name} (the median run by time to result):\n\n| event | ms |\n| --- | ---: |"
        parts.append(f"{head}\n{rows}")
    return "\n\n".join(parts)


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> str:
    try:
        temporal = subprocess.run(
            [temporal_binary(), "--version"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError, StackError):
        temporal = "temporal CLI version unknown"
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, temporalio {version('temporalio')}, {temporal}"
    )
