"""A team workflow needing two approvals, for the approvals helper's tests."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from foyer.contracts import WorkflowRequest
    from foyer.publish import Approvals


@workflow.defn(name="TwoApprovals")
class TwoApprovals:
    @workflow.run
    async def run(self, request: WorkflowRequest) -> str:
        approvals = Approvals(request)
        if request.inputs.get("plan_forever"):
            await workflow.execute_activity(
                "slow_plan", start_to_close_timeout=timedelta(hours=2), result_type=str
            )
        await approvals.wait()
        approvals.irreversible("doing the thing")
        result: str = await workflow.execute_activity(
            "irreversible_work", start_to_close_timeout=timedelta(minutes=1), result_type=str
        )
        return result
