"""How a catalog entry's rules become the payloads a team workflow receives."""

from __future__ import annotations

from foyer.catalog import Entry
from foyer.contracts import ApprovalPolicy


def approval_policy(entry: Entry) -> ApprovalPolicy:
    """The approval policy a team workflow enforces, from the team's own entry."""
    return ApprovalPolicy(
        required=entry.approval.required,
        min_approvers=entry.approval.min_approvers,
        allow_self_approval=entry.approval.allow_self_approval,
        approver_groups=list(entry.access.approve),
        timeout_seconds=entry.approval.timeout_seconds,
    )
