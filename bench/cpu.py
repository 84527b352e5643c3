"""CPU time of each process of the stack while the bench runs, and py-spy profiles of them.

Every process the stack starts leads its own process group, so a group's CPU
is read by summing ``/proc/<pid>/stat`` over the processes in it. The bench
process itself (clients, the run service, the team's ``BenchEcho`` worker and,
with eager start, a router worker) is read with ``getrusage``.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BENCH = "bench process"
PY_SPY_RATE = 250
"""Samples per second; py-spy's default of 100 misses short workflow tasks."""


def group_cpu(pgid: int) -> float:
    """CPU seconds used so far by the live processes of one process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces and parentheses; fields follow the last ")".
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """Snapshots of CPU seconds per named process (group)."""

    def __init__(self, groups: Mapping[str, int]) -> None:
        self.groups = dict(groups)

    def snapshot(self) -> dict[str, float]:
        used = {name: group_cpu(pgid) for name, pgid in self.groups.items()}
        used[BENCH] = own_cpu()
        return used

    @staticmethod
    def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
        return {name: after[name] - before[name] for name in before}


def py_spy() -> str:
    """The py-spy binary next to this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.is_file() else shutil.which("py-spy")
    if found is None:
        raise FileNotFoundError("--profile needs py-spy; run `make install`")
    return found


@contextlib.contextmanager
def profiled(pids: Mapping[str, int], directory: Path | None, phase: str) -> Iterator[None]:
    """Sample each process with py-spy while the block runs; one flame graph per process.

    ``directory`` ``None`` profiles nothing. Each graph is an SVG named
    ``<phase>-<process>.svg`` (``router-team-worker-nexus-handler.svg``). Threads
    waiting in ``select`` or on a queue still show as frames of their own.
    """
    if directory is None:
        yield
        return
    binary = py_spy()
    directory.mkdir(parents=True, exist_ok=True)
    recorders = []
    for name, pid in pids.items():
        stem = f"{phase}-" + "-".join(re.findall(r"[a-z0-9]+", name.lower()))
        output = directory / f"{stem}.svg"
        log = (directory / f"{stem}.log").open("w")
        argv = [binary, "record", "--pid", str(pid), "--rate", str(PY_SPY_RATE)]
        argv += ["--nonblocking", "--threads", "--format", "flamegraph", "--output", str(output)]
        recorders.append((subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT), log))
    try:
        yield
    finally:
        for recorder, _ in recorders:
            # SIGINT makes py-spy stop sampling and write what it has.
            recorder.send_signal(signal.SIGINT)
        for recorder, log in recorders:
            try:
                recorder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                recorder.kill()
                recorder.wait()
            log.close()
