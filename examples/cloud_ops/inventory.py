"""cloud-ops' option inventories: what the catalog's option sources offer.

Each function reads the world with boto3 and returns the options; Foyer's
inventory workflow calls it every ``refresh`` of the source, in the team's
namespace, and the gateway only ever reads the result.
"""

from __future__ import annotations

import boto3

from foyer.contracts.options import OptionItem

ACCOUNTS = ("sandbox", "payments-prod", "data-prod")
"""The accounts the catalog's ``aws_account_name`` offers. The example reaches them all with
one set of credentials (moto has one account); a real team would assume a role per account."""
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1")


def dynamodb_tables() -> list[OptionItem]:
    """Every table in every region, for every account (source ``dynamodb-tables``)."""
    items = []
    for region in REGIONS:
        client = boto3.client("dynamodb", region_name=region)
        for page in client.get_paginator("list_tables").paginate():
            for name in page["TableNames"]:
                for account in ACCOUNTS:
                    items.append(
                        OptionItem(
                            value=name,
                            label=name,
                            description=f"{account} · {region}",
                            params={"region": region, "account": account},
                        )
                    )
    return items
