"""Browser tests: the built portal, served by the real stack's gateway, driven by
Playwright in Debian's Chromium (``make test`` installs it; these tests never skip)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from foyer.devstack import Stack
from tests.conftest import REPO
from tests.e2e.conftest import create_table, dynamodb_of, refresh_tables

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and quiet: this machine's network is closed, and Chromium's background
# services would otherwise try (and fail) to reach Google at every start.
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
AXE = REPO / "portal" / "node_modules" / "axe-core" / "axe.min.js"
PORTAL_INDEX = REPO / "portal" / "dist" / "index.html"
VIEWPORT = {"width": 1280, "height": 900}
T = TypeVar("T")


def launch(playwright: Any) -> Browser:
    assert CHROMIUM.is_file(), (
        "Debian's chromium is missing: `make test` installs it (apt-get install -y chromium)"
    )
    browser: Browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    return browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: Playwright's sync API keeps an event loop running
    # in this thread while it is open, which the asyncio tests after these cannot share.
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url(stack: Stack) -> str:
    assert PORTAL_INDEX.is_file(), "the portal is not built: run `make portal`"
    url: str = stack.credentials["gateway_url"]
    return url


@pytest.fixture(scope="session")
def keys(stack: Stack) -> dict[str, str]:
    return {user["email"].split("@")[0]: user["api_key"] for user in stack.credentials["users"]}


@pytest.fixture(scope="session")
def dynamodb(stack: Stack) -> Any:
    return dynamodb_of(stack)


def in_own_loop(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end in a thread of its own.

    Playwright's sync API keeps its event loop running in this thread while a
    browser is open, so browser tests cannot await anything here.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


@pytest.fixture
def table(dynamodb: Any, stack: Stack) -> str:
    """A fresh DynamoDB table of this test's own, with three items, in the team's
    inventory (the gateway accepts only table names that are current options)."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    create_table(dynamodb, name)
    in_own_loop(refresh_tables(stack))
    return name


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, base_url: str) -> Iterator[NewPage]:
    """Pages in fresh browser contexts (separate cookie jars), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(base_url=base_url, viewport=VIEWPORT, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Page, key: str, name: str) -> None:
    page.goto("/")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {name}")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + json.dumps([node["target"] for node in v["nodes"]][:5])
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def submit_run(base_url: str, key: str, inputs: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{base_url}/api/runs",
        headers={"Authorization": f"Bearer {key}"},
        json={"workflow": "delete-dynamodb-table", "inputs": inputs},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    run: dict[str, Any] = response.json()
    return run
