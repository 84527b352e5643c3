"""How fast the portal is for the people who use it, in headless Chromium.

Starts one whole stack whose catalog holds 50 entries (the example pack's,
topped up with entries across five teams that nothing runs), then measures:

- catalog interactive: from navigation start to the catalog's 50 entries
  rendered and the search box answering (the page's ``foyer:catalog-ready``
  mark), on a cold cache, each sample in a fresh browser context;
- search: from typing a query to the filtered list on screen;
- JavaScript for the first page: every script the catalog page loads, gzip
  bytes on the wire and recompressed at level 9 (the budget is 250 kB);
- run page live update: a run waits for approval with its page open; an
  approver approves over HTTP; the time from the approval's answer to the
  page showing the new status, without a reload (target 2 s).

Prints a markdown table with each target. See bench/README.md.

    .venv/bin/python bench/portal.py [--samples 10] [--updates 5]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

import boto3
import httpx
import yaml
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import Catalog
from foyer.catalog.errors import CatalogInvalid
from foyer.devstack import Stack, StackConfig, StackError
from foyer.publish.inventory import refresh
from foyer.temporal import connect

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEAMS = ["cloud-ops", "data", "security", "platform", "networking"]
VERBS = ["Delete", "Resize", "Restart", "Snapshot", "Rotate", "Archive", "Restore"]
THINGS = ["an RDS instance", "a cache cluster", "a queue", "a bucket", "a KMS key", "a DNS zone"]
ENTRIES = 50
TARGET_INTERACTIVE_MS = 1000
TARGET_LIVE_MS = 2000
TARGET_FIRST_PAGE_JS_KB = 250


class BenchError(Exception):
    """The stack or the page misbehaved; the message says how."""


def write_catalog(directory: Path) -> None:
    """The demo catalog, topped up to 50 entries with ones the stack's workers never run."""
    shutil.copytree(REPO / "examples" / "catalog", directory)
    template = yaml.safe_load((directory / "cloud-ops" / "delete-dynamodb-table.yaml").read_text())
    existing = len(Catalog.load(directory).entries)
    for index in range(ENTRIES - existing):
        team = TEAMS[index % len(TEAMS)]
        title = f"{VERBS[index % len(VERBS)]} {THINGS[index % len(THINGS)]} ({index + 1})"
        entry = {
            **template,
            "id": f"bench-entry-{index + 1:02d}",
            "title": title,
            "description": f"Benchmark entry {index + 1}, owned by {team}.",
            "owners": [team],
            "tags": ["bench", team],
            "workflow_type": f"BenchEntry{index + 1:02d}",
            "task_queue": "bench-unused",
        }
        (directory / team).mkdir(exist_ok=True)
        (directory / team / f"bench-entry-{index + 1:02d}.yaml").write_text(yaml.safe_dump(entry))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def signed_in_context(browser: Browser, base_url: str, key: str) -> BrowserContext:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    response = context.request.post("/api/session", data={"api_key": key})
    if response.status != 200:
        raise BenchError(f"sign-in answered {response.status}: {response.text()}")
    return context


