"""Runs as a domain service: what HTTP, the CLI, the portal and benchmarks share.

:class:`RunService` takes plain inputs and the caller's identity, returns
:class:`Run` objects and raises ``foyer.errors`` subclasses.
"""

from foyer.runs.backend import Backend
from foyer.runs.models import Approval, Run, RunLinks
from foyer.runs.service import Caller, RunNotFound, RunService

__all__ = ["Approval", "Backend", "Caller", "Run", "RunLinks", "RunNotFound", "RunService"]
