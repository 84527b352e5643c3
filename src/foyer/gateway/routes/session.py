"""Portal sign-in and sign-out: an API key exchanged for a session cookie."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from foyer.db import Actor
from foyer.errors import Unauthenticated
from foyer.gateway import auth
from foyer.gateway.deps import ClientName, State
from foyer.gateway.errors import ErrorBody
from foyer.gateway.routes.me import Me
from foyer.gateway.session import (
    COOKIE_NAME,
    clear_session_cookie,
    require_csrf_header,
    session_codec,
    set_session_cookie,
)
from foyer.identities import hash_key

router = APIRouter(prefix="/session", tags=["session"])


class SessionCreate(BaseModel):
    """Body of ``POST /api/session``."""

    api_key: str = Field(min_length=1, max_length=512, description="The caller's API key.")


# Neither needs credentials: signing in sends the key in the body, signing out
# clears whatever cookie there is.
NO_SECURITY: dict[str, Any] = {"security": []}


@router.post(
    "",
    operation_id="createSession",
    openapi_extra=NO_SECURITY,
    responses={401: {"model": ErrorBody, "description": "The API key is not valid."}},
)
def create_session(
    body: SessionCreate, request: Request, response: Response, state: State, client: ClientName
) -> Me:
    """Sign in: check the API key and set an HttpOnly session cookie (12 hours).

    Synchronous on purpose: it reads and writes the database, so FastAPI runs it
    in a thread. The key is checked as a Bearer key would be (a revoked or
    expired key is refused, and the refusal audited); the session is audited as
    ``session.started``.
    """
    peer = request.client.host if request.client else ""
    source = state.auth.source(auth.Request(headers=request.headers, peer=peer, client=client))
    key = body.api_key.strip()
    try:
        user = state.users.verify_key(key, client, source)
    except Unauthenticated as err:
        raise Unauthenticated(err.message, "api_key") from None
    codec = session_codec(request)
    value = codec.issue(user.email, hash_key(key))
    state.stores.audit.record_sync(
        Actor(user.email, client, source), "session.started", user.email, detail={"by": "api-key"}
    )
    set_session_cookie(request, response, value, codec.ttl_seconds)
    return Me(subject=user.email, name=user.name, groups=list(user.groups))


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="deleteSession",
    openapi_extra=NO_SECURITY,
    responses={
        403: {"model": ErrorBody, "description": "A session cookie without `X-Foyer-CSRF: 1`."}
    },
)
async def delete_session(request: Request, response: Response) -> None:
    """Sign out: clear the session cookie."""
    if COOKIE_NAME in request.cookies:
        require_csrf_header(request)
    clear_session_cookie(request, response)
