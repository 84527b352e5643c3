"""The one access rule, as a table: every layer calls these functions."""

from __future__ import annotations

import pytest

from foyer.contracts.names import decision_id, idempotent_run_id
from foyer.contracts.policy import cancel_refusal, decision_refusal, may_run

SECRET = b"s" * 32


@pytest.mark.parametrize(
    ("groups", "run_groups", "allowed"),
    [
        (["engineering"], ["engineering"], True),
        (["data"], ["engineering"], False),
        ([], ["*"], True),
        (["x"], [], False),
    ],
)
def test_may_run(groups: list[str], run_groups: list[str], allowed: bool) -> None:
    assert may_run(groups, run_groups) is allowed


@pytest.mark.parametrize(
    ("subject", "groups", "requester", "approvers", "self_ok", "decided", "expected"),
    [
        ("grace@x", ["ops"], "ada@x", ["ops"], False, [], None),
        ("grace@x", ["eng"], "ada@x", ["ops"], False, [], "forbidden"),
        ("grace@x", ["eng"], "ada@x", ["*"], False, [], None),  # the wildcard, everywhere
        ("grace@x", ["ops"], "grace@x", ["ops"], False, [], "forbidden"),
        ("GRACE@X", ["ops"], "grace@x", ["ops"], False, [], "forbidden"),  # case-insensitive
        ("grace@x", ["ops"], "grace@x", ["ops"], True, [], None),
        ("grace@x", ["ops"], "ada@x", ["ops"], False, ["Grace@X"], "conflict"),
        ("linus@x", ["ops"], "ada@x", ["ops"], False, ["grace@x"], None),
    ],
)
def test_decision_refusal(
    subject: str,
    groups: list[str],
    requester: str,
    approvers: list[str],
    self_ok: bool,
    decided: list[str],
    expected: str | None,
) -> None:
    refusal = decision_refusal(
        subject,
        groups,
        requester=requester,
        approver_groups=approvers,
        allow_self_approval=self_ok,
        decided_by=decided,
    )
    assert (refusal.code if refusal else None) == expected


@pytest.mark.parametrize(
    ("subject", "groups", "requester", "approvers", "allowed"),
    [
        ("ada@x", [], "ada@x", ["ops"], True),
        ("ADA@x", [], "ada@x", ["ops"], True),
        ("grace@x", ["ops"], "ada@x", ["ops"], True),
        ("mallory@x", ["eng"], "ada@x", ["ops"], False),
    ],
)
def test_cancel_refusal(
    subject: str, groups: list[str], requester: str, approvers: list[str], allowed: bool
) -> None:
    refusal = cancel_refusal(subject, groups, requester=requester, approver_groups=approvers)
    assert (refusal is None) is allowed


def test_run_ids_are_keyed_with_the_secret() -> None:
    one = idempotent_run_id(SECRET, "ada@x", "k")
    assert one == idempotent_run_id(SECRET, "ADA@x", "k")
    assert one != idempotent_run_id(b"t" * 32, "ada@x", "k")
    assert one != idempotent_run_id(SECRET, "grace@x", "k")
    assert len(one) == 24


def test_decision_ids_name_one_callers_one_action() -> None:
    approve = decision_id(SECRET, "run-1", "grace@x", "approve")
    assert approve == decision_id(SECRET, "run-1", "Grace@X", "approve")
    assert approve != decision_id(SECRET, "run-1", "grace@x", "reject")
    assert approve != decision_id(SECRET, "run-1", "grace@x", "approve", "key")
    assert approve.startswith("approve-")