def measure_catalog(browser: Browser, base_url: str, key: str, samples: int) -> dict[str, Any]:
    interactive, dom_interactive, search = [], [], []
    phases: dict[str, list[float]] = {}
    scripts: dict[str, tuple[int, int]] = {}
    css = 0
    for sample in range(samples + 1):  # the first is a warm-up of the gateway
        context = signed_in_context(browser, base_url, key)
        page = context.new_page()
        page.goto("/")
        page.wait_for_function(
            "() => performance.getEntriesByName('foyer:catalog-ready').length > 0", timeout=15_000
        )
        links = page.locator("main li h3 a").count()
        if links != ENTRIES:
            raise BenchError(f"catalog shows {links} entries, expected {ENTRIES}")
        timing = page.evaluate(
            """() => ({
              ready: performance.getEntriesByName('foyer:catalog-ready')[0].startTime,
              dom: performance.getEntriesByType('navigation')[0].domInteractive,
              resources: performance.getEntriesByType('resource').map(r => ({
                name: r.name, type: r.initiatorType, encoded: r.encodedBodySize,
                start: r.startTime, end: r.responseEnd,
              })),
            })"""
        )
        started = time.perf_counter()
        page.get_by_label("Search workflows").fill("rotate key")
        page.wait_for_function(
            "() => document.querySelectorAll('main li h3 a').length < 50", timeout=5000
        )
        searched = (time.perf_counter() - started) * 1000
        if sample > 0:
            for resource in timing["resources"]:
                path = resource["name"].split("/", 3)[-1]
                kind = (
                    "script"
                    if path.endswith(".js")
                    else "/" + path
                    if path in ("api/me", "api/catalog")
                    else None
                )
                if kind:
                    phases.setdefault(f"{kind} start", []).append(resource["start"])
                    phases.setdefault(f"{kind} done", []).append(resource["end"])
            interactive.append(timing["ready"])
            dom_interactive.append(timing["dom"])
            search.append(searched)
        if sample == samples:
            for resource in timing["resources"]:
                name = resource["name"]
                if name.endswith(".js"):
                    body = page.request.get(name).body()
                    scripts[name.rsplit("/", 1)[1]] = (
                        resource["encoded"],
                        len(gzip.compress(body, 9)),
                    )
                elif name.endswith(".css"):
                    css = resource["encoded"]
        context.close()
    return {
        "interactive": interactive,
        "dom_interactive": dom_interactive,
        "search": search,
        "scripts": scripts,
        "css": css,
        "phases": phases,
    }


def refresh_tables(stack: Stack) -> None:
    """Have cloud-ops' inventory read DynamoDB again, so a new table is a valid option.

    In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    """

    async def refresh_now() -> None:
        client = await connect(stack.settings, namespace="cloud-ops")
        source = Catalog.load(stack.config.catalog_dir).source("dynamodb-tables")
        deadline = time.monotonic() + 30
        while True:
            try:
                await refresh(client, source)
                return
            except RPCError as err:  # the team worker may not have started its inventory yet
                if err.status != RPCStatusCode.NOT_FOUND or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.2)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, refresh_now()).result()


