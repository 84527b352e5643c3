"""Dry-run plans that approvers read, and the re-check right before acting.

A plan describes the world as it was when the run was planned. Approval can
take hours; before acting, a workflow plans again and compares the facts the
approvers relied on. If any changed, it stops and changes nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field
from temporalio.exceptions import ApplicationError

PLAN_CHANGED = "PlanChanged"
BLOCKED = "Blocked"


class Plan(BaseModel):
    """What a run will do, for approvers to read.

    Subclasses list in ``FACTS`` the fields an approval depends on.
    """

    FACTS: ClassVar[tuple[str, ...]] = ()

    actions: list[str] = Field(default_factory=list)
    """Each change the run will make, in order, in plain words."""
    warnings: list[str] = Field(default_factory=list)
    """What an approver should know: outages, costs, what cannot be undone."""
    blockers: list[str] = Field(default_factory=list)
    """Why the run cannot go ahead; a run with blockers fails before asking for approval."""

    def facts(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FACTS}


def changes(approved: Plan, current: Plan) -> list[str]:
    """The facts that differ between the approved plan and a fresh one, in plain words."""
    before, after = approved.facts(), current.facts()
    return [
        f"{name} was {before[name]!r}, now {after[name]!r}"
        for name in before
        if before[name] != after[name]
    ]


def ensure_unchanged(approved: Plan, current: Plan) -> None:
    """Refuse to act on an approval of a world that no longer exists.

    Raises:
        ApplicationError: non-retryable, of type ``PlanChanged``, listing what changed.
    """
    found = changes(approved, current)
    if found:
        raise ApplicationError(
            "The plan changed while the run waited for approval, so nothing was done: "
            + "; ".join(found)
            + ". Submit a new request to plan again.",
            type=PLAN_CHANGED,
            non_retryable=True,
        )


def ensure_unblocked(plan: Plan) -> None:
    """Fail before asking anyone to approve a plan that cannot be carried out.

    Raises:
        ApplicationError: non-retryable, of type ``Blocked``, with every blocker.
    """
    if plan.blockers:
        raise ApplicationError("; ".join(plan.blockers), type=BLOCKED, non_retryable=True)
