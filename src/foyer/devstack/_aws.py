"""Seeds moto with the resources the example workflows operate on."""

from __future__ import annotations

from typing import Any

import boto3

from foyer.devstack._config import AWS_DUMMY_CREDENTIAL, AWS_REGION

TABLES: dict[str, list[dict[str, str]]] = {
    "orders": [
        {"pk": "order-1001", "customer": "acme", "status": "shipped", "total_cents": "4599"},
        {"pk": "order-1002", "customer": "globex", "status": "pending", "total_cents": "12900"},
        {"pk": "order-1003", "customer": "initech", "status": "cancelled", "total_cents": "799"},
    ],
    "orders-archive": [
        {"pk": "order-0001", "customer": "acme", "status": "shipped", "total_cents": "2500"},
        {"pk": "order-0002", "customer": "umbrella", "status": "refunded", "total_cents": "1999"},
    ],
    "payments-ledger": [
        {"pk": "txn-9001", "order": "order-1001", "amount_cents": "4599", "kind": "capture"},
        {"pk": "txn-9002", "order": "order-1002", "amount_cents": "12900", "kind": "authorise"},
        {"pk": "txn-9003", "order": "order-0002", "amount_cents": "-1999", "kind": "refund"},
    ],
    "sessions-cache": [
        {"pk": "session-a1b2", "user": "ada@example.com", "ttl": "1767225600"},
        {"pk": "session-c3d4", "user": "grace@example.com", "ttl": "1767225600"},
    ],
}
"""DynamoDB tables by name, each with a few items (string attributes, hash key ``pk``)."""


def dynamodb(endpoint_url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=AWS_REGION,
        aws_access_key_id=AWS_DUMMY_CREDENTIAL,
        aws_secret_access_key=AWS_DUMMY_CREDENTIAL,
    )


def seed(endpoint_url: str) -> None:
    """Create the tables and put their items; safe to run again on a seeded server."""
    client = dynamodb(endpoint_url)
    existing = set(client.list_tables()["TableNames"])
    for table, items in TABLES.items():
        if table not in existing:
            client.create_table(
                TableName=table,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            )
        for item in items:
            client.put_item(
                TableName=table, Item={key: {"S": value} for key, value in item.items()}
            )
