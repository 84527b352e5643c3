"""What routing a run through Foyer costs, against starting the workflow directly.

One tuned dev server, one stack, one trivial team workflow (``echo.BenchEcho``),
three ways to start it:

- direct:  ``client.start_workflow`` in the team namespace (the baseline);
- router:  the gateway's run service called in-process (validation, signing, a
  ``FoyerRouter`` started in the gateway namespace, which reaches the team over
  Nexus), without HTTP;
- gateway: ``POST /api/runs`` with an API key, the whole front door.

Prints a markdown table of latencies (sequential, interleaved) and throughput
(concurrent clients), each with its ratio against direct. See bench/README.md.

    .venv/bin/python bench/latency.py [--runs 200] [--warmup 10]
        [--concurrency 50] [--throughput-runs 500] [--timeout 480]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
from echo import ENTRY_ID, ENTRY_YAML, ENVIRONMENT, NAMESPACE, TASK_QUEUE, WORKFLOW_TYPE, BenchEcho
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.worker import Worker

from foyer.catalog import Catalog, Entry
from foyer.contracts import Identity, RunOutcome, WorkflowRequest
from foyer.contracts.names import new_run_id, run_search_attributes, team_workflow_id
from foyer.db import Stores
from foyer.devstack import Stack, StackConfig, StackError, free_port
from foyer.devstack._config import temporal_binary
from foyer.publish.policy import approval_policy
from foyer.runs import Backend, Caller, RunService
from foyer.signing import Signer, load_private_key, load_secret
from foyer.temporal import connect, for_namespace

REPO = Path(__file__).resolve().parents[1]
PATHS = ("direct", "router", "gateway")
USER = "ada@example.com"
RUN_TIMEOUT = 30.0
"""A single run that takes longer than this is a failure, not a data point."""
STATUS_READS = 50


class BenchError(Exception):
    """A run failed or the stack misbehaved; the message says which run and why."""


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
    sequential: list[Sample] = field(default_factory=list)
    loaded: list[Sample] = field(default_factory=list)
    throughput: float = 0.0
    status_reads: list[float] = field(default_factory=list)
    timeline: list[tuple[str, float]] = field(default_factory=list)


RunOnce = Callable[[int], Awaitable[Sample]]


class Paths:
    """The three ways to start the echo workflow, each returning a timed ``Sample``."""

    def __init__(
        self,
        stack: Stack,
        entry: Entry,
        gateway: Client,
        team: Client,
        http: httpx.AsyncClient,
    ) -> None:
        self.stack = stack
        self.entry = entry
        self.gateway = gateway
        self.team = team
        self.http = http
        settings = stack.settings
        self.runs = RunService(
            Catalog.load(stack.config.catalog_dir),
            Signer(load_private_key(settings.signing_key_file)),
            load_secret(settings.secret_key_file),
            Backend(settings),
            Stores.open(settings.database_url),
        )
        user = next(u for u in stack.credentials["users"] if u["email"] == USER)
        self.identity = Identity(subject=user["email"], name=user["name"], groups=user["groups"])
        self.caller = Caller(self.identity, client="bench")
        self.run_timeout = entry.approval.timeout_seconds + entry.timeout_seconds

    def by_name(self, name: str) -> RunOnce:
        return {"direct": self.direct, "router": self.router, "gateway": self.via_gateway}[name]

    async def direct(self, n: int) -> Sample:
        """What the team's Nexus handler does, done by the caller itself."""
        run_id = new_run_id()
        target = self.entry.target(ENVIRONMENT)
        request = WorkflowRequest(
            run_id=run_id,
            entry_id=ENTRY_ID,
            environment=ENVIRONMENT,
            inputs={"n": n},
            requester=self.identity,
            approval=approval_policy(self.entry),
        )
        t0 = time.time()
        handle = await self.team.start_workflow(
            WORKFLOW_TYPE,
            request,
            id=team_workflow_id(ENTRY_ID, run_id),
            task_queue=target.task_queue,
            execution_timeout=timedelta(seconds=self.run_timeout),
            search_attributes=run_search_attributes(self.identity.subject, ENTRY_ID),
        )
        accepted = time.time()
        result = await handle.result()
        done = time.time()
        return _sample("direct", run_id, n, result, t0, accepted, done)

    async def router(self, n: int) -> Sample:
        """The gateway's run service in-process: validation, signing, the router start; no HTTP."""
        t0 = time.time()
        run, _ = await self.runs.submit(self.caller, ENTRY_ID, {"n": n}, ENVIRONMENT)
        accepted = time.time()
        handle = self.gateway.get_workflow_handle(run.id, result_type=RunOutcome)
        outcome = await handle.result()
        done = time.time()
        return _sample("router", run.id, n, _succeeded(run.id, outcome), t0, accepted, done)

    async def via_gateway(self, n: int) -> Sample:
        """``POST /api/runs``, then the router's result straight from Temporal.

        Waiting on the result rather than polling ``GET /api/runs/{id}`` keeps a
        polling interval out of the numbers; ``status_read`` times the GET.
        """
        body = {"workflow": ENTRY_ID, "environment": ENVIRONMENT, "inputs": {"n": n}}
        t0 = time.time()
        response = await self.http.post("/api/runs", json=body)
        accepted = time.time()
        if response.status_code != 201:
            raise BenchError(f"gateway refused run {n}: {response.status_code} {response.text}")
        run_id = response.json()["id"]
        handle = self.gateway.get_workflow_handle(run_id, result_type=RunOutcome)
        outcome = await handle.result()
        done = time.time()
        return _sample("gateway", run_id, n, _succeeded(run_id, outcome), t0, accepted, done)

    async def status_read(self, run_id: str) -> float:
        """Time one ``GET /api/runs/{id}`` of a finished run, and check it says succeeded."""
        t0 = time.perf_counter()
        response = await self.http.get(f"/api/runs/{run_id}")
        elapsed = time.perf_counter() - t0
        if response.status_code != 200 or response.json().get("status") != "succeeded":
            raise BenchError(
                f"GET /api/runs/{run_id} after it finished: {response.status_code} {response.text}"
            )
        return elapsed


