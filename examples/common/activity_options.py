"""Activity options shared by the example teams' workflows."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from temporalio.common import RetryPolicy
from temporalio.workflow import ActivityCancellationType


class ActivityOptions(TypedDict, total=False):
    start_to_close_timeout: timedelta
    heartbeat_timeout: timedelta
    retry_policy: RetryPolicy
    cancellation_type: ActivityCancellationType


QUICK = ActivityOptions(
    start_to_close_timeout=timedelta(minutes=2),
    retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=10)),
    # A cancellation accepted while a read runs waits for the read to finish, so
    # the run ends in a later workflow task than the one that accepted it: ending
    # in the same task races the read's completion, and Temporal then fails that
    # task and drops the accepted cancellation.
    cancellation_type=ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
)
"""Reads and single API calls."""

LONG = ActivityOptions(
    start_to_close_timeout=timedelta(minutes=45),
    heartbeat_timeout=timedelta(minutes=2),
    retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=30)),
    cancellation_type=ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
)
"""Changes that wait for AWS to finish (deletions, restores), heartbeating as they go."""
