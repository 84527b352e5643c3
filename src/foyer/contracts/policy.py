"""Who may run, decide and cancel: one rule, used by every layer.

The gateway applies it to answer quickly, the control service and the team
workflow apply it again because they trust nothing the gateway namespace says.
These functions are pure and deterministic, so workflow code may call them.
Subjects compare case-insensitively; group names compare exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

ANY_GROUP = "*"
"""In a list of allowed groups: any authenticated user."""


class Refusal(NamedTuple):
    """Why an action is not allowed: ``forbidden`` (never, for this caller) or
    ``conflict`` (not in the run's current state)."""

    code: Literal["forbidden", "conflict"]
    reason: str


def same_subject(a: str, b: str) -> bool:
    """Whether two subjects name the same identity (e-mail addresses ignore case)."""
    return a.casefold() == b.casefold()


def in_groups(groups: Iterable[str], allowed: Iterable[str]) -> bool:
    """Whether a member of ``groups`` belongs to one of ``allowed`` (``*`` admits everyone)."""
    allowed = set(allowed)
    return ANY_GROUP in allowed or not allowed.isdisjoint(groups)


def may_run(groups: Iterable[str], run_groups: Iterable[str]) -> bool:
    """Whether a member of ``groups`` may start a workflow open to ``run_groups``."""
    return in_groups(groups, run_groups)


def decision_refusal(
    subject: str,
    groups: Iterable[str],
    *,
    requester: str,
    approver_groups: Iterable[str],
    allow_self_approval: bool,
    decided_by: Iterable[str] = (),
) -> Refusal | None:
    """Why ``subject`` may not approve or reject a run, or ``None`` when they may.

    Args:
        subject: Who wants to decide.
        groups: Their groups.
        requester: Who requested the run.
        approver_groups: The entry's approver groups.
        allow_self_approval: Whether the entry lets a requester approve their own run.
        decided_by: Subjects who already decided this run.
    """
    approver_groups = list(approver_groups)
    if not in_groups(groups, approver_groups):
        names = ", ".join(approver_groups) or "none"
        return Refusal("forbidden", f"{subject} is not in an approver group ({names})")
    if same_subject(subject, requester) and not allow_self_approval:
        return Refusal("forbidden", f"{subject} requested this run and may not approve it")
    if any(same_subject(subject, other) for other in decided_by):
        return Refusal("conflict", f"{subject} has already decided")
    return None


def cancel_refusal(
    subject: str, groups: Iterable[str], *, requester: str, approver_groups: Iterable[str]
) -> Refusal | None:
    """Why ``subject`` may not cancel a run, or ``None`` when they may (requester or approver)."""
    if same_subject(subject, requester) or in_groups(groups, approver_groups):
        return None
    return Refusal(
        "forbidden", f"Only the requester or an approver may cancel; {subject} is neither"
    )
