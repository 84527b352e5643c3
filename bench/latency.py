"""What routing a run through Foyer costs, against starting the workflow directly.

One tuned dev server, one stack, one trivial team workflow (``echo.BenchEcho``)
served by the team's worker in a process of its own, three ways to start it:

- direct:  ``client.start_workflow`` in the team namespace (the baseline);
- router:  the gateway's run service called in-process (validation, signing, a
  ``FoyerRouter`` started in the gateway namespace, which reaches the team over
  Nexus), without HTTP;
- gateway: ``POST /api/runs`` with an API key, the whole front door.

Every client asks for eager start. It takes effect where the client's process
runs a worker for the task queue it starts on: the gateway runs a router
worker (``FOYER_GATEWAY_ROUTER_WORKER``) and so does this process for the
router path; a direct caller does not run the team's worker, so its starts
go through the task queue. ``--no-eager`` runs no router worker beside
either client.

Prints markdown: latencies (sequential, interleaved) and throughput
(concurrent clients) with ratios against direct, the median of each phase of
a run, the CPU each process spends per run, and one timeline per path. See
bench/README.md.

    .venv/bin/python bench/latency.py [--runs 200] [--warmup 10]
        [--concurrency 50] [--throughput-runs 500] [--rounds 2] [--timeout 900]
        [--no-eager] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import echo_worker
import httpx
import phases
import replay
import report
from cpu import BENCH, CpuMeter, profiled
from echo import ENTRY_ID, ENTRY_YAML, ENVIRONMENT, NAMESPACE, WORKFLOW_TYPE
from report import PathReport, Sample
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle

from foyer.catalog import Catalog, Entry
from foyer.contracts import Identity, RunOutcome, WorkflowRequest
from foyer.contracts.names import new_run_id, run_search_attributes, team_workflow_id
from foyer.db import Stores
from foyer.devstack import Stack, StackConfig, StackError
from foyer.publish.policy import approval_policy
from foyer.router.worker import router_worker
from foyer.runs import Backend, Caller, RunService
from foyer.signing import Signer, load_private_key, load_secret
from foyer.temporal import connect, for_namespace

REPO = Path(__file__).resolve().parents[1]
PATHS = ("direct", "router", "gateway")
USER = "ada@example.com"
RUN_TIMEOUT = 60.0
"""A single run that takes longer than this is a failure, not a data point. Generous:
the dev server retries a SQLite timeout with backoff, and a loaded 2-core machine hits them."""
STATUS_READS = 50
REPLAYS = 50
"""Router histories replayed under each workflow runner (``replay.py``)."""
TEAM_WORKER = "team worker"
NEXUS_PROCESS = f"nexus-{NAMESPACE}"
STACK_PROCESSES = ("temporal", "router-worker", NEXUS_PROCESS, "gateway")
"""The stack's processes on a run's path; moto and the example team's worker only idle."""


