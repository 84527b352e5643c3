"""Input limits through the real gateway: what is too large is refused before any work."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from foyer.devstack import Stack
from tests.e2e.conftest import ENTRY, Api

MB = 1024 * 1024


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def zeros(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    block = b"0" * chunk
    for _ in range(total // chunk):
        yield block


@pytest.fixture
def gateway_pid(stack: Stack) -> int:
    pid = stack.processes["gateway"].pid
    assert pid is not None
    return pid


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_200_mb_unauthenticated_body_is_refused_fast_without_growing_memory(
    api: Api, gateway_pid: int, declared: bool
) -> None:
    before = rss_bytes(gateway_pid)
    headers = {"content-type": "application/json"}
    if declared:
        headers["content-length"] = str(200 * MB)
    started = time.monotonic()
    with httpx.Client(base_url=api.base_url, timeout=30) as client:
        response = client.post("/api/runs", content=zeros(200 * MB), headers=headers)
    elapsed = time.monotonic() - started
    grown = rss_bytes(gateway_pid) - before

    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "field": "",
                "message": "The request body is larger than the limit of 256 KiB (262144 bytes)",
            }
        ]
    }
    # Loose bounds: reading and parsing 200 MB took seconds and 1.9 GB before the limit.
    assert elapsed < 5, f"took {elapsed:.2f}s"
    assert grown < 20 * MB, f"gateway RSS grew by {grown / MB:.1f} MB"


async def test_lone_surrogate_is_422_through_the_real_gateway(api: Api) -> None:
    body = b'{"workflow": "%s", "inputs": {"table_name": "orders\\ud800"}}' % ENTRY.encode()
    response = await api.call(
        "ada", "POST", "/api/runs", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "inputs.table_name",
            "message": "is not valid Unicode text (invalid UTF-8, or a lone surrogate such as "
            "\\ud800)",
        }
    ]


async def test_trailing_newline_does_not_pass_the_pattern(api: Api) -> None:
    inputs = {
        "aws_account": "sandbox",
        "region": "us-east-1",
        "table_name": "orders\n",
        "reason": "Checking ECMA-262 pattern semantics",
    }
    response = await api.call(
        "ada", "POST", "/api/runs", json={"workflow": ENTRY, "inputs": inputs}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "inputs.table_name", "message": "must match pattern ^[A-Za-z0-9_.-]{3,255}$"}
    ]


async def test_docs_are_served_offline(api: Api) -> None:
    page = await api.call(None, "GET", "/docs")
    assert page.status_code == 200
    assert "https://" not in page.text
    bundle = await api.call(None, "GET", "/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
