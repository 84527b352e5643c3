"""Seeds the local AWS emulator (moto) with the estate the example workflows act on.

:func:`seed` fills a running moto server over HTTP, account by account, through
the same STS role assumption the example activities use. ``python -m
foyer.devstack._aws`` runs moto itself, with snapshot ages honoured (see
:mod:`foyer.devstack._aws.emulator`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from foyer.devstack._aws.emulator import CREATED_AT_TAG
from foyer.devstack._aws.inventory import (
    ACCOUNTS,
    REGIONS,
    DBCluster,
    DBInstance,
    Estate,
    ReplicationGroup,
    Snapshot,
    Table,
    estates,
)
from foyer.devstack._config import AWS_DUMMY_CREDENTIAL, AWS_REGION

__all__ = [
    "ACCOUNTS",
    "REGIONS",
    "TABLES",
    "SeedReport",
    "dynamodb",
    "estates",
    "seed",
    "tables",
]

SEED_ROLE = "foyer-seed"
MASTER_PASSWORD = "not-a-secret-1"
_THREADS = 4
_ALREADY_THERE = {
    "DBInstanceAlreadyExists",
    "DBClusterAlreadyExistsFault",
    "DBSnapshotAlreadyExists",
    "DBClusterSnapshotAlreadyExistsFault",
    "ReplicationGroupAlreadyExists",
    "ResourceInUseException",
}


def tables(scale: float = 1.0) -> dict[str, list[dict[str, str]]]:
    """The DynamoDB tables that :func:`seed` with ``scale`` creates in the default account
    and region, with their items."""
    return {
        table.name: table.items
        for estate in estates(scale)
        if (estate.account, estate.region) == ("sandbox", AWS_REGION)
        for table in estate.tables
    }


TABLES = tables()
"""The DynamoDB tables of the default account in the default region, with their items."""


@dataclass(frozen=True)
class SeedReport:
    """What :func:`seed` created, and how long it took."""

    instances: int
    clusters: int
    snapshots: int
    caches: int
    tables: int
    seconds: float


def _client(service: str, endpoint_url: str, region: str, **credentials: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(max_pool_connections=_THREADS * 2, retries={"max_attempts": 2}),
        **credentials,
    )


def dynamodb(endpoint_url: str) -> Any:
    """A DynamoDB client of the default account, in the default region."""
    return _client(
        "dynamodb",
        endpoint_url,
        AWS_REGION,
        aws_access_key_id=AWS_DUMMY_CREDENTIAL,
        aws_secret_access_key=AWS_DUMMY_CREDENTIAL,
    )


def _account_credentials(endpoint_url: str, account_id: str) -> dict[str, str]:
    sts = _client(
        "sts",
        endpoint_url,
        AWS_REGION,
        aws_access_key_id=AWS_DUMMY_CREDENTIAL,
        aws_secret_access_key=AWS_DUMMY_CREDENTIAL,
    )
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{SEED_ROLE}", RoleSessionName="foyer-seed"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(tags.items())]


def _create(call: Callable[..., object], **kwargs: Any) -> None:
    """Call a create operation, taking "already exists" for success."""
    try:
        call(**kwargs)
    except ClientError as err:
        if err.response["Error"]["Code"] not in _ALREADY_THERE:
            raise


class _Seeder:
    """Creates one estate's resources with clients bound to its account and region."""

    def __init__(self, endpoint_url: str, estate: Estate, credentials: dict[str, str]) -> None:
        self.estate = estate
        self.rds = _client("rds", endpoint_url, estate.region, **credentials)
        self.elasticache = _client("elasticache", endpoint_url, estate.region, **credentials)
        self.dynamodb = _client("dynamodb", endpoint_url, estate.region, **credentials)

    def lanes(self, now: datetime) -> list[Callable[[], None]]:
        """The estate's work as independent sequences, one per service.

        moto is not thread-safe within one service backend (creating a cluster
        member iterates over the instances another thread may be adding), so
        each backend is filled by one sequence; different accounts, regions and
        services proceed in parallel.
        """
        return [partial(self._rds_lane, now), self._cache_lane, self._table_lane]

    def _rds_lane(self, now: datetime) -> None:
        for instance in self.estate.instances:
            self.instance(instance)
        for cluster in self.estate.clusters:
            self.cluster(cluster)
        for snapshot in self.estate.snapshots:
            self.snapshot(snapshot, now)

    def _cache_lane(self) -> None:
        for cache in self.estate.caches:
            self.cache(cache)

    def _table_lane(self) -> None:
        for table in self.estate.tables:
            self.table(table)

    def instance(self, spec: DBInstance) -> None:
        _create(
            self.rds.create_db_instance,
            DBInstanceIdentifier=spec.identifier,
            Engine=spec.engine,
            EngineVersion=spec.engine_version,
            DBInstanceClass=spec.instance_class,
            AllocatedStorage=spec.storage_gb,
            MasterUsername="admin_user",
            MasterUserPassword=MASTER_PASSWORD,
            DeletionProtection=spec.deletion_protection,
            Tags=_tags(spec.tags),
        )

    def cluster(self, spec: DBCluster) -> None:
        _create(
            self.rds.create_db_cluster,
            DBClusterIdentifier=spec.identifier,
            Engine=spec.engine,
            EngineVersion=spec.engine_version,
            MasterUsername="admin_user",
            MasterUserPassword=MASTER_PASSWORD,
            DeletionProtection=spec.deletion_protection,
            Tags=_tags(spec.tags),
        )
        for member in spec.members:
            _create(
                self.rds.create_db_instance,
                DBInstanceIdentifier=member,
                DBClusterIdentifier=spec.identifier,
                Engine=spec.engine,
                DBInstanceClass=spec.instance_class,
                Tags=_tags(spec.tags),
            )

    def snapshot(self, spec: Snapshot, now: datetime) -> None:
        created = (now - timedelta(days=spec.age_days)).isoformat()
        tags = _tags({**spec.tags, CREATED_AT_TAG: created})
        if spec.cluster:
            _create(
                self.rds.create_db_cluster_snapshot,
                DBClusterSnapshotIdentifier=spec.identifier,
                DBClusterIdentifier=spec.source,
                Tags=tags,
            )
        else:
            _create(
                self.rds.create_db_snapshot,
                DBSnapshotIdentifier=spec.identifier,
                DBInstanceIdentifier=spec.source,
                Tags=tags,
            )

    def cache(self, spec: ReplicationGroup) -> None:
        _create(
            self.elasticache.create_replication_group,
            ReplicationGroupId=spec.identifier,
            ReplicationGroupDescription=f"{spec.tags.get('team', '')} {spec.engine}".strip(),
            Engine=spec.engine,
            EngineVersion=spec.engine_version,
            CacheNodeType=spec.node_type,
            NumCacheClusters=spec.replicas + 1,
            Tags=_tags(spec.tags),
        )

    def table(self, spec: Table) -> None:
        _create(
            self.dynamodb.create_table,
            TableName=spec.name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        self.dynamodb.batch_write_item(
            RequestItems={
                spec.name: [
                    {"PutRequest": {"Item": {key: {"S": value} for key, value in item.items()}}}
                    for item in spec.items
                ]
            }
        )


def seed(endpoint_url: str, scale: float = 1.0) -> SeedReport:
    """Create the estate; safe to run again on a seeded server.

    Snapshots carry their intended creation time in a tag that the emulator
    started by ``python -m foyer.devstack._aws`` turns into their
    ``SnapshotCreateTime``; on a plain moto server they are all brand new.

    Args:
        endpoint_url: The emulator.
        scale: 1 for the whole estate (a few hundred databases, about 560
            calls, ~5 CPU-seconds of the emulator); 0 for only what the
            catalog's examples name (about 40 calls).
    """
    started = time.monotonic()
    credentials = {name: _account_credentials(endpoint_url, id) for name, id in ACCOUNTS.items()}
    seeders = [_Seeder(endpoint_url, e, credentials[e.account]) for e in estates(scale)]
    now = datetime.now(UTC).replace(microsecond=0)
    # Biggest estates first, so the last lanes to finish are short ones.
    seeders.sort(key=lambda s: -len(s.estate.instances) - len(s.estate.snapshots))
    with ThreadPoolExecutor(_THREADS, thread_name_prefix="seed-aws") as pool:
        for future in [pool.submit(lane) for s in seeders for lane in s.lanes(now)]:
            future.result()
    all_estates = [s.estate for s in seeders]
    members = sum(len(c.members) for e in all_estates for c in e.clusters)
    return SeedReport(
        instances=sum(len(e.instances) for e in all_estates) + members,
        clusters=sum(len(e.clusters) for e in all_estates),
        snapshots=sum(len(e.snapshots) for e in all_estates),
        caches=sum(len(e.caches) for e in all_estates),
        tables=sum(len(e.tables) for e in all_estates),
        seconds=round(time.monotonic() - started, 2),
    )