def _succeeded(run_id: str, outcome: RunOutcome) -> Any:
    if outcome.status != "succeeded":
        raise BenchError(f"run {run_id} ended {outcome.status}: {outcome.error}")
    return outcome.result


def _sample(
    path: str, run_id: str, n: int, result: Any, t0: float, accepted: float, done: float
) -> Sample:
    if not isinstance(result, dict) or result.get("n") != n or "started_at" not in result:
        raise BenchError(f"{path} run {run_id} returned {result!r}, not the echo of n={n}")
    return Sample(run_id, t0, accepted - t0, float(result["started_at"]) - t0, done - t0)


async def bounded(path: str, run: RunOnce, n: int) -> Sample:
    try:
        async with asyncio.timeout(RUN_TIMEOUT):
            return await run(n)
    except TimeoutError:
        raise BenchError(f"a {path} run did not finish within {RUN_TIMEOUT:.0f} s") from None


async def sequential(paths: Paths, reports: dict[str, PathReport], runs: int, warmup: int) -> None:
    """Interleave the paths run by run, so drift in the server hits all three alike."""
    for i in range(warmup + runs):
        for name in PATHS:
            sample = await bounded(name, paths.by_name(name), i)
            if i >= warmup:
                reports[name].sequential.append(sample)
    # Read finished gateway runs back as the portal would; not part of the timed path.
    for sample in reports["gateway"].sequential[-STATUS_READS:]:
        reports["gateway"].status_reads.append(await paths.status_read(sample.run_id))


async def timeline(paths: Paths, name: str, sample: Sample) -> list[tuple[str, float]]:
    """Every history event of one run, as milliseconds after the client call."""
    team_id = team_workflow_id(ENTRY_ID, sample.run_id)
    histories = [("team", paths.team.get_workflow_handle(team_id))]
    if name != "direct":
        histories.insert(0, ("router", paths.gateway.get_workflow_handle(sample.run_id)))
    events = []
    for owner, handle in histories:
        for event in (await handle.fetch_history()).events:
            kind = EventType.Name(event.event_type).removeprefix("EVENT_TYPE_").lower()
            at = event.event_time.ToDatetime(tzinfo=UTC).timestamp() - sample.t0
            events.append((f"{owner}: {kind}", 1000 * at))
    events.append(("caller: result in hand", 1000 * sample.result))
    return sorted(events, key=lambda item: item[1])


