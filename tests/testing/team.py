"""The greeters team of ``greeter.py`` on a local dev server, and the people who use it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import yaml

from foyer.contracts import Identity
from foyer.testing import FoyerEnvironment
from tests.testing.greeter import Greet, GreetFormally, entry

ADA = Identity(subject="ada@example.com", name="Ada", groups=["engineering"])
"""May run greetings, may approve none."""
BOB = Identity(subject="bob@example.com", name="Bob", groups=["engineering", "greeters"])
"""A greeter: approves greetings."""


@contextlib.asynccontextmanager
async def greeters_environment(
    root: Path, entries: dict[str, str] | None = None
) -> AsyncIterator[FoyerEnvironment]:
    """A Foyer environment whose catalog in ``root`` has ``entries`` (entry id → workflow
    type; by default ``greet``), with the greeters' worker running."""
    for entry_id, workflow_type in (entries or {"greet": "Greet"}).items():
        (root / f"{entry_id}.yaml").write_text(yaml.safe_dump(entry(entry_id, workflow_type)))
    async with (
        FoyerEnvironment.start(root) as environment,
        environment.team("greeters", workflows=[Greet, GreetFormally]),
    ):
        yield environment
