"""How a catalog entry's rules become the payloads a team workflow receives."""

from __future__ import annotations

from foyer.catalog import Entry
from foyer.contracts import ApprovalPolicy


def approval_policy(entry: Entry, environment: str | None = None) -> ApprovalPolicy:
    """The approval policy a team workflow enforces, from the team's own entry.

    Args:
        entry: The team's catalog entry.
        environment: The run's environment, whose override (if any) applies;
            ``None`` for the entry's default environment.

    Raises:
        UnknownEnvironment: If the entry does not declare ``environment``.
    """
    approval = entry.approval_for(environment)
    return ApprovalPolicy(
        required=approval.required,
        min_approvers=approval.min_approvers,
        allow_self_approval=approval.allow_self_approval,
        approver_groups=list(entry.access.approve),
        timeout_seconds=approval.timeout_seconds,
    )
