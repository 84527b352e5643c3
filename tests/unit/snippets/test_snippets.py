"""Snippets: exact text, no key inside, an Idempotency-Key in each, code that parses."""

from __future__ import annotations

import ast
import shutil
import subprocess
from typing import Any

import pytest

from foyer.catalog import Catalog
from foyer.contracts import ApprovalPolicy, Identity
from foyer.snippets import LANGUAGES, SnippetRequest, TemporalStart, build_snippets, cli_command
from tests.unit.cli.fakes import REPO

ENTRY = Catalog.load(REPO / "examples" / "catalog").get("delete-dynamodb-table")
INPUTS = {
    "aws_account": "sandbox",
    "region": "us-east-1",
    "table_name": "it's-a-table",
    "dry_run": False,
    "reason": "Retired; see ticket 42",
}
TEMPORAL = TemporalStart(
    address="127.0.0.1:7233",
    namespace="cloud-ops",
    task_queue="datastore-queue",
    workflow_type="DeleteDynamoDBTable",
    requester={"subject": "grace@example.com", "name": "Grace Hopper", "groups": ["cloud-ops"]},
    approval={"required": True, "min_approvers": 1, "approver_groups": ["cloud-ops"]},
)


def request(temporal: TemporalStart | None = None, **changes: Any) -> SnippetRequest:
    fields: dict[str, Any] = {
        "base_url": "https://foyer.example.com",
        "entry_id": ENTRY.id,
        "schema": ENTRY.schema,
        "environment": "prod",
        "inputs": INPUTS,
        "idempotency_key": "key-123",
        "temporal": temporal,
    }
    return SnippetRequest(**{**fields, **changes})


def test_languages_in_order_and_temporal_only_when_allowed() -> None:
    assert [s.language for s in build_snippets(request())] == list(LANGUAGES[:4])
    assert [s.language for s in build_snippets(request(TEMPORAL))] == list(LANGUAGES)


def test_cli_snippet() -> None:
    [cli] = [s for s in build_snippets(request()) if s.language == "cli"]
    assert cli.label == "foyer CLI"
    assert cli.code == (
        "# Reads your API key from FOYER_API_KEY (or the profile `foyer login` saved).\n"
        "# Retrying with the same --idempotency-key returns the same run.\n"
        "FOYER_URL=https://foyer.example.com foyer run delete-dynamodb-table \\\n"
        "  --environment prod \\\n"
        "  --aws-account sandbox \\\n"
        "  --region us-east-1 \\\n"
        "  --table-name 'it'\"'\"'s-a-table' \\\n"
        "  --no-dry-run \\\n"
        "  --reason 'Retired; see ticket 42' \\\n"
        "  --idempotency-key key-123 \\\n"
        "  --yes\n"
    )


def test_curl_snippet() -> None:
    [curl] = [s for s in build_snippets(request()) if s.language == "curl"]
    assert curl.code.splitlines()[:8] == [
        "# Reads your API key from FOYER_API_KEY.",
        "# Retrying with the same Idempotency-Key returns the same run.",
        "curl --fail-with-body -sS -X POST https://foyer.example.com/api/runs \\",
        '  -H "Authorization: Bearer $FOYER_API_KEY" \\',
        "  -H 'Content-Type: application/json' \\",
        "  -H 'Idempotency-Key: key-123' \\",
        "  -H 'X-Foyer-Client: curl' \\",
        "  --data-binary @- <<'EOF'",
    ]


@pytest.mark.parametrize("library", ["httpx", "requests"])
def test_python_snippets_send_the_same_body(library: str) -> None:
    [snippet] = [s for s in build_snippets(request()) if s.language == library]
    tree = ast.parse(snippet.code)
    [call] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == f"{library}.post"
    ]
    keywords = {k.arg: k.value for k in call.keywords}
    assert ast.literal_eval(keywords["json"]) == {
        "workflow": ENTRY.id,
        "environment": "prod",
        "inputs": INPUTS,
    }
    headers = keywords["headers"]
    assert isinstance(headers, ast.Dict)
    pairs = {ast.literal_eval(k): v for k, v in zip(headers.keys, headers.values, strict=True)}  # type: ignore[arg-type]
    assert ast.literal_eval(pairs["Idempotency-Key"]) == "key-123"
    assert ast.literal_eval(pairs["X-Foyer-Client"]) == f"python-{library}"
    assert "os.environ['FOYER_API_KEY']" in ast.unparse(pairs["Authorization"])


def test_temporal_snippet_builds_a_valid_workflow_request() -> None:
    [snippet] = [s for s in build_snippets(request(TEMPORAL)) if s.language == "temporal"]
    tree = ast.parse(snippet.code)
    [call] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "WorkflowRequest"
    ]
    values = {}
    for keyword in call.keywords:
        if isinstance(keyword.value, ast.Call):
            inner = {k.arg: ast.literal_eval(k.value) for k in keyword.value.keywords}
            model = {"Identity": Identity, "ApprovalPolicy": ApprovalPolicy}[
                ast.unparse(keyword.value.func)
            ]
            values[keyword.arg] = model(**inner)
        else:
            values[keyword.arg] = ast.literal_eval(keyword.value)
    from foyer.contracts import WorkflowRequest

    built = WorkflowRequest(**values)
    assert (built.entry_id, built.environment, built.inputs) == (ENTRY.id, "prod", INPUTS)
    assert built.requester.subject == "grace@example.com"
    assert 'id="delete-dynamodb-table-direct-key-123"' in snippet.code
    assert 'task_queue="datastore-queue"' in snippet.code


def test_no_snippet_holds_a_key_and_each_sends_an_idempotency_key() -> None:
    for snippet in build_snippets(request(TEMPORAL)):
        assert "foyer_" not in snippet.code
        assert "key-123" in snippet.code, snippet.language


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("language", ["cli", "curl"])
def test_shell_snippets_parse(language: str) -> None:
    [snippet] = [s for s in build_snippets(request()) if s.language == language]
    subprocess.run(["bash", "-n"], input=snippet.code, text=True, check=True)


def test_inputs_outside_the_schema_go_through_a_file() -> None:
    command = cli_command(ENTRY.id, ENTRY.schema, {"extra": {"a": 1}})
    assert command.startswith("cat > inputs.json <<'EOF'\n{\n  \"extra\": {\n")
    assert command.endswith(
        "foyer run delete-dynamodb-table \\\n  --inputs-file inputs.json \\\n  --yes"
    )
