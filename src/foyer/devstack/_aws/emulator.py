"""moto's server, with one addition for seeding: snapshots of any age.

moto stamps every snapshot with the time it was created, so a freshly seeded
emulator has no old snapshots for a clean-up workflow to find. Run through
this module, a snapshot created with the tag ``emulator:created-at`` (an ISO
8601 time) reports that time as its ``SnapshotCreateTime`` instead, and the tag
is dropped. Everything else is moto unchanged (but for its request log, which
is off); nothing but the seeder sets the tag.

    python -m foyer.devstack._aws -H 127.0.0.1 -p 5000
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

CREATED_AT_TAG = "emulator:created-at"


def _backdate(snapshot: Any) -> None:
    tags = getattr(snapshot, "tags", None) or []
    stamp = next((tag["Value"] for tag in tags if tag.get("Key") == CREATED_AT_TAG), None)
    if stamp is None:
        return
    created = datetime.fromisoformat(stamp)
    if created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)  # moto keeps naive UTC
    snapshot.created = created
    if hasattr(snapshot, "original_snapshot_create_time"):
        snapshot.original_snapshot_create_time = created
    snapshot.tags = [tag for tag in tags if tag.get("Key") != CREATED_AT_TAG]


def honour_snapshot_ages() -> None:
    """Patch moto's RDS snapshot models to read their creation time from the seed tag."""
    from moto.rds import models

    for cls in (models.DBSnapshot, models.DBClusterSnapshot):
        if getattr(cls.__init__, "_backdates", False):
            continue
        original = cls.__init__

        @functools.wraps(original)
        def init(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> None:
            __original(self, *args, **kwargs)
            _backdate(self)

        init._backdates = True  # type: ignore[attr-defined]
        cls.__init__ = init  # type: ignore[method-assign]


def _exit_now(signum: int, frame: Any) -> None:
    # Everything lives in memory, so there is nothing to save; moto's own handler
    # can wait for keep-alive connections of its clients.
    sys.stdout.flush()
    os._exit(0)


def main(argv: list[str] | None = None) -> None:
    """Run moto's server (same arguments as ``python -m moto.server``).

    One line per request would bury everything else while the estate is
    seeded (hundreds of calls), so only warnings and errors are logged.
    """
    from moto import server

    honour_snapshot_ages()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.signal_handler = _exit_now
    server.main(argv)
