"""The portal in a real browser, against the real stack: a requester asks, an approver
decides from the inbox, and the requester's page follows the run without a reload."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, sign_in, submit_run
from tests.e2e.conftest import delete_inputs, table_exists

RUN_URL = re.compile(r"/runs/run-[0-9a-f]+$")
# The team workflow plans against moto and waits; leave room on a busy machine.
RUN_TIMEOUT_MS = 45_000


def test_request_approve_and_follow_a_run(
    new_page: NewPage, keys: dict[str, str], table: str, dynamodb: Any
) -> None:
    ada = new_page()
    sign_in(ada, keys["ada"], "Ada Lovelace")

    # Find the workflow by searching the catalog.
    ada.get_by_label("Search workflows").fill("dynamodb delete")
    ada.get_by_role("link", name="Delete a DynamoDB table").click()
    expect(ada.get_by_role("heading", level=1)).to_have_text("Delete a DynamoDB table")

    # A bad table name is refused in the browser, on the field itself.
    ada.get_by_label("AWS account").select_option("sandbox")
    table_name = ada.get_by_label("Table name")
    table_name.fill("not a table!")
    expect(ada.get_by_label("Dry run")).to_be_checked()
    ada.get_by_label("Dry run").uncheck()
    ada.get_by_label("Reason").fill("Decommissioning a test table")
    ada.get_by_role("button", name="Submit").click()
    expect(table_name).to_have_accessible_description(re.compile(r"must match pattern"))
    expect(ada).to_have_url(re.compile(r"/workflows/delete-dynamodb-table$"))

    # Fixed by picking the table from the field's options, it is submitted for real
    # and the run page shows the plan.
    table_name.fill("")
    table_name.press_sequentially(table[:9])
    expect(ada.get_by_role("status").filter(has_text="options")).to_have_text(
        re.compile(r"^\d+ of \d+ options")
    )
    ada.get_by_role("option", name=table).click()
    expect(table_name).to_have_value(table)
    expect(table_name).not_to_have_accessible_description(re.compile(r"must match pattern"))
    ada.get_by_role("button", name="Submit").click()
    expect(ada).to_have_url(RUN_URL)
    run_id = ada.url.rsplit("/", 1)[1]
    status = ada.get_by_role("status").filter(has_text="Status")
    expect(status).to_contain_text("awaiting_approval", timeout=RUN_TIMEOUT_MS)
    plan = ada.get_by_role("region", name="Plan")
    expect(plan).to_contain_text(f"Delete table {table} in us-east-1 and its 3 items")
    expect(plan).to_contain_text("Item count")
    timeline = ada.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text("Awaiting approval")

    # Ada requested it and is no approver: no Approve button, and she is told why.
    expect(ada.get_by_role("button", name="Approve")).to_have_count(0)
    expect(ada.get_by_role("region", name="Approval")).to_contain_text("You cannot decide")
    expect(ada.get_by_role("button", name="Cancel run")).to_be_visible()

    # Grace, a cloud-ops approver, finds it in her inbox and approves it.
    grace = new_page()
    sign_in(grace, keys["grace"], "Grace Hopper")
    expect(grace.get_by_role("link", name=re.compile(r"^Approvals"))).to_contain_text(
        re.compile(r"\d+ waiting for you")
    )
    grace.get_by_role("link", name=re.compile(r"^Approvals")).click()
    row = grace.get_by_role("row").filter(has_text=run_id)
    expect(row).to_contain_text("Ada Lovelace")
    row.get_by_role("link").click()
    expect(grace).to_have_url(re.compile(rf"/runs/{run_id}$"))
    grace.get_by_label("Comment").fill("Checked: unused")
    grace.get_by_role("button", name="Approve").click()

    # Ada's page follows the run to the end, without a reload.
    expect(status).to_contain_text("succeeded", timeout=RUN_TIMEOUT_MS)
    expect(timeline).to_contain_text("Approved by Grace Hopper")
    expect(ada.get_by_role("region", name="Result")).to_contain_text("Deleted")
    assert not table_exists(dynamodb, table)
    assert ada.url.endswith(f"/runs/{run_id}")

    # Signing out ends the session, in this page and on reload.
    ada.get_by_role("button", name="Sign out").click()
    expect(ada.get_by_label("API key")).to_be_visible()
    ada.reload()
    expect(ada.get_by_label("API key")).to_be_visible()
    assert ada.request.get("/api/me").status == 401


def test_a_non_approver_sees_no_approve_button(
    new_page: NewPage, keys: dict[str, str], base_url: str, table: str
) -> None:
    run = submit_run(base_url, keys["grace"], delete_inputs(table))
    ada = new_page()
    sign_in(ada, keys["ada"], "Ada Lovelace")

    ada.goto(f"/runs/{run['id']}")

    expect(ada.get_by_role("status").filter(has_text="Status")).to_contain_text(
        "awaiting_approval", timeout=RUN_TIMEOUT_MS
    )
    approval = ada.get_by_role("region", name="Approval")
    expect(approval).to_contain_text("Only members of cloud-ops can approve this run")
    expect(ada.get_by_role("button", name="Approve")).to_have_count(0)
    expect(ada.get_by_role("button", name="Reject")).to_have_count(0)
    expect(ada.get_by_role("button", name="Cancel run")).to_have_count(0)


def test_refusals_show_the_reason(
    new_page: NewPage, keys: dict[str, str], base_url: str, table: str
) -> None:
    run = submit_run(base_url, keys["ada"], delete_inputs(table))
    grace = new_page()
    sign_in(grace, keys["grace"], "Grace Hopper")
    grace.goto(f"/runs/{run['id']}")
    expect(grace.get_by_role("button", name="Approve")).to_be_visible(timeout=RUN_TIMEOUT_MS)

    # Linus rejects first, while Grace's page still shows the run as it was.
    stale = grace.request.get(f"/api/runs/{run['id']}").json()
    grace.route(
        f"**/api/runs/{run['id']}",
        lambda route: (
            route.fulfill(json=stale) if route.request.method == "GET" else route.fallback()
        ),
    )
    rejected = httpx.post(
        f"{base_url}/api/runs/{run['id']}/reject",
        headers={"Authorization": f"Bearer {keys['linus']}"},
        json={"comment": "not this one"},
        timeout=30,
    )
    assert rejected.status_code == 200, rejected.text

    grace.get_by_role("button", name="Approve").click()

    expect(grace.get_by_role("alert")).to_contain_text(re.compile(r"^Refused: .+"))
    grace.unroute(f"**/api/runs/{run['id']}")
    expect(grace.get_by_role("status").filter(has_text="Status")).to_contain_text("rejected")
    expect(grace.get_by_role("list", name="Timeline")).to_contain_text("Rejected by Linus Torvalds")


def test_the_session_cookie_is_httponly_and_strict(new_page: NewPage, keys: dict[str, str]) -> None:
    page = new_page()
    sign_in(page, keys["ada"], "Ada Lovelace")

    [cookie] = [c for c in page.context.cookies() if c["name"] == "foyer_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert "foyer_session" not in page.evaluate("document.cookie")
    # Without the CSRF header the portal sends, the cookie cannot write.
    response = page.request.post("/api/runs/run-x/cancel", data={})
    assert response.status == 403


def test_a_wrong_key_is_refused_on_the_sign_in_form(new_page: NewPage) -> None:
    page = new_page()
    page.goto("/")
    page.get_by_label("API key").fill("foyer_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("This API key is not valid")
    expect(page.get_by_label("API key")).to_have_accessible_description(
        re.compile("This API key is not valid")
    )


def test_deep_links_prefill_the_form(new_page: NewPage, keys: dict[str, str]) -> None:
    page = new_page()
    sign_in(page, keys["ada"], "Ada Lovelace")

    page.goto(
        "/workflows/delete-dynamodb-table?table_name=orders-archive&dry_run=false"
        "&aws_account=data-prod&environment=stage"
    )

    expect(page.get_by_label("Table name")).to_have_value("orders-archive")
    expect(page.get_by_label("Dry run")).not_to_be_checked()
    assert selected_text(page, "AWS account") == "data-prod"
    expect(page.get_by_label("Environment")).to_have_value("stage")
    inputs = quote(json.dumps({"table_name": "orders", "reason": "From a link"}))
    page.goto(f"/workflows/delete-dynamodb-table?inputs={inputs}")
    expect(page.get_by_label("Table name")).to_have_value("orders")
    expect(page.get_by_label("Reason")).to_have_value("From a link")
    expect(page.get_by_label("Dry run")).to_be_checked()


def selected_text(page: Page, label: str) -> str:
    text: str = page.get_by_label(label).evaluate("s => s.options[s.selectedIndex].text")
    return text


def test_guide_and_snippets_tabs(new_page: NewPage, keys: dict[str, str]) -> None:
    page = new_page()
    sign_in(page, keys["ada"], "Ada Lovelace")
    page.goto("/workflows/delete-dynamodb-table")
    page.get_by_label("Table name").fill("orders")

    page.get_by_role("tab", name="Guide").click()
    guide = page.get_by_role("tabpanel", name="Guide")
    expect(guide.get_by_role("heading", name="Dry run first")).to_be_visible()

    page.get_by_role("tab", name="Snippets").click()
    snippets = page.get_by_role("tabpanel", name="Snippets")
    # The gateway's snippets, made for what the form holds now.
    expect(snippets).to_contain_text("foyer run delete-dynamodb-table")
    expect(snippets).to_contain_text("--table-name orders")
    expect(snippets).to_contain_text('"table_name": "orders"')
    expect(snippets.get_by_role("button", name="Copy cURL")).to_be_visible()

    page.get_by_role("tab", name="Form").click()
    expect(page.get_by_label("Table name")).to_have_value("orders")


def test_examples_fill_the_form(new_page: NewPage, keys: dict[str, str]) -> None:
    page = new_page()
    sign_in(page, keys["ada"], "Ada Lovelace")
    page.goto("/workflows/delete-dynamodb-table")

    page.get_by_role("button", name="Use example: Delete a retired cache").click()

    expect(page.get_by_label("Table name")).to_have_value("sessions-cache")
    expect(page.get_by_label("Dry run")).not_to_be_checked()
    expect(page.get_by_label("Environment")).to_have_value("prod")


def test_unknown_pages_say_so(new_page: NewPage, keys: dict[str, str]) -> None:
    page = new_page()
    sign_in(page, keys["ada"], "Ada Lovelace")
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.goto("/runs/run-doesnotexist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run not found")


def test_runs_page_lists_mine_or_everyone_s_with_filters(
    new_page: NewPage, keys: dict[str, str], base_url: str, table: str
) -> None:
    run = submit_run(base_url, keys["ada"], delete_inputs(table))
    grace = new_page()
    sign_in(grace, keys["grace"], "Grace Hopper")

    grace.goto("/runs")
    expect(grace.get_by_role("radio", name="My runs")).to_be_checked()
    expect(grace.get_by_role("row").filter(has_text=run["id"])).to_have_count(0)

    grace.get_by_role("radio", name="All runs").check()
    row = grace.get_by_role("row").filter(has_text=run["id"])
    expect(row).to_contain_text("ada@example.com")
    grace.get_by_label("Status").select_option("succeeded")
    expect(grace).to_have_url(re.compile(r"status=succeeded"))
    expect(row).to_have_count(0)
    grace.get_by_label("Status").select_option("awaiting_approval")
    expect(row).to_contain_text("awaiting_approval", timeout=RUN_TIMEOUT_MS)
    grace.get_by_label("Workflow").select_option(label="Delete a DynamoDB table")
    grace.get_by_label("Environment").select_option("prod")
    row.get_by_role("link").click()
    expect(grace).to_have_url(re.compile(rf"/runs/{run['id']}$"))
