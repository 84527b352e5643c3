"""Syncing schedules at start-up retries until Temporal answers, and stops when told."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client

from foyer.catalog import Catalog
from foyer.errors import Unavailable
from foyer.schedules.sync import sync_until_done


async def test_a_cancelled_sync_stops_even_when_its_connect_fails_at_that_moment() -> None:
    attempts = 0

    async def client() -> Client:
        # What Python 3.11's asyncio.wait_for does when the connect it guards fails
        # just as it is cancelled: it raises the failure, not the cancellation.
        nonlocal attempts
        attempts += 1
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            raise Unavailable("Temporal did not answer while connecting") from None
        raise AssertionError("never reached")

    syncing = asyncio.create_task(
        sync_until_done(client, Catalog(Path("catalog"), []), retry_seconds=0)
    )
    while attempts == 0:
        await asyncio.sleep(0)
    syncing.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(syncing, timeout=5)
    assert attempts == 1


async def test_a_failed_sync_is_tried_again() -> None:
    attempts = 0

    async def client() -> Client:
        nonlocal attempts
        attempts += 1
        raise Unavailable("Temporal did not answer while connecting")

    syncing = asyncio.create_task(
        sync_until_done(client, Catalog(Path("catalog"), []), retry_seconds=0)
    )
    while attempts < 3:
        await asyncio.sleep(0)
    syncing.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(syncing, timeout=5)
