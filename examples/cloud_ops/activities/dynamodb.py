"""DynamoDB activities."""

from __future__ import annotations

from botocore.exceptions import ClientError
from temporalio import activity

from examples.cloud_ops.aws import client, error_code
from examples.cloud_ops.models.dynamodb import TablePlan, TableRef


@activity.defn
def describe_table(ref: TableRef) -> TablePlan:
    """Read the table's size and state: the dry-run plan of a deletion."""
    try:
        table = client("dynamodb", ref.aws_account, ref.region).describe_table(
            TableName=ref.table_name
        )["Table"]
    except ClientError as err:
        if error_code(err) == "ResourceNotFoundException":
            return TablePlan(
                table_name=ref.table_name,
                region=ref.region,
                aws_account=ref.aws_account,
                exists=False,
            )
        raise
    count = int(table.get("ItemCount", 0))
    return TablePlan(
        table_name=ref.table_name,
        region=ref.region,
        aws_account=ref.aws_account,
        exists=True,
        status=str(table.get("TableStatus", "")),
        item_count=count,
        size_bytes=int(table.get("TableSizeBytes", 0)),
        arn=str(table.get("TableArn", "")),
        actions=[f"Delete table {ref.table_name} in {ref.region} and its {count} items"],
        warnings=["Deleting a table cannot be undone; export what you may need first."],
    )


@activity.defn
def delete_table(ref: TableRef) -> None:
    """Delete the table and wait until it is gone."""
    dynamodb = client("dynamodb", ref.aws_account, ref.region)
    try:
        dynamodb.delete_table(TableName=ref.table_name)
    except ClientError as err:
        if error_code(err) != "ResourceNotFoundException":
            raise
        # Gone already: a retry after a successful delete lands here.
        return
    activity.heartbeat()
    dynamodb.get_waiter("table_not_exists").wait(
        TableName=ref.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
