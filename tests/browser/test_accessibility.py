"""Accessibility: axe-core finds nothing serious on any page, and the keyboard alone
is enough to sign in, find a workflow, fill its form, submit it and decide a run."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewPage, serious_violations, sign_in, submit_run
from tests.e2e.conftest import delete_inputs

RUN_TIMEOUT_MS = 45_000
USERS = {"ada": "Ada Lovelace", "grace": "Grace Hopper"}


def on_run_page(page: Page, run_id: str) -> None:
    page.goto(f"/runs/{run_id}")
    expect(page.get_by_role("status").filter(has_text="Status")).to_contain_text(
        "awaiting_approval", timeout=RUN_TIMEOUT_MS
    )


def show_field_errors(page: Page) -> None:
    page.goto("/workflows/delete-dynamodb-table")
    page.get_by_label("Table name").fill("no good!")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_label("Table name")).to_have_accessible_description(
        re.compile("must match pattern")
    )


def open_tab(name: str) -> Callable[[Page], None]:
    def go(page: Page) -> None:
        page.goto("/workflows/delete-dynamodb-table")
        page.get_by_role("tab", name=name).click()
        expect(page.get_by_role("tabpanel", name=name)).to_be_visible()

    return go


def visit(path: str, ready: str) -> Callable[[Page], None]:
    def go(page: Page) -> None:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(ready)

    return go


PAGES: dict[str, tuple[str | None, Callable[..., None]]] = {
    "sign in": (None, visit("/", "Sign in to Foyer")),
    "catalog": ("ada", visit("/?q=dynamodb", "Catalog")),
    "workflow form": ("ada", open_tab("Form")),
    "workflow form with errors": ("ada", show_field_errors),
    "workflow guide": ("ada", open_tab("Guide")),
    "workflow snippets": ("ada", open_tab("Snippets")),
    "run, as its approver": ("grace", on_run_page),
    "run, as its requester": ("ada", on_run_page),
    "runs": ("ada", visit("/runs", "Runs")),
    "approvals": ("grace", visit("/approvals", "Approvals")),
    "not found": ("ada", visit("/nowhere", "Page not found")),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(
    name: str,
    new_page: NewPage,
    keys: dict[str, str],
    base_url: str,
    table: str,
) -> None:
    user, go = PAGES[name]
    # axe is injected as a script, which the portal's Content-Security-Policy forbids.
    page = new_page(bypass_csp=True)
    if user:
        sign_in(page, keys[user], USERS[user])
    if go is on_run_page:
        go(page, submit_run(base_url, keys["ada"], delete_inputs(table))["id"])
    else:
        go(page)

    assert serious_violations(page) == []


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until ``target`` has focus; fail if it is not reachable that way."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    focused: Any = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{target} not reachable with Tab; focus is on {str(focused)[:200]}")


def test_the_keyboard_alone_submits_a_dry_run(new_page: NewPage, keys: dict[str, str]) -> None:
    page = new_page()
    page.goto("/")
    tab_to(page, page.get_by_label("API key"))
    page.keyboard.type(keys["ada"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Ada Lovelace")

    tab_to(page, page.get_by_label("Search workflows"))
    page.keyboard.type("dynamodb")
    link = page.get_by_role("link", name="Delete a DynamoDB table")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete a DynamoDB table")

    # Tabs follow the arrow keys.
    tab_to(page, page.get_by_role("tab", name="Form"))
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Guide")).to_be_focused()
    expect(page.get_by_role("tab", name="Guide")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Form")).to_have_attribute("aria-selected", "true")

    tab_to(page, page.get_by_role("button", name="Use example: Plan with defaults"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Table name")).to_have_value("orders")
    tab_to(page, page.get_by_label("Environment"))
    page.keyboard.press("ArrowDown")  # prod → stage
    expect(page.get_by_label("Environment")).to_have_value("stage")
    tab_to(page, page.get_by_label("Dry run"))
    expect(page.get_by_label("Dry run")).to_be_checked()
    page.keyboard.press("Space")
    expect(page.get_by_label("Dry run")).not_to_be_checked()
    page.keyboard.press("Space")
    expect(page.get_by_label("Dry run")).to_be_checked()

    tab_to(page, page.get_by_role("button", name="Submit"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/runs/run-"))
    expect(page.get_by_role("status").filter(has_text="Status")).to_contain_text(
        "succeeded", timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_role("list", name="Timeline")).to_contain_text("not needed for a dry run")


def test_the_keyboard_alone_approves_a_run(
    new_page: NewPage, keys: dict[str, str], base_url: str, table: str
) -> None:
    run = submit_run(base_url, keys["ada"], delete_inputs(table))
    page = new_page()
    sign_in(page, keys["grace"], "Grace Hopper")
    on_run_page(page, run["id"])

    tab_to(page, page.get_by_label("Comment"))
    page.keyboard.type("Fine by keyboard")
    tab_to(page, page.get_by_role("button", name="Approve"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Status")).to_contain_text(
        re.compile("running|succeeded"), timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_role("list", name="Timeline")).to_contain_text("Approved by Grace Hopper")
