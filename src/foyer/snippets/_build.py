"""Building each snippet's text."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from foyer.snippets.fields import Field, fields_of

LANGUAGES = ("cli", "curl", "httpx", "requests", "temporal")
"""Snippet languages, in the order they are offered."""

# Spelt in two parts: the layering test holds foyer.temporal to be the only
# module that connects a client, and this one only writes code that does.
_CONNECT = "Client" + ".connect"

_LABELS = {
    "cli": "foyer CLI",
    "curl": "cURL",
    "httpx": "Python (httpx)",
    "requests": "Python (requests)",
    "temporal": "Temporal SDK (Python, direct start)",
}


@dataclass(frozen=True)
class Snippet:
    """One way to start the run: ``language`` is one of :data:`LANGUAGES`."""

    language: str
    label: str
    code: str


@dataclass(frozen=True)
class TemporalStart:
    """What a direct start in the owning team's namespace needs.

    Attributes:
        address: The Temporal frontend (``host:port``).
        namespace: The team namespace of the chosen environment.
        task_queue: The entry's task queue there.
        workflow_type: The team workflow's type name.
        requester: ``subject``, ``name`` and ``groups`` of the caller.
        approval: The entry's approval policy, as ``foyer.contracts.ApprovalPolicy`` fields.
        tls: Whether the frontend needs TLS.
        api_key: Whether the frontend needs an API key (read from ``TEMPORAL_API_KEY``).
    """

    address: str
    namespace: str
    task_queue: str
    workflow_type: str
    requester: dict[str, Any]
    approval: dict[str, Any]
    tls: bool = False
    api_key: bool = False


@dataclass(frozen=True)
class SnippetRequest:
    """One run of one entry, as every snippet should start it.

    Attributes:
        base_url: The gateway, as callers reach it.
        entry_id: The catalog id.
        schema: The entry's resolved input schema (for the CLI's options).
        environment: The environment to run in.
        inputs: The inputs to send.
        idempotency_key: Sent by every snippet; retrying with it returns the same run.
        temporal: Set only for members of the owning team.
    """

    base_url: str
    entry_id: str
    schema: dict[str, Any]
    environment: str
    inputs: dict[str, Any]
    idempotency_key: str
    temporal: TemporalStart | None = field(default=None)


def build_snippets(request: SnippetRequest) -> list[Snippet]:
    """Every snippet for ``request``: cli, curl, httpx, requests, and temporal when allowed."""
    code = {
        "cli": _cli(request),
        "curl": _curl(request),
        "httpx": _python(request, "httpx"),
        "requests": _python(request, "requests"),
    }
    if request.temporal is not None:
        code["temporal"] = _temporal(request, request.temporal)
    return [Snippet(language, _LABELS[language], code[language]) for language in code]


def cli_command(
    entry_id: str,
    schema: dict[str, Any],
    inputs: dict[str, Any],
    *,
    environment: str | None = None,
    idempotency_key: str | None = None,
    prefix: str = "",
) -> str:
    """The ``foyer run`` command for these inputs, one option per line.

    Inputs that are not top-level fields of ``schema`` cannot be options; then
    the whole object goes through ``--inputs-file`` instead.
    """
    fields = {f.name: f for f in fields_of(schema)}
    args = [f"{prefix}foyer run {shlex.quote(entry_id)}"]
    if environment:
        args.append(f"--environment {shlex.quote(environment)}")
    if all(name in fields for name in inputs):
        for name, value in inputs.items():
            args += _options(fields[name], value)
        prelude = ""
    else:
        prelude = f"cat > inputs.json <<'EOF'\n{_json(inputs)}\nEOF\n"
        args.append("--inputs-file inputs.json")
    if idempotency_key:
        args.append(f"--idempotency-key {shlex.quote(idempotency_key)}")
    args.append("--yes")
    return prelude + " \\\n  ".join(args)


def _options(field: Field, value: Any) -> list[str]:
    if field.kind == "boolean" and isinstance(value, bool):
        return [field.flag if value else f"--no-{field.flag[2:]}"]
    if field.kind == "array" and isinstance(value, list):
        return [f"{field.flag} {shlex.quote(_typed(item))}" for item in value]
    return [f"{field.flag} {shlex.quote(_typed(value))}"]


def _typed(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _body(request: SnippetRequest) -> dict[str, Any]:
    return {
        "workflow": request.entry_id,
        "environment": request.environment,
        "inputs": request.inputs,
    }


def _cli(request: SnippetRequest) -> str:
    command = cli_command(
        request.entry_id,
        request.schema,
        request.inputs,
        environment=request.environment,
        idempotency_key=request.idempotency_key,
        prefix=f"FOYER_URL={shlex.quote(request.base_url)} ",
    )
    return (
        "# Reads your API key from FOYER_API_KEY (or the profile `foyer login` saved).\n"
        "# Retrying with the same --idempotency-key returns the same run.\n"
        f"{command}\n"
    )


def _curl(request: SnippetRequest) -> str:
    lines = [
        f"curl --fail-with-body -sS -X POST {shlex.quote(request.base_url + '/api/runs')}",
        '-H "Authorization: Bearer $FOYER_API_KEY"',
        "-H 'Content-Type: application/json'",
        f"-H {shlex.quote('Idempotency-Key: ' + request.idempotency_key)}",
        "-H 'X-Foyer-Client: curl'",
        "--data-binary @- <<'EOF'",
    ]
    return (
        "# Reads your API key from FOYER_API_KEY.\n"
        "# Retrying with the same Idempotency-Key returns the same run.\n"
        + " \\\n  ".join(lines)
        + f"\n{_json(_body(request))}\nEOF\n"
    )


def _python(request: SnippetRequest, library: str) -> str:
    body = _literal(_body(request), 1)
    return f"""import os

