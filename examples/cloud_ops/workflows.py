"""cloud-ops' published workflows."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from examples.cloud_ops.activities import delete_table, describe_table, table_missing
    from examples.cloud_ops.models import DeleteTableInputs, DeleteTableResult, TableRef
    from foyer.publish import Approvals, WorkflowRequest

TASK_QUEUE = "datastore-queue"
ACTIVITY_TIMEOUT = timedelta(minutes=2)
RETRY = RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=10))


@workflow.defn(name="DeleteDynamoDBTable")
class DeleteDynamoDBTable:
    """Plan, wait for approval unless it is a dry run, then delete the table."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> DeleteTableResult:
        approvals = Approvals(request)
        inputs = DeleteTableInputs.model_validate(request.inputs)
        ref = TableRef(region=inputs.region, table_name=inputs.table_name)

        approvals.set_status("pending", "Planning")
        plan = await workflow.execute_activity(
            describe_table, ref, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=RETRY
        )
        plan.aws_account = inputs.aws_account
        approvals.publish_plan(plan)
        if not plan.exists:
            raise table_missing(ref)
        if inputs.dry_run:
            return DeleteTableResult(
                table_name=ref.table_name, region=ref.region, dry_run=True, deleted=False, plan=plan
            )

        approved = await approvals.wait()
        approvals.irreversible(f"deleting the table {ref.table_name}")
        await workflow.execute_activity(
            delete_table,
            ref,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            heartbeat_timeout=timedelta(seconds=30),
            retry_policy=RETRY,
        )
        return DeleteTableResult(
            table_name=ref.table_name,
            region=ref.region,
            dry_run=False,
            deleted=True,
            plan=plan,
            approved_by=[record.approver.subject for record in approved],
        )
