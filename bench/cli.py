"""How fast the `foyer` command line answers, as a person or a CI job feels it.

Each sample is a fresh `foyer` process (a new interpreter, as in a shell), timed
from spawn to exit:

- `foyer --help`              target ≤ 0.3 s
- `foyer run --help`          the generic run help (no gateway call)
- `foyer whoami`              one authenticated HTTP round trip
- `foyer run ID … --yes`      to an accepted run (HTTP 201), target ≤ 1 s

Starts its own stack on free ports (like the end-to-end tests) unless
``--url`` and ``--api-key`` point at a running one (e.g. `make up`).
Prints a markdown table: wall-clock p50, p90, min and max per command, the
process's own CPU time (user + system, p50: what the command costs, whatever
else the machine is doing), and the target.

    .venv/bin/python bench/cli.py [--runs 20] [--url URL --api-key KEY]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOYER = Path(sys.executable).with_name("foyer")
ENTRY = "delete-dynamodb-table"
TARGETS = {"foyer --help": 0.3, "foyer run … --yes": 1.0}


@contextmanager
def gateway(url: str | None, api_key: str | None) -> Iterator[tuple[str, str]]:
    """A gateway URL and a requester's key: the one given, or a fresh stack's."""
    if url and api_key:
        yield url, api_key
        return
    from foyer.devstack import Stack, StackConfig

    with tempfile.TemporaryDirectory(prefix="foyer-bench-cli-") as state:
        config = StackConfig.private(Path(state), REPO / "examples" / "catalog", repo_root=REPO)
        with Stack(config) as stack:
            credentials = stack.credentials
            yield credentials["gateway_url"], credentials["users"][0]["api_key"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `foyer` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [str(FOYER), *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"`foyer {' '.join(args)}` exited {result.returncode}:\n{result.stderr}")
    # Only waited-for children count here, and the stack's processes are waited for
    # when it stops: the difference is this one `foyer` process.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command")
    parser.add_argument("--url", help="a running gateway (default: start a stack)")
    parser.add_argument("--api-key", help="a requester's API key for --url")
    options = parser.parse_args()
    # Stopped by a signal, still stop the stack's processes on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    load_before = os.getloadavg()[0]
    with (
        gateway(options.url, options.api_key) as (url, api_key),
        tempfile.TemporaryDirectory(prefix="foyer-bench-config-") as config,
    ):
        env = {**os.environ, "FOYER_URL": url, "FOYER_API_KEY": api_key}
        env["FOYER_CONFIG_DIR"] = config
        commands: dict[str, list[str]] = {
            "foyer --help": ["--help"],
            "foyer run --help": ["run", "--help"],
            "foyer whoami": ["whoami"],
            "foyer run … --yes": [
                *("run", ENTRY, "--example", "Dry run in stage", "--yes"),
            ],
        }
        results: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        # One untimed run each warms the OS page cache and Python's bytecode cache,
        # as any second use of the command would find them.
        for args in commands.values():
            timed(args, env)
        for _ in range(options.runs):
            for name, args in commands.items():  # interleaved: load spikes hit every command
                wall, used = timed(args, env)
                results[name].append(wall)
                cpu[name].append(used)
        load_after = os.getloadavg()[0]

    print(
        f"`foyer` command timings: {options.runs} runs each, interleaved, fresh process each; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {load_before:.1f} before, {load_after:.1f} after.\n"
    )
    print(
        "| command | p50 (s) | p90 (s) | min (s) | max (s) | CPU p50 (s) "
        "| target (s) | p50 within target |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for name, samples in results.items():
        target = TARGETS.get(name)
        p50 = statistics.median(samples)
        verdict = "" if target is None else ("yes" if p50 <= target else "no")
        print(
            f"| `{name}` | {statistics.median(samples):.3f} | {percentile(samples, 0.9):.3f} "
            f"| {min(samples):.3f} | {max(samples):.3f} | {statistics.median(cpu[name]):.3f} "
            f"| {target or ''} | {verdict} |"
        )


if __name__ == "__main__":
    main()
