"""cloud-ops' option inventories: what the catalog's option sources offer.

Each function reads the world with boto3, in each of cloud-ops' accounts, and
returns the options; Foyer's inventory workflow calls it every ``refresh`` of
the source, in the team's namespace, and the gateway only ever reads the result.
"""

from __future__ import annotations

from examples.cloud_ops import aws
from foyer.contracts.options import OptionItem

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1")
"""The catalog's regions (``aws_region`` in ``defs/aws.yaml``)."""


def dynamodb_tables() -> list[OptionItem]:
    """Every table in every account and region (source ``dynamodb-tables``)."""
    items = []
    for account in aws.ACCOUNTS:
        for region in REGIONS:
            client = aws.client("dynamodb", account, region)
            for page in client.get_paginator("list_tables").paginate():
                items += [
                    OptionItem(
                        value=name,
                        label=name,
                        description=f"{account} · {region}",
                        params={"region": region, "account": account},
                    )
                    for name in page["TableNames"]
                ]
    return items
