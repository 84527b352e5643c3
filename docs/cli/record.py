"""Record the README's command-line session and render the terminal app's screenshots.

Starts a stack on free ports in a temporary directory, runs a short session of
`foyer` commands as the demo users (printed as text, with the gateway shown as
http://127.0.0.1:8000 and keys as $ADA / $GRACE), then drives the terminal app
headless with Textual's Pilot and saves its SVG export next to this file, with
PNG copies when cairosvg is installed (`pip install cairosvg`; it needs libcairo).

    .venv/bin/python docs/cli/record.py > /tmp/session.txt
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FOYER = Path(sys.executable).with_name("foyer")
SHOWN_URL = "http://127.0.0.1:8000"
SIZE = (110, 34)


def session(url: str, keys: dict[str, str], config: Path) -> str:
    env = {**os.environ, "FOYER_CONFIG_DIR": str(config), "COLUMNS": "100"}
    for name in ("FOYER_URL", "FOYER_API_KEY", "FOYER_PROFILE"):
        env.pop(name, None)
    lines: list[str] = []
    run_id = ""

    def foyer(*args: str) -> str:
        result = subprocess.run(
            [str(FOYER), *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        shown = " ".join(shlex.quote(a) for a in args)
        for name, key in keys.items():
            shown = shown.replace(shlex.quote(key), f"${name.upper()}")
        lines.append(f"$ foyer {shown.replace(url, SHOWN_URL)}")
        output = (result.stdout + result.stderr).replace(url, SHOWN_URL)
        output = output.replace(str(config / "config.toml"), "~/.config/foyer/config.toml")
        lines.extend(output.rstrip("\n").splitlines())
        if result.returncode:
            lines.append(f"$ echo $?\n{result.returncode}")
        lines.append("")
        return result.stdout

    foyer("login", "--url", url, "--api-key", keys["ada"])
    foyer("login", "--url", url, "--api-key", keys["grace"], "--profile", "grace")
    foyer("workflows", "list")
    started = foyer(
        *("run", "delete-dynamodb-table", "--aws-account", "sandbox", "--region", "us-east-1"),
        *("--table-name", "orders-archive", "--no-dry-run"),
        *("--reason", "Exported to S3 in OPS-4711; no reads for 90 days", "--yes"),
    )
    run_id = started.split()[1].rstrip(":")
    wait_for(env | {"FOYER_URL": url, "FOYER_API_KEY": keys["ada"]}, run_id, "awaiting_approval")
    foyer("runs", "show", run_id)
    foyer("approve", run_id, "--comment", "mine, surely")
    # The inbox reads the run ledger, which may trail the workflow by a moment.
    wait_for_inbox(env | {"FOYER_URL": url, "FOYER_API_KEY": keys["grace"]}, run_id)
    foyer("approvals", "--profile", "grace")
    foyer("approve", run_id, "--comment", "Checked: unused since March", "--profile", "grace")
    foyer("runs", "watch", run_id)
    foyer("run", "delete-dynamodb-table", "--aws-account", "moon", "--table-name", "x", "--yes")
    return "\n".join(lines)


def wait_for(env: dict[str, str], run_id: str, status: str) -> None:
    import json
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        shown = subprocess.run(
            [str(FOYER), "runs", "show", run_id, "-o", "json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        if json.loads(shown.stdout)["status"] == status:
            return
        time.sleep(0.2)
    raise SystemExit(f"{run_id} never reached {status}")


def wait_for_inbox(env: dict[str, str], run_id: str) -> None:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        inbox = subprocess.run(
            [str(FOYER), "approvals"], env=env, capture_output=True, text=True, check=True
        )
        if run_id in inbox.stdout:
            return
        time.sleep(0.2)
    raise SystemExit(f"{run_id} never reached the inbox")


async def screenshots(url: str, keys: dict[str, str]) -> list[Path]:
    from textual.widgets import Static

    from foyer.cli.config import Profile
    from foyer.cli.http import Gateway
    from foyer.cli.tui.app import FoyerApp
    from foyer.cli.tui.catalog import CatalogScreen
    from foyer.cli.tui.run import RunScreen

    ada = Gateway(Profile("default", url, keys["ada"]))
    waiting = ada.post(
        "/api/runs",
        {
            "workflow": "delete-dynamodb-table",
            "environment": "prod",
            "inputs": {
                "aws_account": "sandbox",
                "region": "us-east-1",
                "table_name": "payments-ledger",
                "dry_run": False,
                "reason": "Ledger moved to Aurora; table frozen since the migration",
            },
        },
        idempotency_key="readme-screenshot",
    )
    grace = Gateway(Profile("default", url, keys["grace"]))
    app = FoyerApp(grace, grace.get("/api/me"))
    app.sub_title = app.sub_title.replace(url, SHOWN_URL)
    saved = []

    async def until(holds: Any, what: str) -> None:
        for _ in range(600):
            if holds():
                return
            await pilot.pause(0.1)
        raise SystemExit(f"the terminal app never showed {what}")

    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await until(lambda: screen.items, "the catalog")
        await until(lambda: screen.entries, "the first workflow")
        await pilot.pause(0.5)
        saved.append(
            save(app.export_screenshot(title="foyer tui").replace(url, SHOWN_URL), "tui-catalog")
        )
        while True:
            run = ada.get(f"/api/runs/{waiting['id']}")
            if run["status"] == "awaiting_approval":
                break
            await pilot.pause(0.2)
        await app.push_screen(RunScreen(waiting["id"]))
        status = app.screen.query_one("#run-status", Static)
        while (
            "awaiting_approval" not in str(status.content)
            or not app.screen.query_one("#approve").display
        ):
            await pilot.pause(0.1)
        await pilot.pause(0.3)
        svg = app.export_screenshot(title="foyer tui: a run awaiting approval")
        saved.append(save(svg.replace(url, SHOWN_URL), "tui-run"))
    ada.close()
    grace.close()
    return saved


def save(svg: str, name: str) -> Path:
    path = HERE / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    try:
        import cairosvg  # type: ignore[import-untyped]
    except (ImportError, OSError):
        print(f"(cairosvg unavailable: kept {path.name} only)", file=sys.stderr)
        return path
    png = path.with_suffix(".png")
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(png))
    return png


def main() -> None:
    from foyer.devstack import Stack, StackConfig

    # Stopped by a signal, still stop the stack's processes on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    with tempfile.TemporaryDirectory(prefix="foyer-record-") as state:
        config = StackConfig.private(
            Path(state) / "stack", REPO / "examples" / "catalog", repo_root=REPO
        )
        with Stack(config) as stack:
            credentials: dict[str, Any] = stack.credentials
            url = credentials["gateway_url"]
            keys = {u["email"].split("@")[0]: u["api_key"] for u in credentials["users"]}
            print(session(url, keys, Path(state) / "config"))
            for path in asyncio.run(screenshots(url, keys)):
                print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