def median_sample(samples: list[Sample]) -> Sample:
    ordered = sorted(samples, key=lambda s: s.result)
    return ordered[len(ordered) // 2]


async def throughput(
    name: str, run: RunOnce, report: PathReport, total: int, concurrency: int
) -> None:
    """``concurrency`` clients, each starting a run and waiting for it, ``total`` runs in all."""
    counter = itertools.count()

    async def client() -> None:
        while (n := next(counter)) < total:
            report.loaded.append(await bounded(name, run, n))

    t0 = time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(client())
    except ExceptionGroup as group_error:
        raise group_error.exceptions[0] from None
    report.throughput = total / (time.perf_counter() - t0)


async def measure(stack: Stack, args: argparse.Namespace) -> dict[str, PathReport]:
    entry = Catalog.load(stack.config.catalog_dir).get(ENTRY_ID)
    gateway = await connect(stack.settings)
    team = for_namespace(gateway, NAMESPACE)
    api_key = next(u["api_key"] for u in stack.credentials["users"] if u["email"] == USER)
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with (
        Worker(team, task_queue=TASK_QUEUE, workflows=[BenchEcho]),
        httpx.AsyncClient(
            base_url=stack.credentials["gateway_url"],
            headers={"Authorization": f"Bearer {api_key}", "X-Foyer-Client": "bench"},
            timeout=RUN_TIMEOUT,
            limits=limits,
        ) as http,
    ):
        paths = Paths(stack, entry, gateway, team, http)
        reports = {name: PathReport() for name in PATHS}
        started = time.perf_counter()
        await sequential(paths, reports, args.runs, args.warmup)
        _progress(f"sequential: {args.runs} runs per path in {time.perf_counter() - started:.0f} s")
        for name in PATHS:
            report = reports[name]
            report.timeline = await timeline(paths, name, median_sample(report.sequential))
        for name in PATHS:
            started = time.perf_counter()
            await throughput(
                name, paths.by_name(name), reports[name], args.throughput_runs, args.concurrency
            )
            _progress(
                f"throughput {name}: {args.throughput_runs} runs in "
                f"{time.perf_counter() - started:.1f} s"
            )
    return reports


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    # Nearest rank: a value that was actually observed.
    return 1000 * ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


def table(reports: dict[str, PathReport], args: argparse.Namespace) -> str:
    rows: list[tuple[str, Callable[[PathReport], float | None], str]] = []
    for label, attr in (
        ("start call returned", "accepted"),
        ("target workflow running", "target_running"),
        ("result in hand", "result"),
    ):
        for q, qname in ((0.5, "p50"), (0.95, "p95")):
            rows.append(
                (
                    f"{label}, {qname} (ms)",
                    lambda r, a=attr, q=q: _ms([getattr(s, a) for s in r.sequential], q),
                    "{:.1f}",
                )
            )
    rows.append(
        (
            f"throughput, {args.concurrency} clients (wf/s)",
            lambda r: r.throughput,
            "{:.1f}",
        )
    )
    rows.append(
        (
            "result in hand under load, p50 (ms)",
            lambda r: _ms([s.result for s in r.loaded], 0.5),
            "{:.0f}",
        )
    )
    lines = [
        "| metric | direct | router | / direct | gateway | / direct |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, value, fmt in rows:
        base, router, gateway = (value(reports[name]) for name in PATHS)
        lines.append(
            f"| {label} | {fmt.format(base)} | {fmt.format(router)} | {router / base:.2f} "
            f"| {fmt.format(gateway)} | {gateway / base:.2f} |"
        )
    reads = reports["gateway"].status_reads
    lines.append(
        f"| `GET /api/runs/{{id}}` of a finished run, p50 (ms) | | | | {_ms(reads, 0.5):.1f} | |"
    )
    return "\n".join(lines)


def timelines(reports: dict[str, PathReport]) -> str:
    parts = []
    for name in PATHS:
        rows = "\n".join(f"| {event} | {ms:.1f} |" for event, ms in reports[name].timeline)
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


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="timed sequential runs per path")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs per path first")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients")
    parser.add_argument(
        "--throughput-runs", type=int, default=500, help="runs per path under concurrency"
    )
    parser.add_argument(
        "--timeout", type=float, default=480, help="give up after this many seconds in all"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0 or args.concurrency < 1 or args.throughput_runs < 1:
        parser.error("--runs, --concurrency and --throughput-runs must be positive")
    return args


def run(args: argparse.Namespace, state_dir: Path) -> str:
    catalog = state_dir / "catalog"
    (catalog / NAMESPACE).mkdir(parents=True)
    (catalog / NAMESPACE / f"{ENTRY_ID}.yaml").write_text(ENTRY_YAML)
    config = StackConfig(
        state_dir=state_dir / "stack",
        temporal_port=free_port(),
        ui_port=None,
        gateway_port=free_port(),
        moto_port=free_port(),
        catalog_dir=catalog,
        repo_root=REPO,
        logs="files",
        ready_timeout=60,
    )
    started = time.perf_counter()
    load_before = load()
    with Stack(config) as stack:
        _progress(f"stack up in {time.perf_counter() - started:.1f} s, logs in {stack.paths.logs}")
        try:
            reports = asyncio.run(asyncio.wait_for(measure(stack, args), args.timeout))
        except TimeoutError:
            raise BenchError(f"the benchmark did not finish within {args.timeout:.0f} s") from None
        load_after = load()
        crashed = [p.name for p in stack.processes.values() if p.crashed]
        if crashed:
            raise BenchError(f"{', '.join(crashed)} crashed during the benchmark")
    return (
        f"{table(reports, args)}\n\n"
        f"Sequential: {args.runs} timed runs per path after {args.warmup} warm-up runs, "
        f"paths interleaved. Throughput: {args.throughput_runs} runs per path, "
        f"{args.concurrency} concurrent clients.\n"
        f"Machine: {machine()}. Load average (1, 5, 15 min) before the stack started: "
        f"{load_before}; after the last run: {load_after}.\n\n"
        "Timelines of one run per path, from the Temporal histories "
        "(ms after the client call):\n\n"
        f"{timelines(reports)}\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    state_dir = Path(tempfile.mkdtemp(prefix="foyer-bench-"))
    started = time.perf_counter()
    try:
        output = run(args, state_dir)
    except (BenchError, StackError) as err:
        print(f"bench: failed: {err}\nbench: logs kept in {state_dir}", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        print(f"bench: failed unexpectedly\nbench: logs kept in {state_dir}", file=sys.stderr)
        return 1
    print(output, end="")
    _progress(f"done in {time.perf_counter() - started:.0f} s")
    shutil.rmtree(state_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # temporalio's native runtime can crash while the interpreter finalises
    # (sdk-python issue 300); the result is already printed.
    os._exit(code)
