"""A tiny team for testing the kit: one workflow that plans, waits for approval and answers."""

from __future__ import annotations

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from foyer.publish import Approvals, WorkflowRequest


class GreetInputs(BaseModel):
    name: str
    dry_run: bool = True


class Greeting(BaseModel):
    text: str
    environment: str
    approved_by: list[str] = []


class Misread(BaseModel):
    """A model that disagrees with its entry: the schema has no ``title``."""

    name: str
    title: str


@workflow.defn(name="Greet")
class Greet:
    @workflow.run
    async def run(self, request: WorkflowRequest) -> Greeting:
        approvals = Approvals(request)
        inputs = request.inputs_as(GreetInputs)
        approvals.publish_plan({"actions": [f"Greet {inputs.name}"]})
        if inputs.dry_run:
            return Greeting(text=f"Would greet {inputs.name}", environment=request.environment)
        approved = await approvals.wait()
        return Greeting(
            text=f"Hello, {inputs.name}",
            environment=request.environment,
            approved_by=[record.approver.subject for record in approved],
        )


@workflow.defn(name="GreetFormally")
class GreetFormally:
    @workflow.run
    async def run(self, request: WorkflowRequest) -> Greeting:
        inputs = request.inputs_as(Misread)
        return Greeting(text=f"Good day, {inputs.title} {inputs.name}", environment="")


def entry(entry_id: str, workflow_type: str) -> dict[str, object]:
    return {
        "apiVersion": "foyer/v1",
        "kind": "Workflow",
        "id": entry_id,
        "title": entry_id,
        "description": "Greets someone.",
        "owners": ["greeters"],
        "workflow_type": workflow_type,
        "namespace": "greeters",
        "nexus_endpoint": "greeters",
        "task_queue": "greetings",
        "default_environment": "prod",
        "environments": {
            "stage": {
                "namespace": "greeters-stage",
                "nexus_endpoint": "greeters-stage",
                "approval": {"required": False},
            },
            "prod": {},
        },
        "access": {"run": ["engineering"], "approve": ["greeters"]},
        "approval": {"required": True, "timeout": "1h"},
        "schema": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "dry_run": {"type": "boolean", "default": True},
            },
        },
        "examples": [{"name": "Plan", "inputs": {"name": "Ada"}}],
    }
