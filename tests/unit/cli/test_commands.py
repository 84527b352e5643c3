"""The other user commands: exact output and exit codes against an in-memory gateway."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foyer.cli import http
from foyer.cli.app import app
from foyer.cli.config import read_profiles

from .fakes import CATALOG, ENTRY_ID, URL, FakeGateway, run_json


def test_login_checks_the_key_then_saves_the_profile(
    runner: CliRunner, gateway: FakeGateway, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # login builds its own client from the URL given: route it to the fake too.
    real = http.Gateway

    def to_fake(profile: http.Profile, **kwargs: object) -> http.Gateway:
        return real(profile, transport=gateway.transport())

    monkeypatch.setattr(http, "Gateway", to_fake)
    result = runner.invoke(
        app, ["login", "--url", f"{URL}/", "--api-key", "key-9", "--profile", "work"]
    )
    assert (result.exit_code, result.stdout) == (
        0,
        f"Logged in to {URL} as Ada Lovelace <ada@example.com>.\n"
        f"Saved profile `work` in {config_dir / 'config.toml'}.\n",
    )
    assert gateway.requests[0].headers["Authorization"] == "Bearer key-9"
    assert read_profiles(config_dir / "config.toml") == {"work": {"url": URL, "api_key": "key-9"}}


def test_failed_login_saves_nothing(
    runner: CliRunner, gateway: FakeGateway, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gateway.errors[("GET", "/api/me")] = (
        401,
        [{"field": "Authorization", "message": "This API key is not valid"}],
    )
    real = http.Gateway
    monkeypatch.setattr(http, "Gateway", lambda p, **k: real(p, transport=gateway.transport()))
    result = runner.invoke(app, ["login", "--url", URL, "--api-key", "bad"])
    assert (result.exit_code, result.stderr) == (
        1,
        "error: This API key is not valid; check the key with `foyer login`\n",
    )
    assert not (config_dir / "config.toml").exists()


def test_whoami(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["whoami"])
    assert (result.exit_code, result.stdout) == (
        0,
        f"Ada Lovelace <ada@example.com>\ngroups: engineering\ngateway: {URL}\n",
    )
    as_json = runner.invoke(app, ["whoami", "-o", "json"])
    assert json.loads(as_json.stdout)["subject"] == "ada@example.com"


def test_not_logged_in(runner: CliRunner, config_dir: Path) -> None:
    result = runner.invoke(app, ["whoami"])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: no gateway URL and API key for profile `default` in "
        f"{config_dir / 'config.toml'}; run `foyer login --url URL --api-key KEY` "
        "or set FOYER_URL and FOYER_API_KEY\n",
    )


def test_workflows_list(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["workflows", "list", "--search", "dynamodb delete"])
    assert (result.exit_code, result.stdout) == (
        0,
        "TEAM       ID                     TITLE                    APPROVAL  YOU CAN\n"
        "cloud-ops  delete-dynamodb-table  Delete a DynamoDB table  required  run\n",
    )
    everything = runner.invoke(app, ["workflows", "list"]).stdout.splitlines()
    assert len(everything) == 1 + len(CATALOG.entries)
    teams = [line.split()[0] for line in everything[1:]]
    assert teams == sorted(teams)  # grouped by team
    platform = runner.invoke(app, ["workflows", "list", "--team", "platform"]).stdout
    assert {line.split()[0] for line in platform.splitlines()[1:]} == {"platform"}
    none = runner.invoke(app, ["workflows", "list", "--team", "nobody"])
    assert none.stdout == "No workflow matches.\n"


def test_workflows_show(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["workflows", "show", ENTRY_ID])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:10] == [
        "delete-dynamodb-table: Delete a DynamoDB table",
        "",
        "Deletes a table after a dry-run plan and an approval from cloud-ops.",
        "",
        "team:          cloud-ops",
        "environments:  prod, stage (default prod)",
        "approval:      required, 1 approver(s) from cloud-ops",
        "you can:       run",
        "",
        "fields:",
    ]
    assert (
        "  --region       string   required  The AWS region the resource lives in. "
        "One of: us-east-1, us-west-2, eu-west-1, eu-central-1. Default: us-east-1." in lines
    )
    assert (
        "  Dry run in stage — Plan the deletion of an archive table; nothing is changed." in lines
    )
    assert "      --table-name orders-archive \\" in lines
    assert "## Dry run first" in lines


def test_runs_list_and_filters(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.runs = [run_json("run-2", "running"), run_json("run-1", "succeeded")]
    result = runner.invoke(
        app, ["runs", "list", "--mine", "--status", "running", "--workflow", ENTRY_ID]
    )
    assert (result.exit_code, result.stdout) == (
        0,
        "RUN    WORKFLOW               ENV    STATUS     REQUESTER        CREATED\n"
        "run-2  delete-dynamodb-table  stage  running    ada@example.com  2026-11-21 10:04:05\n"
        "run-1  delete-dynamodb-table  stage  succeeded  ada@example.com  2026-11-21 10:04:05\n",
    )
    [request] = gateway.sent("GET", "/api/runs")
    assert dict(request.url.params) == {
        "requester": "me",
        "status": "running",
        "workflow": ENTRY_ID,
        "limit": "20",
    }
    bad = runner.invoke(app, ["runs", "list", "--status", "done"])
    assert bad.exit_code == 2


def test_runs_show(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.run_states = [
        run_json(
            status="rejected",
            message="Rejected",
            plan={"exists": True, "actions": ["Delete table orders"]},
            approvals=[
                {
                    "approver": "grace@example.com",
                    "name": "Grace Hopper",
                    "approve": False,
                    "comment": "still in use",
                    "at": "2026-11-21T10:05:00Z",
                }
            ],
            error={"type": "Rejected", "message": "Rejected by Grace Hopper: still in use"},
            closed_at="2026-11-21T10:05:01Z",
        )
    ]
    result = runner.invoke(app, ["runs", "show", "run-1"])
    assert (result.exit_code, result.stdout) == (
        0,
        "run-1  Delete a DynamoDB table (delete-dynamodb-table)\n"
        "status:       rejected: Rejected\n"
        "environment:  stage\n"
        "requester:    Ada Lovelace <ada@example.com> via cli\n"
        "created:      2026-11-21 10:04:05\n"
        "closed:       2026-11-21 10:05:01\n"
        "inputs:\n"
        "  table_name: orders\n"
        "plan:\n"
        "  exists: true\n"
        "  actions:\n"
        "    - Delete table orders\n"
        "approvals:\n"
        "  rejected by Grace Hopper <grace@example.com> at 2026-11-21 10:05:00: still in use\n"
        "error:        Rejected: Rejected by Grace Hopper: still in use\n"
        "links:\n"
        f"  api:      {URL}/api/runs/run-1\n"
        "  router:   http://ui.test/namespaces/gateway/workflows/run-1\n",
    )


def test_runs_show_unknown_run(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.errors[("GET", "/api/runs/run-x")] = (
        404,
        [{"field": "id", "message": "Run `run-x` does not exist"}],
    )
    result = runner.invoke(app, ["runs", "show", "run-x"])
    assert (result.exit_code, result.stderr) == (4, "error: Run `run-x` does not exist\n")


def test_runs_watch_prints_changes_until_the_end(runner: CliRunner, gateway: FakeGateway) -> None:
    waiting = run_json(status="awaiting_approval", message="Waiting for approval")
    gateway.run_states = [
        run_json(status="pending"),
        waiting,
        waiting,
        run_json(status="succeeded", result={"deleted": True}),
    ]
    result = runner.invoke(app, ["runs", "watch", "run-1"])
    assert result.exit_code == 0
    assert [line[10:] for line in result.stdout.splitlines()[:3]] == [
        "pending",
        "awaiting_approval  Waiting for approval",
        "succeeded",
    ]
    assert result.stdout.endswith("result:\n  deleted: true\n")


def test_runs_watch_json_prints_one_run_per_line(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.run_states = [run_json(status="running"), run_json(status="cancelled")]
    result = runner.invoke(app, ["runs", "watch", "run-1", "-o", "json"])
    assert result.exit_code == 12
    assert [json.loads(line)["status"] for line in result.stdout.splitlines()] == [
        "running",
        "cancelled",
    ]


def test_approvals_inbox(runner: CliRunner, gateway: FakeGateway) -> None:
    assert runner.invoke(app, ["approvals"]).stdout == "Nothing is waiting for your approval.\n"
    gateway.inbox = [run_json("run-7", "awaiting_approval")]
    result = runner.invoke(app, ["approvals"])
    assert result.stdout == (
        "RUN    WORKFLOW               ENV    REQUESTER        CREATED\n"
        "run-7  delete-dynamodb-table  stage  ada@example.com  2026-11-21 10:04:05\n"
        "Decide with: foyer approve RUN [--comment C] | foyer reject RUN --comment C\n"
    )


@pytest.mark.parametrize(
    ("args", "path", "body", "out"),
    [
        (["approve", "run-1", "--comment", "ok"], "approve", {"comment": "ok"}, "Approved"),
        (["reject", "run-1", "--comment", "no"], "reject", {"comment": "no"}, "Rejected"),
        (["cancel", "run-1"], "cancel", {"reason": ""}, "Cancelled"),
    ],
)
def test_decisions(
    runner: CliRunner,
    gateway: FakeGateway,
    args: list[str],
    path: str,
    body: dict[str, str],
    out: str,
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{out} run-1 (Delete a DynamoDB table).\nstatus: ")
    [request] = gateway.sent("POST", f"/api/runs/run-1/{path}")
    assert json.loads(request.content) == body
    assert request.headers["Idempotency-Key"]


def test_reject_needs_a_comment(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["reject", "run-1"])
    assert result.exit_code == 2
    assert gateway.requests == []


def test_refused_decision_exits_3(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.errors[("POST", "/api/runs/run-1/approve")] = (
        403,
        [{"field": "", "message": "You requested this run, and it does not allow self-approval"}],
    )
    result = runner.invoke(app, ["approve", "run-1"])
    assert (result.exit_code, result.stderr) == (
        3,
        "error: You requested this run, and it does not allow self-approval\n",
    )


def test_snippets(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.snippets = [
        {"language": "cli", "label": "foyer CLI", "code": "foyer run x --yes\n"},
        {"language": "curl", "label": "cURL", "code": "curl …\n"},
    ]
    result = runner.invoke(app, ["snippets", ENTRY_ID, "--environment", "stage"])
    assert result.stdout == (
        "# ── foyer CLI (cli) ──\nfoyer run x --yes\n\n# ── cURL (curl) ──\ncurl …\n"
    )
    [request] = gateway.sent("GET", f"/api/catalog/{ENTRY_ID}/snippets")
    assert dict(request.url.params) == {"environment": "stage"}
    assert runner.invoke(app, ["snippets", ENTRY_ID, "--language", "curl"]).stdout == "curl …\n"
    refused = runner.invoke(app, ["snippets", ENTRY_ID, "--language", "temporal"])
    assert (refused.exit_code, refused.stderr) == (
        3,
        "error: the temporal snippet of `delete-dynamodb-table` is only for members of "
        "the team that owns it\n",
    )


def test_unreachable_gateway_exits_5(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOYER_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("FOYER_API_KEY", "k")
    monkeypatch.setattr(http.time, "sleep", lambda seconds: None)
    result = runner.invoke(app, ["workflows", "list"])
    assert result.exit_code == 5
    assert result.stderr.startswith("error: cannot reach the gateway at http://127.0.0.1:9: ")
    assert "Traceback" not in result.output
