"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from foyer.errors import FoyerError
from foyer.gateway.deps import State
from foyer.runs.backend import READY_TIMEOUT

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(state: State) -> Any:
    """Temporal answers and every Nexus endpoint the catalog names exists."""
    try:
        endpoints = await asyncio.wait_for(
            state.backend.endpoints(READY_TIMEOUT), READY_TIMEOUT.total_seconds()
        )
    except TimeoutError:
        problems = ["Temporal did not answer within 2 s"]
        return JSONResponse({"status": "unavailable", "problems": problems}, status_code=503)
    except FoyerError as err:
        return JSONResponse({"status": "unavailable", "problems": [err.message]}, status_code=503)
    needed = {
        target.nexus_endpoint
        for entry in state.catalog.entries
        for target in map(entry.target, entry.environments)
    }
    missing = sorted(needed - endpoints)
    if missing:
        problems = [f"Nexus endpoint `{name}` does not exist" for name in missing]
        return JSONResponse({"status": "unavailable", "problems": problems}, status_code=503)
    return {"status": "ready"}
