"""The example teams, tested through Foyer's real path with the team kit.

One local Temporal dev server (``foyer.testing``), one seeded AWS emulator and
both teams' workers per session. Each test acts on resources no other test
touches: the catalog's examples name distinct seeded resources, and the other
tests create their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from examples.cloud_ops.worker import TEAM as CLOUD_OPS
from examples.platform.worker import TEAM as PLATFORM
from foyer.contracts import Identity
from foyer.devstack import free_port
from foyer.devstack._aws import ACCOUNTS, SeedReport, seed
from foyer.testing import FoyerEnvironment

# A team puts `pytest_plugins = ["foyer.testing.pytest_plugin"]` in its top-level
# conftest; this suite is one directory of a larger one, so it imports the fixture.
from foyer.testing.pytest_plugin import foyer  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "examples" / "catalog"

ADA = Identity(subject="ada@example.com", name="Ada Lovelace", groups=["engineering"])
GRACE = Identity(
    subject="grace@example.com", name="Grace Hopper", groups=["engineering", "cloud-ops"]
)
LINUS = Identity(
    subject="linus@example.com", name="Linus Torvalds", groups=["engineering", "cloud-ops"]
)
MARGARET = Identity(
    subject="margaret@example.com", name="Margaret Hamilton", groups=["engineering", "platform"]
)


_AWS_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
)


@pytest.fixture(scope="session")
def foyer_catalog() -> Path:
    return CATALOG


class Emulator:
    """The AWS emulator of this session, and clients into its accounts."""

    def __init__(self, url: str, report: SeedReport) -> None:
        self.url = url
        self.report = report

    def client(self, service: str, region: str = "us-east-1", account: str = "sandbox") -> Any:
        """A client acting in ``account`` (a catalog account name) and ``region``."""
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        if account != "sandbox":
            sts = boto3.client("sts", endpoint_url=self.url, region_name=region, **credentials)
            answer = sts.assume_role(
                RoleArn=f"arn:aws:iam::{ACCOUNTS[account]}:role/test", RoleSessionName="tests"
            )["Credentials"]
            credentials = {
                "aws_access_key_id": answer["AccessKeyId"],
                "aws_secret_access_key": answer["SecretAccessKey"],
                "aws_session_token": answer["SessionToken"],
            }
        return boto3.client(service, endpoint_url=self.url, region_name=region, **credentials)


@pytest.fixture(scope="session")
def aws() -> Iterator[Emulator]:
    """``python -m foyer.devstack._aws``, seeded; the process's AWS variables point at it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "foyer.devstack._aws", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    saved = {key: os.environ.get(key) for key in _AWS_VARIABLES}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the AWS emulator did not start at {url}") from None
                time.sleep(0.05)
        os.environ.update(
            AWS_ENDPOINT_URL=url,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION="us-east-1",
        )
        yield Emulator(url, seed(url))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
async def teams(foyer: FoyerEnvironment, aws: Emulator) -> AsyncIterator[FoyerEnvironment]:  # noqa: F811
    """The environment with cloud-ops' and platform's workers running."""
    async with (
        foyer.team(
            CLOUD_OPS.owner,
            workflows=CLOUD_OPS.workflows,
            activities=CLOUD_OPS.activities,
            inventories=CLOUD_OPS.inventories,
        ),
        foyer.team(PLATFORM.owner, workflows=PLATFORM.workflows, activities=PLATFORM.activities),
    ):
        yield foyer


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
