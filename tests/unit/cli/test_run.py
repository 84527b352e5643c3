"""`foyer run ID`: options generated from the schema, local validation, confirmation, --wait."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from foyer.cli import output
from foyer.cli.app import app

from .fakes import ENTRY_ID, FakeGateway, run_json

VALID = [
    "--aws-account", "sandbox", "--region", "us-east-1", "--table-name", "orders", "--yes",
]  # fmt: skip


def sent_body(gateway: FakeGateway) -> dict[str, Any]:
    [request] = gateway.sent("POST", "/api/runs")
    return json.loads(request.content)  # type: ignore[no-any-return]


def test_options_become_inputs(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(
        app,
        [
            *("run", ENTRY_ID, "--aws-account", "sandbox", "--region=us-east-1"),
            *("--table_name", "orders", "--no-dry-run", "--reason", "Retired last quarter"),
            "--yes",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sent_body(gateway) == {
        "workflow": ENTRY_ID,
        "environment": "prod",
        "inputs": {
            "aws_account": "sandbox",
            "region": "us-east-1",
            "table_name": "orders",
            "dry_run": False,
            "reason": "Retired last quarter",
        },
    }
    assert result.stdout == (
        "Started run-1: Delete a DynamoDB table in prod, pending.\n"
        "  api:      http://gateway.test/api/runs/run-1\n"
        "  router:   http://ui.test/namespaces/gateway/workflows/run-1\n"
        "Follow it: foyer runs watch run-1\n"
    )


def test_each_run_gets_a_fresh_idempotency_key_unless_given(
    runner: CliRunner, gateway: FakeGateway
) -> None:
    runner.invoke(app, ["run", ENTRY_ID, *VALID])
    runner.invoke(app, ["run", ENTRY_ID, *VALID])
    runner.invoke(app, ["run", ENTRY_ID, *VALID, "--idempotency-key", "ticket-4711"])
    keys = [r.headers["Idempotency-Key"] for r in gateway.sent("POST", "/api/runs")]
    assert len(set(keys[:2])) == 2 and keys[2] == "ticket-4711"
    assert {r.headers["X-Foyer-Client"] for r in gateway.requests} == {"cli"}


def test_example_then_file_then_options(
    runner: CliRunner, gateway: FakeGateway, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps({"table_name": "from-file", "region": "eu-west-1"}))
    result = runner.invoke(
        app,
        [
            *("run", ENTRY_ID, "--example", "dry run in stage", "--inputs-file", str(inputs)),
            *("--region", "us-west-2", "--yes", "-o", "json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sent_body(gateway) == {
        "workflow": ENTRY_ID,
        "environment": "stage",  # the example's
        "inputs": {
            "aws_account": "sandbox",
            "region": "us-west-2",
            "table_name": "from-file",
            "dry_run": True,
        },
    }
    assert json.loads(result.stdout)["id"] == "run-1"


def test_invalid_inputs_are_refused_before_sending(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(
        app, ["run", ENTRY_ID, "--aws-account", "nope", "--table-name", "x", "--yes"]
    )
    assert (result.exit_code, result.stderr) == (
        2,
        "error: inputs.aws_account: must be one of: sandbox, payments-prod, data-prod\n"
        "error: inputs.region: is required\n"
        "error: inputs.table_name: must match pattern ^[A-Za-z0-9_.-]{3,255}$\n",
    )
    assert gateway.sent("POST", "/api/runs") == []


def test_unknown_environment_lists_the_choices(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["run", ENTRY_ID, *VALID, "-e", "dev"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: Workflow `delete-dynamodb-table` has no environment `dev`; "
        "choose one of: prod, stage\n",
    )


def test_misspelt_option_is_a_usage_error(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["run", ENTRY_ID, "--tabel-name", "x"])
    assert result.exit_code == 2
    assert "No such option: --tabel-name" in result.output


def test_gateway_errors_print_one_line_per_field(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.errors[("POST", "/api/runs")] = (
        422,
        [
            {"field": "inputs.table_name", "message": "must match pattern x"},
            {"field": "inputs.reason", "message": "is required"},
        ],
    )
    result = runner.invoke(app, ["run", ENTRY_ID, *VALID])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: inputs.table_name: must match pattern x\nerror: inputs.reason: is required\n",
    )


def test_refused_and_unknown_exit_codes(runner: CliRunner, gateway: FakeGateway) -> None:
    gateway.errors[("POST", "/api/runs")] = (403, [{"field": "", "message": "You may not"}])
    assert runner.invoke(app, ["run", ENTRY_ID, *VALID]).exit_code == 3
    result = runner.invoke(app, ["run", "delete-dynamodb-tabel", "--yes"])
    assert (result.exit_code, result.stderr) == (
        4,
        "error: Workflow `delete-dynamodb-tabel` is not in the catalog; "
        "did you mean `delete-dynamodb-table`?\n",
    )


def test_without_yes_and_without_a_terminal_nothing_is_sent(
    runner: CliRunner, gateway: FakeGateway
) -> None:
    result = runner.invoke(app, ["run", ENTRY_ID, *VALID[:-1]])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: not starting `delete-dynamodb-table` without a confirmation, and there is "
        "no terminal to ask on; pass --yes to start it\n",
    )
    assert gateway.sent("POST", "/api/runs") == []


@pytest.mark.parametrize(("answer", "code", "posts"), [("y\n", 0, 1), ("n\n", 1, 0)])
def test_on_a_terminal_the_request_is_shown_and_confirmed(
    runner: CliRunner,
    gateway: FakeGateway,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    posts: int,
) -> None:
    monkeypatch.setattr(output, "stdin_is_terminal", lambda: True)
    result = runner.invoke(
        app, ["run", ENTRY_ID, *VALID[:-1], "--idempotency-key", "k-1"], input=answer
    )
    assert result.exit_code == code
    assert result.stderr.startswith(
        "POST http://gateway.test/api/runs\nIdempotency-Key: k-1\n{\n"
        '  "workflow": "delete-dynamodb-table",\n  "environment": "prod",\n'
    )
    assert "Start this run? [y/N]:" in result.stderr
    assert len(gateway.sent("POST", "/api/runs")) == posts


@pytest.mark.parametrize(
    ("final", "code"), [("succeeded", 0), ("failed", 10), ("rejected", 11), ("cancelled", 12)]
)
def test_wait_exits_with_the_final_status(
    runner: CliRunner, gateway: FakeGateway, final: str, code: int
) -> None:
    error = None if final == "succeeded" else {"type": "Rejected", "message": "Rejected by Grace"}
    gateway.run_states = [
        run_json(status="awaiting_approval", message="Waiting for approval"),
        run_json(status=final, error=error),
    ]
    result = runner.invoke(app, ["run", ENTRY_ID, *VALID, "--wait"])
    assert result.exit_code == code, result.output
    lines = result.stdout.splitlines()
    assert lines[-2 if error else -1].endswith(final)


def test_run_help_lists_the_workflows_fields(runner: CliRunner, gateway: FakeGateway) -> None:
    result = runner.invoke(app, ["run", ENTRY_ID, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for text in (
        "Usage: foyer run delete-dynamodb-table [OPTIONS]",
        "Inputs of delete-dynamodb-table",
        "--aws-account",
        "One of: sandbox, payments-prod, data-prod. Required.",
        "--dry-run",
        "--no-dry-run",
        "One of: prod, stage.",
    ):
        assert text in result.stdout, text
    assert "--table_name" not in result.stdout  # accepted, but not shown twice


def test_run_without_a_workflow_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0
    assert "Usage: foyer run ID [OPTIONS]" in result.stdout
