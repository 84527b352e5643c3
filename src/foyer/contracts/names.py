"""Every name shared between processes, defined once.

Task queues, Nexus service and operation names, search attributes and the
workflow-id builders live here so that a literal never appears twice.
"""

from __future__ import annotations

import hashlib
import hmac
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

MEMO_KEY = "foyer"
"""Key of the router memo holding the run's ``RunSummary``, readable without replay."""

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


def idempotent_run_id(secret: bytes, requester: str, idempotency_key: str) -> str:
    """The run id for a retried request: the same caller and key give the same run.

    Keyed with the gateway's secret, so nobody else can compute, and pre-create,
    the id a caller's key will map to.
    """
    return f"run-{_keyed(secret, 'run', requester.casefold(), idempotency_key)[:20]}"


def decision_id(secret: bytes, run_id: str, subject: str, action: str, key: str = "") -> str:
    """The idempotency id of a decision or cancellation.

    Without an ``Idempotency-Key`` the id is the same for one caller's same action
    on one run, so a resent approval counts once and returns the first answer.
    """
    return f"{action}-{_keyed(secret, 'decision', run_id, subject.casefold(), action, key)[:24]}"


def _keyed(secret: bytes, *parts: str) -> str:
    message = "\n".join(parts).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def team_workflow_id(entry_id: str, run_id: str) -> str:
    """Workflow id of the team workflow started for ``run_id``.

    Derived from the run, so Nexus retries of the same start (which reuse the
    request id) land on the same workflow; the handler never reuses the id, so a
    replayed start is refused: a run's team workflow starts at most once, ever.
    """
    return f"{entry_id}-{run_id}"


INVENTORY_WORKFLOW = "FoyerInventory"
"""Workflow type of a team's option inventory, one execution per option source."""
INVENTORY_FETCH_ACTIVITY = "foyer.inventory.fetch"
OPTIONS_INFO_QUERY = "foyer.options.info"
OPTIONS_PAGE_QUERY = "foyer.options.page"
OPTIONS_CONTAINS_QUERY = "foyer.options.contains"
OPTIONS_REFRESH_UPDATE = "foyer.options.refresh"
"""Update a team may send its own inventory to read the world now; the gateway never does."""

SCHEDULED_RUN_WORKFLOW = "FoyerScheduledRun"
"""Started by a Temporal Schedule in the gateway namespace; submits one run."""
SCHEDULES_TASK_QUEUE = "foyer-schedules"
SUBMIT_SCHEDULED_RUN_ACTIVITY = "foyer.schedules.submit"
SCHEDULE_MEMO_KEY = "foyer_schedule"
"""Memo key that marks a Temporal Schedule as created from the catalog."""


def schedule_id(entry_id: str, name: str) -> str:
    """Id of the Temporal Schedule (and of the API resource) for an entry's schedule."""
    return f"{entry_id}.{name}"
