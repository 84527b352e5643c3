"""The test docs/publishing.md writes for its new entry, `reboot-rds-instance`."""

from __future__ import annotations

from examples.cloud_ops.models.rds import RebootResult
from foyer.testing import FoyerEnvironment
from tests.examples.conftest import ADA, GRACE, Emulator


async def test_a_prod_reboot_waits_for_approval(teams: FoyerEnvironment, aws: Emulator) -> None:
    inputs = {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "identifier": "orders-db-01",
        "dry_run": False,
        "reason": "Apply the new parameter group",
    }
    run = await teams.submit("reboot-rds-instance", inputs, requester=ADA)

    status = await run.wait_for("awaiting_approval")
    assert status.plan["actions"] == ["Reboot orders-db-01"]
    assert (await run.approve(GRACE)).accepted

    result = await run.result(RebootResult)
    assert result.status in {"rebooting", "available"}


async def test_a_missing_instance_is_refused_before_approval(teams: FoyerEnvironment) -> None:
    inputs = {"aws_account": "sandbox", "region": "us-east-1", "identifier": "no-such-db"}
    run = await teams.submit("reboot-rds-instance", inputs, requester=ADA)
    outcome = await run.outcome()
    assert outcome.error is not None
    assert (outcome.error.type, outcome.error.message) == (
        "Blocked",
        "no-such-db does not exist in us-east-1",
    )
