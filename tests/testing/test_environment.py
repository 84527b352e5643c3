"""The kit itself: runs through the router, the team's handler and workflow, per environment."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from foyer.catalog import InputError
from foyer.contracts import Identity
from foyer.contracts.names import INPUTS_MISMATCH, REQUESTER_ATTRIBUTE
from foyer.testing import FoyerEnvironment, RunFailed
from tests.testing.greeter import Greeting
from tests.testing.team import ADA, BOB, greeters_environment

EVE = Identity(subject="eve@example.com", name="Eve", groups=["engineering"])


@pytest.fixture(scope="module")
async def greeters(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FoyerEnvironment]:
    entries = {"greet": "Greet", "greet-formally": "GreetFormally"}
    async with greeters_environment(tmp_path_factory.mktemp("catalog"), entries) as environment:
        yield environment


async def test_stage_goes_to_the_stage_namespace_without_approval(
    greeters: FoyerEnvironment,
) -> None:
    run = await greeters.submit(
        "greet", {"name": "Ada", "dry_run": False}, requester=ADA, environment="stage"
    )
    assert run.namespace == "greeters-stage"
    result = await run.result(Greeting)
    assert result == Greeting(text="Hello, Ada", environment="stage", approved_by=[])
    description = await run.team_handle().describe()
    assert description.typed_search_attributes.get(REQUESTER_ATTRIBUTE) == ADA.subject


async def test_prod_waits_for_an_approver_and_refuses_others(greeters: FoyerEnvironment) -> None:
    run = await greeters.submit("greet", {"name": "Grace", "dry_run": False}, requester=ADA)
    assert run.namespace == "greeters"
    status = await run.wait_for("awaiting_approval")
    assert status.plan == {"actions": ["Greet Grace"]}

    refused = await run.approve(EVE)
    assert (refused.accepted, refused.code) == (False, "forbidden")
    assert refused.reason == "eve@example.com is not in an approver group (greeters)"
    assert (await run.approve(BOB, "fine")).accepted

    result = await run.result(Greeting)
    assert result.approved_by == [BOB.subject]


async def test_a_rejected_run_says_who_rejected(greeters: FoyerEnvironment) -> None:
    run = await greeters.submit("greet", {"name": "Linus", "dry_run": False}, requester=ADA)
    await run.wait_for("awaiting_approval")
    assert (await run.reject(BOB, "not today")).accepted
    with pytest.raises(RunFailed) as caught:
        await run.result(Greeting)
    assert caught.value.outcome.status == "rejected"
    assert (
        str(caught.value)
        == f"Run {run.run_id} ended rejected: Rejected: Rejected by Bob: not today"
    )


async def test_the_requester_cancels(greeters: FoyerEnvironment) -> None:
    run = await greeters.submit("greet", {"name": "Ken", "dry_run": False}, requester=ADA)
    await run.wait_for("awaiting_approval")
    assert (await run.cancel(ADA, "wrong person")).accepted
    outcome = await run.outcome()
    assert (outcome.status, outcome.cancelled_by) == ("cancelled", ADA)


async def test_a_model_that_disagrees_with_its_schema_fails_the_run_at_once(
    greeters: FoyerEnvironment,
) -> None:
    run = await greeters.submit("greet-formally", {"name": "Ada"}, requester=ADA)
    outcome = await run.outcome()
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.type == INPUTS_MISMATCH
    assert outcome.error.message == (
        "The inputs of `greet-formally` do not fit Misread: title: Field required. "
        "The catalog entry's schema and the workflow's model disagree; fix one of them."
    )


async def test_inputs_are_checked_like_the_gateway_does(greeters: FoyerEnvironment) -> None:
    with pytest.raises(InputError) as caught:
        await greeters.submit("greet", {"name": ""}, requester=ADA)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("name", "must be at least 1 character")
    ]


async def test_the_team_handler_checks_inputs_again(greeters: FoyerEnvironment) -> None:
    run = await greeters.submit("greet", {"name": ""}, requester=ADA, validate=False)
    outcome = await run.outcome()
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.type == "Refused"
    assert "Invalid inputs for `greet`" in outcome.error.message