def measure_live_update(
    browser: Browser, stack: Stack, keys: dict[str, str], updates: int
) -> list[float]:
    base_url = stack.credentials["gateway_url"]
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.credentials["aws_endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    http = httpx.Client(base_url=base_url, timeout=30)
    delays = []
    context = signed_in_context(browser, base_url, keys["ada"])
    for _ in range(updates):
        table = f"bench-{uuid.uuid4().hex[:10]}"
        dynamodb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        refresh_tables(stack)
        submitted = http.post(
            "/api/runs",
            headers={"Authorization": f"Bearer {keys['ada']}"},
            json={
                "workflow": "delete-dynamodb-table",
                "inputs": {
                    "aws_account": "sandbox",
                    "region": "us-east-1",
                    "table_name": table,
                    "dry_run": False,
                    "reason": "Measuring the portal",
                },
            },
        )
        if submitted.status_code != 201:
            raise BenchError(f"submit answered {submitted.status_code}: {submitted.text}")
        run_id = submitted.json()["id"]
        page = context.new_page()
        page.goto(f"/runs/{run_id}")
        status = page.locator(".run-status .status")
        status.filter(has_text="awaiting_approval").wait_for(timeout=45_000)
        page.evaluate(
            """() => {
              const el = document.querySelector('.run-status');
              window.__changed = null;
              new MutationObserver(() => {
                const text = el.querySelector('.status').textContent;
                if (window.__changed === null && text !== 'awaiting_approval') {
                  window.__changed = Date.now();
                }
              }).observe(el, {subtree: true, childList: true, characterData: true});
            }"""
        )
        approved = http.post(
            f"/api/runs/{run_id}/approve",
            headers={"Authorization": f"Bearer {keys['grace']}"},
            json={"comment": "bench"},
        )
        answered_ms = time.time() * 1000
        if approved.status_code != 200:
            raise BenchError(f"approve answered {approved.status_code}: {approved.text}")
        page.wait_for_function("() => window.__changed !== null", timeout=10_000)
        delays.append(page.evaluate("() => window.__changed") - answered_ms)
        page.close()
    context.close()
    return delays


def report(catalog: dict[str, Any], live: list[float]) -> str:
    scripts = catalog["scripts"]
    wire = sum(encoded for encoded, _ in scripts.values()) / 1000
    level9 = sum(size for _, size in scripts.values()) / 1000
    ok = {True: "yes", False: "NO"}
    rows = [
        "| metric | p50 | max | target | met |",
        "| --- | ---: | ---: | ---: | :---: |",
        f"| catalog of {ENTRIES} interactive, from navigation (ms) | "
        f"{statistics.median(catalog['interactive']):.0f} | {max(catalog['interactive']):.0f} | "
        f"≤ {TARGET_INTERACTIVE_MS} | {ok[max(catalog['interactive']) <= TARGET_INTERACTIVE_MS]} |",
        f"| DOM interactive, from navigation (ms) | "
        f"{statistics.median(catalog['dom_interactive']):.0f} | "
        f"{max(catalog['dom_interactive']):.0f} | | |",
        f"| search typed → list filtered (ms) | {statistics.median(catalog['search']):.0f} | "
        f"{max(catalog['search']):.0f} | | |",
        f"| run page: approval answered → new status shown (ms) | "
        f"{statistics.median(live):.0f} | {max(live):.0f} | ≤ {TARGET_LIVE_MS} | "
        f"{ok[max(live) <= TARGET_LIVE_MS]} |",
        f"| first page JS, gzip on the wire (kB) | {wire:.1f} | | ≤ {TARGET_FIRST_PAGE_JS_KB} "
        f"| {ok[wire <= TARGET_FIRST_PAGE_JS_KB]} |",
        f"| first page JS, gzip -9 (kB) | {level9:.1f} | | | |",
        f"| first page CSS, gzip on the wire (kB) | {catalog['css'] / 1000:.1f} | | | |",
        "",
        "Where the catalog's time goes (ms from navigation start, p50):",
        "",
        *[
            f"- {name}: {statistics.median(values):.0f}"
            for name, values in sorted(catalog["phases"].items(), key=lambda kv: min(kv[1]))
        ],
        "",
        "Scripts the catalog page loads (gzip bytes on the wire):",
        "",
        *[f"- `{name}`: {encoded / 1000:.1f} kB" for name, (encoded, _) in sorted(scripts.items())],
    ]
    return "\n".join(rows)


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=10, help="cold catalog loads to time")
    parser.add_argument("--updates", type=int, default=5, help="approvals to follow live")
    args = parser.parse_args(argv)
    if not (REPO / "portal" / "dist" / "index.html").is_file():
        print("error: the portal is not built; run `make portal`", file=sys.stderr)
        return 1
    state = Path(tempfile.mkdtemp(prefix="foyer-bench-portal-"))
    write_catalog(state / "catalog")
    config = StackConfig.private(
        state / "stack",
        state / "catalog",
        # The catalog is a copy; the demo team's worker is declared beside the original.
        workers_file=REPO / "examples" / "workers.yaml",
        repo_root=REPO,
    )
    before = load()
    started = time.monotonic()
    try:
        with Stack(config) as stack, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            keys = {u["email"].split("@")[0]: u["api_key"] for u in stack.credentials["users"]}
            base_url = stack.credentials["gateway_url"]
            catalog = measure_catalog(browser, base_url, keys["ada"], args.samples)
            live = measure_live_update(browser, stack, keys, args.updates)
            chromium_version = browser.version
            browser.close()
    except (BenchError, StackError, CatalogInvalid) as err:
        print(f"error: {err} (logs kept in {state})", file=sys.stderr)
        return 1
    print(
        f"Portal bench: Chromium {chromium_version}, Playwright {version('playwright')}, "
        f"{args.samples} cold catalog loads, {args.updates} live updates, "
        f"{time.monotonic() - started:.0f} s; load average {before} before, {load()} after.\n"
    )
    print(report(catalog, live))
    shutil.rmtree(state, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
