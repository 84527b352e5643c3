"""The `foyer` user commands as a person or a CI job runs them: a subprocess, the real stack."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ENTRY, Api, table_exists

FOYER = Path(sys.executable).with_name("foyer")
RUN_ID = re.compile(r"run-[0-9a-f]{20}")

Foyer = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def foyer(api: Api, tmp_path: Path) -> Foyer:
    """Run `foyer ARGS…` as a user of the stack (by FOYER_URL / FOYER_API_KEY unless logged in)."""

    def run(
        *args: str, user: str | None = "ada", **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FOYER_CONFIG_DIR": str(tmp_path / "config"), "COLUMNS": "200"}
        for name in ("FOYER_URL", "FOYER_API_KEY", "FOYER_PROFILE"):
            env.pop(name, None)
        if user:
            env |= {"FOYER_URL": api.base_url, "FOYER_API_KEY": api.keys[user]}
        return subprocess.run(
            [str(FOYER), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            check=False,
            **kwargs,
        )

    return run


def real_delete(table: str) -> list[str]:
    return [
        *("--aws-account", "sandbox", "--region", "us-east-1", "--table-name", table),
        *("--no-dry-run", "--reason", "Decommissioning a test table"),
    ]


def test_login_saves_a_private_profile_and_whoami_reads_it(
    foyer: Foyer, api: Api, tmp_path: Path
) -> None:
    result = foyer(
        "login", "--url", api.base_url, "--api-key", api.keys["grace"], "--profile", "ops",
        user=None,
    )  # fmt: skip
    config = tmp_path / "config" / "config.toml"
    assert (result.returncode, result.stdout) == (
        0,
        f"Logged in to {api.base_url} as Grace Hopper <grace@example.com>.\n"
        f"Saved profile `ops` in {config}.\n",
    )
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    who = foyer("whoami", "--profile", "ops", user=None)
    assert who.stdout == (
        "Grace Hopper <grace@example.com>\ngroups: cloud-ops, engineering\n"
        f"gateway: {api.base_url}\n"
    )
    bad = foyer("login", "--url", api.base_url, "--api-key", "foyer_wrong", user=None)
    assert (bad.returncode, bad.stderr) == (
        1,
        "error: This API key is not valid; check the key with `foyer login`\n",
    )


def test_workflows_list_and_show(foyer: Foyer) -> None:
    listed = foyer("workflows", "list", "--team", "cloud-ops", "--search", "dynamodb")
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[1].split() == [
        "cloud-ops", ENTRY, "Delete", "a", "DynamoDB", "table", "required", "run",
    ]  # fmt: skip
    everything = foyer("workflows", "list", "-o", "json")
    teams = {owner for item in json.loads(everything.stdout)["items"] for owner in item["owners"]}
    assert {"cloud-ops", "platform"} <= teams
    shown = foyer("workflows", "show", ENTRY)
    assert shown.returncode == 0
    assert "  --table-name   string   required  Name of the DynamoDB table to delete." in (
        shown.stdout.splitlines()
    )
    as_json = json.loads(foyer("workflows", "show", ENTRY, "-o", "json").stdout)
    assert as_json["schema"]["required"] == ["aws_account", "region", "table_name"]


async def test_run_dry_run_and_wait(foyer: Foyer, api: Api, table: str, dynamodb: Any) -> None:
    result = foyer(
        "run", ENTRY, "-e", "stage", "--aws-account", "sandbox", "--region", "us-east-1",
        "--table_name", table, "--dry-run", "--yes", "--wait",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    run_id = RUN_ID.search(result.stdout)
    assert run_id
    assert result.stdout.startswith(f"Started {run_id[0]}: Delete a DynamoDB table in stage, ")
    assert "succeeded" in result.stdout
    assert "  deleted: false" in result.stdout
    run = await api.run(run_id[0])
    assert (run["client"], run["inputs"]["table_name"], run["inputs"]["dry_run"]) == (
        "cli",
        table,
        True,
    )
    assert table_exists(dynamodb, table)

    shown = foyer("runs", "show", run_id[0])
    assert shown.stdout.splitlines()[1] == "status:       succeeded"


def test_invalid_inputs_never_reach_the_gateway(foyer: Foyer) -> None:
    result = foyer(
        "run", ENTRY, "--aws-account", "moon", "--region", "us-east-1", "--table-name", "x",
        "--yes",
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (
        2,
        "error: inputs.aws_account: must be one of: sandbox, payments-prod, data-prod\n"
        "error: inputs.table_name: must match pattern ^[A-Za-z0-9_.-]{3,255}$\n",
    )


def test_without_yes_and_without_a_terminal_it_refuses(foyer: Foyer) -> None:
    result = foyer("run", ENTRY, "--example", "Plan with defaults")
    assert result.returncode == 2
    assert result.stderr.endswith("pass --yes to start it\n")


def test_refused_approvals_then_an_approver_approves(
    foyer: Foyer, table: str, dynamodb: Any
) -> None:
    started = foyer("run", ENTRY, *real_delete(table), "--yes", "-o", "json", user="grace")
    assert started.returncode == 0, started.stderr
    run_id = json.loads(started.stdout)["id"]
    waiting = wait_cli_status(foyer, run_id, "awaiting_approval")
    assert waiting["plan"]["item_count"] == 3

    own = foyer("approve", run_id, "--comment", "mine", user="grace")
    assert (own.returncode, own.stderr) == (
        3,
        "error: grace@example.com requested this run and may not approve it\n",
    )
    outsider = foyer("approve", run_id)
    assert (outsider.returncode, outsider.stderr) == (
        3,
        "error: ada@example.com is not in an approver group (cloud-ops)\n",
    )
    approved = foyer("approve", run_id, "--comment", "checked", user="linus")
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.startswith(f"Approved {run_id} (Delete a DynamoDB table).\n")

    watched = foyer("runs", "watch", run_id)
    assert watched.returncode == 0, watched.stdout
    assert "approved by Linus Torvalds <linus@example.com>" in watched.stdout
    assert not table_exists(dynamodb, table)


def poll(
    attempt: Callable[[], subprocess.CompletedProcess[str]],
    done: Callable[[subprocess.CompletedProcess[str]], bool],
    timeout: float = 20,
) -> subprocess.CompletedProcess[str]:
    """Run ``attempt`` until ``done`` holds or ``timeout`` passes; the last result either way."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        result = attempt()
        if done(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def wait_cli_status(foyer: Foyer, run_id: str, status: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 30
    while True:
        run = json.loads(foyer("runs", "show", run_id, "-o", "json").stdout)
        if run["status"] == status or time.monotonic() > deadline:
            assert run["status"] == status, run
            return run  # type: ignore[no-any-return]
        time.sleep(0.2)


def test_wait_exits_11_when_rejected(foyer: Foyer, api: Api, table: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FOYER_CONFIG_DIR": str(tmp_path / "config"),
        "FOYER_URL": api.base_url,
        "FOYER_API_KEY": api.keys["ada"],
    }
    waiting = subprocess.Popen(
        [str(FOYER), "run", ENTRY, *real_delete(table), "--yes", "--wait"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert waiting.stdout is not None
        first = waiting.stdout.readline()
        run_id = RUN_ID.search(first)
        assert run_id, first
        wait_cli_status(foyer, run_id[0], "awaiting_approval")
        rejected = foyer("reject", run_id[0], "--comment", "still in use", user="grace")
        assert rejected.returncode == 0, rejected.stderr
        out, _ = waiting.communicate(timeout=60)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.communicate()
    assert waiting.returncode == 11
    assert "  Rejected: Rejected by Grace Hopper: still in use\n" in out


def test_cancel_and_watch_exit_12(foyer: Foyer, table: str) -> None:
    started = foyer("run", ENTRY, *real_delete(table), "--yes", "-o", "json")
    run_id = json.loads(started.stdout)["id"]
    wait_cli_status(foyer, run_id, "awaiting_approval")
    cancelled = foyer("cancel", run_id, "--reason", "wrong table")
    assert cancelled.returncode == 0, cancelled.stderr
    assert foyer("runs", "watch", run_id).returncode == 12


def test_unknown_run_and_workflow(foyer: Foyer) -> None:
    missing = foyer("runs", "show", "run-00000000000000000000")
    assert missing.returncode == 4
    assert missing.stderr.startswith("error: ")
    unknown = foyer("run", "delete-dynamodb-tabel", "--yes")
    assert (unknown.returncode, unknown.stderr) == (
        4,
        "error: Workflow `delete-dynamodb-tabel` is not in the catalog; "
        "did you mean `delete-dynamodb-table`?\n",
    )


def test_runs_list_mine_and_the_inbox(foyer: Foyer, table: str) -> None:
    started = foyer("run", ENTRY, *real_delete(table), "--yes", "-o", "json")
    run_id = json.loads(started.stdout)["id"]
    wait_cli_status(foyer, run_id, "awaiting_approval")

    mine = poll(
        lambda: foyer("runs", "list", "--mine", "--workflow", ENTRY, "--limit", "100"),
        lambda r: run_id in r.stdout or r.returncode != 0,
    )
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout.startswith("RUN ")
    assert any(line.startswith(run_id) for line in mine.stdout.splitlines())
    theirs = foyer("runs", "list", "--mine", "--limit", "100", user="linus")
    assert run_id not in theirs.stdout

    # The inbox reads the run ledger, which may trail the workflow by a moment.
    inbox = poll(lambda: foyer("approvals", user="grace"), lambda r: run_id in r.stdout)
    assert inbox.returncode == 0, inbox.stderr
    assert any(line.startswith(run_id) for line in inbox.stdout.splitlines())
    assert run_id not in foyer("approvals").stdout  # ada may not approve
    foyer("cancel", run_id)


def test_snippets_by_language(foyer: Foyer, api: Api) -> None:
    curl = foyer("snippets", ENTRY, "--language", "curl", "--example", "Dry run in stage")
    assert curl.returncode == 0
    assert curl.stdout.startswith("# Reads your API key from FOYER_API_KEY.\n")
    assert api.keys["ada"] not in curl.stdout
    refused = foyer("snippets", ENTRY, "--language", "temporal")
    assert refused.returncode == 3
    temporal = foyer("snippets", ENTRY, "--language", "temporal", user="grace")
    assert temporal.returncode == 0
    assert 'namespace="cloud-ops-stage"' in temporal.stdout  # the first example runs in stage
