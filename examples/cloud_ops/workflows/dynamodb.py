"""Delete a DynamoDB table."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from examples.cloud_ops.activities.dynamodb import delete_table, describe_table
    from examples.cloud_ops.models.dynamodb import (
        DeleteTableInputs,
        DeleteTableResult,
        TablePlan,
        TableRef,
    )
    from examples.common.activity_options import LONG, QUICK
    from examples.common.plans import ensure_unchanged
    from foyer.publish import Approvals, WorkflowRequest

TABLE_NOT_FOUND = "TableNotFound"


def _missing(ref: TableRef) -> ApplicationError:
    return ApplicationError(
        f"Table {ref.table_name} does not exist in {ref.region}",
        type=TABLE_NOT_FOUND,
        non_retryable=True,
    )


@workflow.defn(name="DeleteDynamoDBTable")
class DeleteDynamoDBTable:
    """Plan, wait for approval unless it is a dry run, check again, then delete the table."""

    @workflow.run
    async def run(self, request: WorkflowRequest) -> DeleteTableResult:
        approvals = Approvals(request)
        inputs = request.inputs_as(DeleteTableInputs)
        ref = TableRef(
            aws_account=inputs.aws_account, region=inputs.region, table_name=inputs.table_name
        )

        approvals.set_status("pending", "Planning")
        plan: TablePlan = await workflow.execute_activity(describe_table, ref, **QUICK)
        approvals.publish_plan(plan)
        if not plan.exists:
            raise _missing(ref)
        if inputs.dry_run:
            return DeleteTableResult(
                table_name=ref.table_name, region=ref.region, dry_run=True, deleted=False, plan=plan
            )

        approved = await approvals.wait()
        current = await workflow.execute_activity(describe_table, ref, **QUICK)
        if not current.exists:
            raise _missing(ref)
        ensure_unchanged(plan, current)
        approvals.irreversible(f"Deleting {ref.table_name}")
        await workflow.execute_activity(delete_table, ref, **LONG)
        return DeleteTableResult(
            table_name=ref.table_name,
            region=ref.region,
            dry_run=False,
            deleted=True,
            plan=plan,
            approved_by=[record.approver.subject for record in approved],
        )
