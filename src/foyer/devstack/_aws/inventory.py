"""The example AWS estate: what the local emulator is seeded with.

Pure data, generated deterministically, so every ``foyer up`` and every test
session sees the same databases, caches, snapshots and tables: three accounts,
four regions, a few hundred RDS instances and Aurora clusters, snapshots from a
day to more than a year old, Redis and Valkey replication groups and DynamoDB
tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

ACCOUNTS: dict[str, str] = {
    "sandbox": "123456789012",
    "payments-prod": "402958371620",
    "data-prod": "587123904466",
}
"""Account name (as the catalog's ``aws_account_name`` lists them) → account id.

``sandbox`` is the emulator's default account, the one plain dev credentials land in."""

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1")

SERVICES = (
    "orders", "payments", "ledger", "inventory", "catalog", "search", "identity",
    "billing", "notifications", "analytics", "shipping", "pricing", "fraud",
    "reviews", "loyalty", "checkout", "accounts", "reporting", "audit", "recommendations",
)  # fmt: skip

_WEIGHTS = {"sandbox": 0.5, "payments-prod": 1.0, "data-prod": 1.3}
_REGION_WEIGHTS = {"us-east-1": 1.0, "us-west-2": 0.6, "eu-west-1": 0.8, "eu-central-1": 0.4}
_INSTANCES_PER_UNIT = 20
_CLUSTERS_PER_UNIT = 5
_CACHES_PER_UNIT = 4
_TABLES_PER_UNIT = 3

_ENGINES = (
    ("postgres", ("16.3", "15.7", "14.12", "13.15")),
    ("mysql", ("8.0.36", "8.0.35", "5.7.44")),
    ("mariadb", ("10.11.8", "10.6.18")),
)
_AURORA = (
    ("aurora-postgresql", ("15.4", "14.9", "13.12")),
    ("aurora-mysql", ("8.0.mysql_aurora.3.05.2", "5.7.mysql_aurora.2.11.5")),
)
INSTANCE_CLASSES = (
    "db.t3.medium", "db.t4g.large", "db.m6g.large", "db.m6g.xlarge",
    "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge",
)  # fmt: skip
_ROLES = ("db", "replica", "reporting", "archive", "events", "jobs")
_CACHE_NODES = ("cache.t4g.medium", "cache.m6g.large", "cache.r6g.large", "cache.r6g.xlarge")
_CACHE_ROLES = ("sessions", "cache", "ratelimit", "queue", "features")
_REDIS_VERSIONS = ("6.2", "7.0", "7.1")


@dataclass(frozen=True)
class DBInstance:
    """A standalone RDS instance."""

    identifier: str
    engine: str
    engine_version: str
    instance_class: str
    storage_gb: int
    deletion_protection: bool
    tags: dict[str, str]


@dataclass(frozen=True)
class DBCluster:
    """An Aurora cluster and its instances (the first one is the writer)."""

    identifier: str
    engine: str
    engine_version: str
    instance_class: str
    members: tuple[str, ...]
    deletion_protection: bool
    tags: dict[str, str]


@dataclass(frozen=True)
class Snapshot:
    """A manual snapshot of an instance or a cluster, taken ``age_days`` ago."""

    identifier: str
    source: str
    cluster: bool
    age_days: int
    tags: dict[str, str]


@dataclass(frozen=True)
class ReplicationGroup:
    """An ElastiCache replication group (Redis OSS or Valkey)."""

    identifier: str
    engine: str
    engine_version: str
    node_type: str
    replicas: int
    tags: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A DynamoDB table with a few string items (hash key ``pk``)."""

    name: str
    items: list[dict[str, str]]


@dataclass
class Estate:
    """Everything in one account and region."""

    account: str
    region: str
    instances: list[DBInstance] = field(default_factory=list)
    clusters: list[DBCluster] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    caches: list[ReplicationGroup] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


SANDBOX_TABLES: dict[str, list[dict[str, str]]] = {
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
"""The sandbox account's tables in us-east-1, each with a few items."""

FIXED: dict[tuple[str, str], Estate] = {}
"""Resources the catalog's examples name, so every example finds what it acts on."""


def _fixed() -> dict[tuple[str, str], Estate]:
    sandbox = Estate("sandbox", "us-east-1")
    sandbox.tables = [Table(name, items) for name, items in SANDBOX_TABLES.items()]
    team = {"team": "checkout", "env": "sandbox"}
    sandbox.instances = [
        DBInstance("orders-db-01", "postgres", "16.3", "db.t3.medium", 50, False, team),
        DBInstance("orders-reporting-01", "postgres", "15.7", "db.m6g.large", 100, False, team),
        DBInstance("legacy-billing-01", "mysql", "5.7.44", "db.t3.medium", 20, False, team),
    ]
    sandbox.clusters = [
        DBCluster(
            "orders-aurora",
            "aurora-postgresql",
            "15.4",
            "db.r6g.large",
            ("orders-aurora-instance-1", "orders-aurora-instance-2"),
            False,
            team,
        ),
        DBCluster(
            "checkout-aurora",
            "aurora-mysql",
            "8.0.mysql_aurora.3.05.2",
            "db.r6g.large",
            ("checkout-aurora-instance-1",),
            False,
            team,
        ),
    ]
    sandbox.snapshots = [
        Snapshot("orders-db-01-pre-upgrade", "orders-db-01", False, 200, team),
        Snapshot("orders-db-01-weekly-old", "orders-db-01", False, 95, team),
        Snapshot("orders-db-01-keep", "orders-db-01", False, 400, {**team, "keep": "true"}),
        Snapshot("orders-db-01-recent", "orders-db-01", False, 3, team),
        Snapshot("orders-aurora-before-migration", "orders-aurora", True, 120, team),
        Snapshot("orders-aurora-yesterday", "orders-aurora", True, 1, team),
    ]
    sandbox.caches = [
        ReplicationGroup("orders-sessions", "redis", "7.1", "cache.r6g.large", 1, team),
        ReplicationGroup("checkout-ratelimit", "redis", "6.2", "cache.t4g.medium", 0, team),
        ReplicationGroup("search-cache", "valkey", "7.2", "cache.m6g.large", 1, team),
    ]
    data = Estate("data-prod", "us-east-1")
    data.tables = [
        Table("sessions-cache", [{"pk": "session-e5f6", "user": "linus@example.com"}]),
        Table("events-2023", [{"pk": "evt-1", "kind": "click"}, {"pk": "evt-2", "kind": "view"}]),
    ]
    payments = Estate("payments-prod", "eu-west-1")
    prod = {"team": "payments", "env": "prod"}
    payments.instances = [
        DBInstance("payments-db-01", "postgres", "15.7", "db.r6g.xlarge", 500, True, prod),
    ]
    payments.clusters = [
        DBCluster(
            "ledger-aurora",
            "aurora-postgresql",
            "15.4",
            "db.r6g.2xlarge",
            ("ledger-aurora-instance-1", "ledger-aurora-instance-2", "ledger-aurora-instance-3"),
            True,
            prod,
        ),
    ]
    archive = Estate("data-prod", "eu-west-1")
    events = {"team": "analytics", "env": "prod"}
    archive.instances = [
        DBInstance("events-archive-01", "postgres", "14.12", "db.r6g.large", 1000, False, events),
    ]
    archive.snapshots = [
        Snapshot("events-archive-01-2025-q3", "events-archive-01", False, 400, events),
        Snapshot("events-archive-01-legal-hold", "events-archive-01", False, 250,
                 {**events, "keep": "true"}),
        Snapshot("events-archive-01-2026-q3", "events-archive-01", False, 60, events),
    ]  # fmt: skip
    return {(e.account, e.region): e for e in (sandbox, data, payments, archive)}


FIXED.update(_fixed())


def _estate(account: str, region: str, rng: random.Random, scale: float) -> Estate:
    estate = FIXED.get((account, region)) or Estate(account, region)
    estate = Estate(
        account,
        region,
        list(estate.instances),
        list(estate.clusters),
        list(estate.snapshots),
        list(estate.caches),
        list(estate.tables),
    )
    scale *= _WEIGHTS[account] * _REGION_WEIGHTS[region]
    env = "sandbox" if account == "sandbox" else "prod"
    taken = {i.identifier for i in estate.instances} | {c.identifier for c in estate.clusters}

    def unique(base: str) -> str:
        number = 1
        while f"{base}-{number:02d}" in taken:
            number += 1
        taken.add(f"{base}-{number:02d}")
        return f"{base}-{number:02d}"

    for _ in range(round(_INSTANCES_PER_UNIT * scale)):
        service = rng.choice(SERVICES)
        engine, versions = rng.choice(_ENGINES)
        tags = {"team": service, "service": service, "env": env}
        instance = DBInstance(
            identifier=unique(f"{service}-{rng.choice(_ROLES)}"),
            engine=engine,
            engine_version=rng.choice(versions),
            instance_class=rng.choice(INSTANCE_CLASSES),
            storage_gb=rng.choice((20, 50, 100, 250, 500, 1000)),
            deletion_protection=env == "prod" and rng.random() < 0.3,
            tags=tags,
        )
        estate.instances.append(instance)
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            age = rng.choice((1, 2, 5, 9, 14, 30, 45, 60, 90, 120, 180, 270, 365, 420))
            keep = rng.random() < 0.1
            estate.snapshots.append(
                Snapshot(
                    identifier=f"{instance.identifier}-manual-{age}d",
                    source=instance.identifier,
                    cluster=False,
                    age_days=age,
                    tags={**tags, **({"keep": "true"} if keep else {})},
                )
            )
    for _ in range(round(_CLUSTERS_PER_UNIT * scale)):
        service = rng.choice(SERVICES)
        engine, versions = rng.choice(_AURORA)
        identifier = unique(f"{service}-aurora")
        size = rng.choice((1, 2, 2, 3))
        members = tuple(f"{identifier}-instance-{n}" for n in range(1, size + 1))
        tags = {"team": service, "service": service, "env": env}
        estate.clusters.append(
            DBCluster(
                identifier=identifier,
                engine=engine,
                engine_version=rng.choice(versions),
                instance_class=rng.choice(INSTANCE_CLASSES[2:]),
                members=members,
                deletion_protection=env == "prod" and rng.random() < 0.5,
                tags=tags,
            )
        )
        for _ in range(rng.choice((0, 0, 1, 2))):
            age = rng.choice((1, 7, 30, 60, 120, 200, 365))
            estate.snapshots.append(
                Snapshot(f"{identifier}-manual-{age}d", identifier, True, age, tags)
            )
    caches = {c.identifier for c in estate.caches}
    for _ in range(round(_CACHES_PER_UNIT * scale)):
        service = rng.choice(SERVICES)
        identifier = f"{service}-{rng.choice(_CACHE_ROLES)}"
        if identifier in caches:
            continue
        caches.add(identifier)
        valkey = rng.random() < 0.2
        estate.caches.append(
            ReplicationGroup(
                identifier=identifier,
                engine="valkey" if valkey else "redis",
                engine_version="7.2" if valkey else rng.choice(_REDIS_VERSIONS),
                node_type=rng.choice(_CACHE_NODES),
                replicas=rng.choice((0, 1, 2)),
                tags={"team": service, "env": env},
            )
        )
    names = {t.name for t in estate.tables}
    for _ in range(round(_TABLES_PER_UNIT * scale)):
        service = rng.choice(SERVICES)
        name = f"{service}-{rng.choice(('events', 'state', 'locks', 'outbox', 'idempotency'))}"
        if name in names:
            continue
        names.add(name)
        items = [{"pk": f"{service}-{n}", "owner": service} for n in range(rng.randint(1, 4))]
        estate.tables.append(Table(name, items))
    return estate


def estates(scale: float = 1.0, seed: int = 2026) -> list[Estate]:
    """The whole estate, one :class:`Estate` per account and region, always the same.

    Args:
        scale: How much of the generated estate to include besides the
            resources the catalog's examples name: 1 for all of it, 0 for none
            (a quick seed for tests that do not look at the inventory).
        seed: Of the generator; the same seed gives the same estate.
    """
    rng = random.Random(seed)
    return [_estate(account, region, rng, scale) for account in ACCOUNTS for region in REGIONS]