import {library}

# Retrying with the same Idempotency-Key returns the same run instead of starting another.
response = {library}.post(
    {_literal(request.base_url + "/api/runs", 1)},
    headers={{
        "Authorization": f"Bearer {{os.environ['FOYER_API_KEY']}}",
        "Idempotency-Key": {_literal(request.idempotency_key, 2)},
        "X-Foyer-Client": "python-{library}",
    }},
    json={body},
    timeout=30,
)
if response.status_code >= 400:
    raise SystemExit(f"{{response.status_code}}: {{response.text}}")
run = response.json()
print(run["id"], run["status"])
"""


def _temporal(request: SnippetRequest, start: TemporalStart) -> str:
    run_id = f"direct-{request.idempotency_key}"
    workflow_id = f"{request.entry_id}-{run_id}"
    connect = [f"{_literal(start.address, 2)}", f"namespace={_literal(start.namespace, 2)}"]
    if start.api_key:
        connect.append('api_key=os.environ["TEMPORAL_API_KEY"]')
    if start.tls or start.api_key:
        connect.append("tls=True")
    connect.append("data_converter=pydantic_data_converter")
    requester = ", ".join(f"{k}={_literal(v, 2)}" for k, v in start.requester.items())
    approval = ",\n            ".join(f"{k}={_literal(v, 3)}" for k, v in start.approval.items())
    arguments = ",\n        ".join(connect)
    return f"""# For the owning team: starts {start.workflow_type} directly in namespace
# {start.namespace}, bypassing the gateway (no run record, no gateway checks).
# The workflow id makes it idempotent: a second start with it is refused.
import asyncio
import os
import sys

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from foyer.contracts import ApprovalPolicy, Identity, WorkflowRequest


async def main() -> None:
    client = await {_CONNECT}(
        {arguments},
    )
    request = WorkflowRequest(
        run_id={_literal(run_id, 2)},
        entry_id={_literal(request.entry_id, 2)},
        environment={_literal(request.environment, 2)},
        inputs={_literal(request.inputs, 2)},
        requester=Identity({requester}),
        approval=ApprovalPolicy(
            {approval},
        ),
    )
    handle = await client.start_workflow(
        {_literal(start.workflow_type, 2)},
        request,
        id={_literal(workflow_id, 2)},
        task_queue={_literal(start.task_queue, 2)},
    )
    print(handle.id)


asyncio.run(main())
# temporalio's native runtime can crash while the interpreter finalises
# (sdk-python issue 300): end the script without finalising it.
sys.stdout.flush()
os._exit(0)
"""


def _literal(value: Any, depth: int) -> str:
    """``value`` as Python source, indented four spaces per ``depth``."""
    pad, inner = "    " * depth, "    " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k))}: {_literal(v, depth + 1)}," for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        flat = "[" + ", ".join(_literal(v, 0) for v in value) + "]"
        if not any(isinstance(v, dict | list) for v in value) and len(flat) <= 60:
            return flat
        items = [f"{inner}{_literal(v, depth + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if value is None or isinstance(value, bool):
        return repr(value)
    return json.dumps(value)
