"""Reboot an RDS instance: the workflow docs/publishing.md builds step by step."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from examples.cloud_ops.activities.rds import describe_database, reboot_instance
    from examples.cloud_ops.models.rds import (
        DatabaseRef,
        Reboot,
        RebootInputs,
        RebootPlan,
        RebootResult,
    )
    from examples.common.activity_options import QUICK
    from examples.common.plans import ensure_unblocked
    from foyer.publish import Approvals, WorkflowRequest


@workflow.defn(name="RebootRDSInstance")
class RebootRDSInstance:
    """Plan, wait for approval unless it is a dry run, then reboot."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> RebootResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(RebootInputs)
        ref = DatabaseRef(
            aws_account=inputs.aws_account,
            region=inputs.region,
            kind="instance",
            identifier=inputs.identifier,
        )
        database = await workflow.execute_activity(describe_database, ref, **QUICK)
        plan = RebootPlan(database=database, actions=[f"Reboot {inputs.identifier}"])
        if not database.exists:
            plan.blockers.append(f"{inputs.identifier} does not exist in {inputs.region}")
        approvals.publish_plan(plan)
        ensure_unblocked(plan)
        if inputs.dry_run:
            return RebootResult(identifier=inputs.identifier, dry_run=True, plan=plan)

        await approvals.wait()
        approvals.set_status("running", f"Rebooting {inputs.identifier}")
        order = Reboot(
            aws_account=inputs.aws_account,
            region=inputs.region,
            identifier=inputs.identifier,
            force_failover=inputs.force_failover,
        )
        status = await workflow.execute_activity(reboot_instance, order, **QUICK)
        return RebootResult(identifier=inputs.identifier, dry_run=False, status=status, plan=plan)