class BenchError(Exception):
    """A run failed or the stack misbehaved; the message says which run and why."""


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
            approval=approval_policy(self.entry, target.environment),
        )
        t0 = time.time()
        handle = await self.team.start_workflow(
            WORKFLOW_TYPE,
            request,
            id=team_workflow_id(ENTRY_ID, run_id),
            task_queue=target.task_queue,
            execution_timeout=timedelta(seconds=self.run_timeout),
            search_attributes=run_search_attributes(self.identity.subject, ENTRY_ID),
            # Asked for like every other path; no BenchEcho worker shares this client.
            request_eager_start=True,
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

    @contextlib.asynccontextmanager
    async def router_worker_beside_run_service(self) -> AsyncIterator[None]:
        """A router worker on the run service's own client, as the gateway runs one."""
        async with router_worker(await self.runs.backend.client()):
            yield


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


async def history(paths: Paths, name: str, sample: Sample) -> phases.Run:
    """Both histories of one run, as event names and milliseconds after the client call."""

    async def events(handle: WorkflowHandle[Any, Any]) -> list[tuple[str, float]]:
        found = []
        for event in (await handle.fetch_history()).events:
            kind = EventType.Name(event.event_type).removeprefix("EVENT_TYPE_").lower()
            at = event.event_time.ToDatetime(tzinfo=UTC).timestamp() - sample.t0
            found.append((kind, 1000 * at))
        return found

    team = await events(paths.team.get_workflow_handle(team_workflow_id(ENTRY_ID, sample.run_id)))
    router = []
    if name != "direct":
        router = await events(paths.gateway.get_workflow_handle(sample.run_id))
    return phases.Run(router=router, team=team, result=1000 * sample.result)


async def histories(paths: Paths, name: str, samples: list[Sample]) -> list[phases.Run]:
    limit = asyncio.Semaphore(8)

    async def one(sample: Sample) -> phases.Run:
        async with limit:
            return await history(paths, name, sample)

    return list(await asyncio.gather(*(one(sample) for sample in samples)))


def timeline(run: phases.Run) -> list[tuple[str, float]]:
    """Every history event of one run, as milliseconds after the client call."""
    events = [(f"router: {kind}", at) for kind, at in run.router]
    events += [(f"team: {kind}", at) for kind, at in run.team]
    events.append(("caller: result in hand", run.result))
    return sorted(events, key=lambda item: item[1])


def median_sample(samples: list[Sample]) -> Sample:
    ordered = sorted(samples, key=lambda s: s.result)
    return ordered[len(ordered) // 2]


async def under_load(
    name: str, run: RunOnce, runs: range, concurrency: int
) -> tuple[list[Sample], float]:
    """``concurrency`` clients, each starting a run and waiting for it, until ``runs`` are done.

    Returns the samples and the steady rate: runs completed per second between
    the first and the last ``concurrency`` completions, when every client was busy.
    """
    numbers = iter(runs)
    samples: list[Sample] = []
    completed: list[float] = []

    async def client() -> None:
        for n in numbers:
            samples.append(await bounded(name, run, n))
            completed.append(time.perf_counter())

    t0 = time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(client())
    except ExceptionGroup as group_error:
        raise group_error.exceptions[0] from None
    edge = min(concurrency, len(completed) // 4)
    first, last = completed[edge - 1] if edge else t0, completed[-edge - 1]
    steady = (len(completed) - 2 * edge) / (last - first) if last > first else 0.0
    return samples, steady


async def throughput(
    paths: Paths,
    reports: dict[str, PathReport],
    meter: CpuMeter,
    pids: dict[str, int],
    args: argparse.Namespace,
) -> None:
    """Each path under ``args.concurrency`` clients, in rounds whose order alternates.

    Alternating the order (direct, router, gateway; then gateway, router,
    direct) spreads drift in the machine's load over every path alike.
    """
    per_round = -(-args.throughput_runs // args.rounds)
    rates: dict[str, list[tuple[int, float]]] = {name: [] for name in PATHS}
    for round_ in range(args.rounds):
        for name in PATHS if round_ % 2 == 0 else tuple(reversed(PATHS)):
            report_ = reports[name]
            first = round_ * per_round
            runs = range(first, min(first + per_round, args.throughput_runs))
            started = time.perf_counter()
            before = meter.snapshot()
            with profiled(pids, args.profile if round_ == 0 else None, name):
                samples, rate = await under_load(name, paths.by_name(name), runs, args.concurrency)
            spent = meter.spent(before, meter.snapshot())
            report_.cpu = {k: report_.cpu.get(k, 0.0) + v for k, v in spent.items()}
            report_.loaded += samples
            rates[name].append((len(samples), rate))
            _progress(
                f"throughput {name}, round {round_ + 1}: {len(samples)} runs in "
                f"{time.perf_counter() - started:.1f} s"
            )
    for name, measured in rates.items():
        # Each round weighs by its runs: the mean rate over every run.
        total = sum(count for count, _ in measured)
        seconds = sum(count / rate for count, rate in measured if rate > 0)
        reports[name].throughput = total / seconds if seconds else 0.0


async def measure(
    stack: Stack, team_pid: int, args: argparse.Namespace
) -> tuple[dict[str, PathReport], str]:
    """Every path's report, and the table of the router's worker cost by runner."""
    entry = Catalog.load(stack.config.catalog_dir).get(ENTRY_ID)
    gateway = await connect(stack.settings)
    team = for_namespace(gateway, NAMESPACE)
    api_key = next(u["api_key"] for u in stack.credentials["users"] if u["email"] == USER)
    limits = httpx.Limits(
        max_connections=args.concurrency,
        max_keepalive_connections=args.concurrency,
        # Below uvicorn's 5 s, so the pool never reuses a connection the gateway is closing.
        keepalive_expiry=2.0,
    )
    async with (
        httpx.AsyncClient(
            base_url=stack.credentials["gateway_url"],
            headers={"Authorization": f"Bearer {api_key}", "X-Foyer-Client": "bench"},
            timeout=RUN_TIMEOUT,
            limits=limits,
        ) as http,
        contextlib.AsyncExitStack() as beside,
    ):
        paths = Paths(stack, entry, gateway, team, http)
        if args.eager:
            await beside.enter_async_context(paths.router_worker_beside_run_service())
        reports = {name: PathReport() for name in PATHS}
        started = time.perf_counter()
        await sequential(paths, reports, args.runs, args.warmup)
        _progress(f"sequential: {args.runs} runs per path in {time.perf_counter() - started:.0f} s")
        for name in PATHS:
            report_ = reports[name]
            report_.runs = await histories(paths, name, report_.sequential)
            median = median_sample(report_.sequential)
            report_.timeline = timeline(report_.runs[report_.sequential.index(median)])
        groups = {
            name: process.pid or 0
            for name in STACK_PROCESSES
            if (process := stack.processes[name]).alive
        }
        team_label = f"{TEAM_WORKER} + Nexus handler" if args.eager else TEAM_WORKER
        meter = CpuMeter(groups | {team_label: team_pid})
        # py-spy reads Python processes only; the server is Go.
        pids = {name: pid for name, pid in groups.items() if name != "temporal"}
        pids |= {team_label: team_pid, BENCH: os.getpid()}
        await throughput(paths, reports, meter, pids, args)
        samples = reports["router"].sequential[-REPLAYS:]
        recorded = [await gateway.get_workflow_handle(s.run_id).fetch_history() for s in samples]
        replayed = replay.table(await replay.cpu_per_run(recorded), len(recorded))
    return reports, replayed


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
        "--rounds", type=int, default=2, help="throughput rounds per path, in alternating order"
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="give up after this many seconds in all"
    )
    parser.add_argument(
        "--no-eager",
        dest="eager",
        action="store_false",
        help="run no router worker beside the gateway or the run service: no eager starts",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="write py-spy flame graphs of the Python processes in the first throughput round",
    )
    args = parser.parse_args(argv)
    if min(args.runs, args.concurrency, args.throughput_runs, args.rounds) < 1 or args.warmup < 0:
        parser.error("--runs, --concurrency, --throughput-runs and --rounds must be positive")
    return args


def run(args: argparse.Namespace, state_dir: Path) -> str:
    catalog = state_dir / "catalog"
    (catalog / NAMESPACE).mkdir(parents=True)
    (catalog / NAMESPACE / f"{ENTRY_ID}.yaml").write_text(ENTRY_YAML)
    config = StackConfig.private(state_dir / "stack", catalog, repo_root=REPO, ready_timeout=60)
    # The stack's children inherit this process's environment.
    os.environ["FOYER_GATEWAY_ROUTER_WORKER"] = "true" if args.eager else "false"
    started = time.perf_counter()
    load_before = report.load()
    with contextlib.ExitStack() as running:
        stack = running.enter_context(Stack(config))
        if args.eager:
            # The team's own process serves its Nexus endpoint instead (echo_worker.py).
            stack.stop(NEXUS_PROCESS)
        team_pid = running.enter_context(echo_worker.spawned(stack.env, nexus_handler=args.eager))
        _progress(f"stack up in {time.perf_counter() - started:.1f} s, logs in {stack.paths.logs}")
        try:
            reports, replayed = asyncio.run(
                asyncio.wait_for(measure(stack, team_pid, args), args.timeout)
            )
        except TimeoutError:
            raise BenchError(f"the benchmark did not finish within {args.timeout:.0f} s") from None
        load_after = report.load()
        crashed = [p.name for p in stack.processes.values() if p.crashed]
        if crashed:
            raise BenchError(f"{', '.join(crashed)} crashed during the benchmark")
    breakdown = phases.breakdown({name: reports[name].runs for name in PATHS})
    eager = (
        "router workers beside the gateway and the run service (eager start)"
        if args.eager
        else "no router worker beside any client (--no-eager)"
    )
    return (
        f"{report.table(reports, args.concurrency)}\n\n"
        f"{report.status_row(reports['gateway'].status_reads)}.\n"
        f"Sequential: {args.runs} timed runs per path after {args.warmup} warm-up runs, "
        f"paths interleaved. Throughput: {args.throughput_runs} runs per path, "
        f"{args.concurrency} concurrent clients, {args.rounds} rounds in alternating order, "
        f"counted while every client was busy. {eager[0].upper()}{eager[1:]}.\n"
        f"Machine: {report.machine()}. Load average (1, 5, 15 min) before the stack started: "
        f"{load_before}; after the last run: {load_after}.\n\n"
        "Where the time goes: the median of each phase over the sequential runs, cut from "
        "the Temporal histories (medians do not add up to the median total):\n\n"
        f"{breakdown}\n\n"
        "Where the CPU goes: CPU time of each process during the throughput phase, "
        f"per run completed ({os.cpu_count()} cores give {1000 * (os.cpu_count() or 1):.0f} ms "
        "of CPU per second):\n\n"
        f"{report.cpu_table(reports, args.throughput_runs)}\n\n"
        "What a router run costs its worker, by workflow runner: recorded router histories "
        "replayed in the bench process, CPU per run and for the first task alone (which "
        "sets up the workflow's sandbox):\n\n"
        f"{replayed}\n\n"
        "Timelines of one run per path, from the Temporal histories "
        "(ms after the client call):\n\n"
        f"{report.timelines(reports)}\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    state_dir = Path(tempfile.mkdtemp(prefix="foyer-bench-"))
    started = time.perf_counter()
    try:
        output = run(args, state_dir)
    except (BenchError, StackError, echo_worker.WorkerFailed, FileNotFoundError) as err:
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
