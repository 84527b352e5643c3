"""Screenshots of the portal for the README, taken in headless Chromium.

By default it starts a whole stack of its own in a temporary directory; with
``--credentials`` it uses a running ``make up`` stack instead. Either way it
creates a DynamoDB table in moto, asks to delete it as Ada, and shoots:

- ``docs/portal.png``: the run as Grace, an approver, sees it (plan, timeline,
  Approve / Reject);
- ``docs/portal-form.png``: the workflow's form as Ada fills it.

    .venv/bin/python scripts/screenshot.py [--credentials .foyer/demo-credentials.json]
        [--out docs]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from playwright.sync_api import Page, expect, sync_playwright

from foyer.devstack import Stack, StackConfig

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
VIEWPORT = {"width": 1280, "height": 860}


@contextmanager
def credentials(path: Path | None) -> Iterator[dict[str, Any]]:
    """A running stack's credentials, or a fresh stack's for the duration."""
    if path is not None:
        yield json.loads(path.read_text())
        return
    with tempfile.TemporaryDirectory(prefix="foyer-screenshot-") as state:
        config = StackConfig.private(Path(state), REPO / "examples" / "catalog", repo_root=REPO)
        with Stack(config) as stack:
            yield stack.credentials


def sign_in(page: Page, key: str) -> None:
    page.goto("/")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def shoot(creds: dict[str, Any], out: Path) -> None:
    keys = {user["email"].split("@")[0]: user["api_key"] for user in creds["users"]}
    table = f"orders-2019-{uuid.uuid4().hex[:4]}"
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=creds["aws_endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(42):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": f"order-{i}"}})

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium
        browser = chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        options: dict[str, Any] = {"base_url": creds["gateway_url"], "viewport": VIEWPORT}
        ada = browser.new_context(**options).new_page()
        sign_in(ada, keys["ada"])
        ada.get_by_label("Search workflows").fill("dynamodb")
        ada.get_by_role("link", name="Delete a DynamoDB table").click()
        ada.get_by_label("AWS account").select_option("sandbox")
        ada.get_by_label("Table name").fill(table)
        ada.get_by_label("Dry run").uncheck()
        ada.get_by_label("Reason").fill("Archived to S3 in March; no reads for 90 days (OPS-4711).")
        ada.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        ada.screenshot(path=str(out / "portal-form.png"), full_page=True)
        ada.get_by_role("button", name="Submit").click()
        expect(ada).to_have_url(re.compile(r"/runs/run-[0-9a-f]+$"))
        run_path = ada.url.split(creds["gateway_url"], 1)[1]

        grace = browser.new_context(**options).new_page()
        sign_in(grace, keys["grace"])
        grace.goto(run_path)
        expect(grace.get_by_role("button", name="Approve")).to_be_visible(timeout=60_000)
        grace.get_by_label("Comment").fill("Checked the export; fine to delete.")
        grace.evaluate("window.scrollTo(0, 0)")
        grace.screenshot(path=str(out / "portal.png"))
        # Leave nothing waiting in a developer's stack.
        grace.get_by_role("button", name="Reject").click()
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credentials", type=Path, help="a running stack's demo-credentials.json")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args(argv)
    if not (REPO / "portal" / "dist" / "index.html").is_file():
        print("error: the portal is not built; run `make portal`", file=sys.stderr)
        return 1
    with credentials(args.credentials) as creds:
        shoot(creds, args.out)
    print(f"wrote {args.out / 'portal.png'} and {args.out / 'portal-form.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
