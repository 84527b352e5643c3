"""Every name shared between processes, defined once.

Task queues, Nexus service and operation names, search attributes and the
workflow-id builders live here so that a literal never appears twice.
"""

from __future__ import annotations

import hashlib
import secrets

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

ROUTER_WORKFLOW = "FoyerRouter"
"""Workflow type of the router: one execution per run, in the gateway namespace."""

ROUTER_TASK_QUEUE = "foyer-router"

WORKFLOWS_SERVICE = "foyer.workflows"
"""Nexus service generated from a team's catalog: one operation per workflow type."""

CONTROL_SERVICE = "foyer.control"
"""Nexus service every team endpoint also serves: decisions and cancellation."""

DECIDE_OPERATION = "decide"
CANCEL_OPERATION = "cancel"

ROUTER_DECIDE_UPDATE = "decide"
ROUTER_CANCEL_UPDATE = "cancel"
ROUTER_RECORD_QUERY = "record"

TEAM_DECIDE_UPDATE = "foyer.decide"
TEAM_CANCEL_UPDATE = "foyer.cancel"
TEAM_STATUS_QUERY = "foyer.status"

REJECTED = "Rejected"
"""``ApplicationError`` types a team workflow fails or refuses with; the router
and the control service read them to tell a rejection from a failure and a
refusal from a conflict."""
APPROVAL_TIMED_OUT = "ApprovalTimedOut"
FORBIDDEN = "Forbidden"
CONFLICT = "Conflict"
INPUTS_MISMATCH = "InputsMismatch"
"""A team workflow's input model refused inputs its entry's schema accepted."""

REQUESTER_ATTRIBUTE = SearchAttributeKey.for_keyword("FoyerRequester")
ENTRY_ATTRIBUTE = SearchAttributeKey.for_keyword("FoyerWorkflow")
SEARCH_ATTRIBUTES = (REQUESTER_ATTRIBUTE, ENTRY_ATTRIBUTE)


def run_search_attributes(requester: str, entry_id: str) -> TypedSearchAttributes:
    """Search attributes set on both the router and the team workflow of a run."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(REQUESTER_ATTRIBUTE, requester),
            SearchAttributePair(ENTRY_ATTRIBUTE, entry_id),
        ]
    )


def handler_task_queue(namespace: str) -> str:
    """Task queue of the Nexus handler worker serving ``namespace``'s endpoint."""
    return f"foyer-nexus-{namespace}"


def new_run_id() -> str:
    """A fresh run id, which is also the router's workflow id."""
    return f"run-{secrets.token_hex(10)}"


def idempotent_run_id(requester: str, idempotency_key: str) -> str:
    """The run id for a retried request: the same caller and key give the same run."""
    digest = hashlib.sha256(f"{requester}\n{idempotency_key}".encode()).hexdigest()
    return f"run-{digest[:20]}"


def team_workflow_id(entry_id: str, run_id: str) -> str:
    """Workflow id of the team workflow started for ``run_id``.

    Derived from the run, so Nexus retries of the same start (which reuse the
    request) land on the same workflow instead of starting a second one.
    """
    return f"{entry_id}-{run_id}"
