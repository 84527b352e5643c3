"""DynamoDB activities, with boto3's normal credential chain.

In the dev stack ``AWS_ENDPOINT_URL`` points boto3 at the local AWS emulator.
"""

from __future__ import annotations

import boto3
from botocore.exceptions import ClientError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from examples.cloud_ops.models import TablePlan, TableRef

TABLE_NOT_FOUND = "TableNotFound"


def _dynamodb(region: str):  # type: ignore[no-untyped-def]
    return boto3.client("dynamodb", region_name=region)


@activity.defn
def describe_table(ref: TableRef) -> TablePlan:
    """Read the table's size and state: the dry-run plan of a deletion."""
    try:
        table = _dynamodb(ref.region).describe_table(TableName=ref.table_name)["Table"]
    except ClientError as err:
        if err.response["Error"]["Code"] == "ResourceNotFoundException":
            return TablePlan(table_name=ref.table_name, region=ref.region, exists=False)
        raise
    count = int(table.get("ItemCount", 0))
    return TablePlan(
        table_name=ref.table_name,
        region=ref.region,
        exists=True,
        status=str(table.get("TableStatus", "")),
        item_count=count,
        size_bytes=int(table.get("TableSizeBytes", 0)),
        arn=str(table.get("TableArn", "")),
        actions=[f"Delete table {ref.table_name} in {ref.region} and its {count} items"],
    )


@activity.defn
def delete_table(ref: TableRef) -> None:
    """Delete the table and wait until it is gone."""
    client = _dynamodb(ref.region)
    try:
        client.delete_table(TableName=ref.table_name)
    except ClientError as err:
        if err.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        # Gone already: a retry after a successful delete lands here.
        return
    activity.heartbeat()
    client.get_waiter("table_not_exists").wait(
        TableName=ref.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )


def table_missing(ref: TableRef) -> ApplicationError:
    return ApplicationError(
        f"Table {ref.table_name} does not exist in {ref.region}",
        type=TABLE_NOT_FOUND,
        non_retryable=True,
    )
