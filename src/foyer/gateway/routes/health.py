"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from foyer.errors import FoyerError, Unavailable
from foyer.gateway.deps import State
from foyer.gateway.errors import error_response, public_message

router = APIRouter(tags=["health"])

READY_DEADLINE = 1.5
"""Seconds /readyz waits for Temporal, so that it always answers within 2 s."""


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"


@router.get("/healthz", operation_id="healthz")
async def healthz() -> Health:
    """The process is up."""
    return Health()


@router.get("/readyz", operation_id="readyz", response_model=Ready)
async def readyz(state: State) -> Ready | JSONResponse:
    """Temporal answers and every Nexus endpoint the catalog names exists; 503 lists what is not."""
    try:
        endpoints = await asyncio.wait_for(
            state.backend.endpoints(timedelta(seconds=READY_DEADLINE)), READY_DEADLINE
        )
    except TimeoutError:
        return error_response(503, [("", "Temporal did not answer in time")])
    except Unavailable as err:
        return error_response(503, [("", public_message(err))])
    except FoyerError as err:
        return error_response(503, [("", err.message)])
    needed = {
        target.nexus_endpoint
        for entry in state.catalog.entries
        for target in map(entry.target, entry.environments)
    }
    missing = sorted(needed - endpoints)
    if missing:
        return error_response(
            503,
            [
                ("", f"Nexus endpoint `{name}` does not exist; the platform team must create it")
                for name in missing
            ],
        )
    return Ready()
