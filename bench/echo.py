"""The trivial team workflow the benchmark starts: one workflow task, no activity.

Its catalog entry is written at run time by ``latency.py``; ``ENTRY_YAML``
keeps the two in one place. ``echo_worker.py`` runs it. This module stays a
workflow module only: the sandbox re-imports it for every run.
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from foyer.contracts import WorkflowRequest

ENTRY_ID = "bench-echo"
WORKFLOW_TYPE = "BenchEcho"
NAMESPACE = "cloud-ops"
ENDPOINT = "cloud-ops"
TASK_QUEUE = "bench-echo"
ENVIRONMENT = "bench"

ENTRY_YAML = f"""\
apiVersion: foyer/v1
kind: Workflow
id: {ENTRY_ID}
title: Benchmark echo
description: Returns at once; started by bench/latency.py.
owners: [cloud-ops]
workflow_type: {WORKFLOW_TYPE}
namespace: {NAMESPACE}
nexus_endpoint: {ENDPOINT}
task_queue: {TASK_QUEUE}
default_environment: {ENVIRONMENT}
environments:
  {ENVIRONMENT}: {{}}
access:
  run: ["*"]
timeout: 5m
schema:
  type: object
  required: [n]
  properties:
    n: {{type: integer, minimum: 0}}
examples:
  - name: First
    inputs: {{n: 0}}
"""


@workflow.defn(name=WORKFLOW_TYPE)
class BenchEcho:
    """Answers with the time its first workflow task started, so callers can time the path."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> dict[str, Any]:
        return {
            "run_id": request.run_id,
            "n": request.inputs.get("n"),
            # The task's start time as recorded by the server; the bench shares its clock.
            "started_at": workflow.now().timestamp(),
        }
