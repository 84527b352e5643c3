"""Request dependencies: gateway state, the authenticated user, run operations."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from foyer.gateway.errors import Unauthenticated
from foyer.gateway.runs import RunService
from foyer.gateway.session import COOKIE_NAME, session_user
from foyer.gateway.state import GatewayState
from foyer.identities import User


def get_state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


State = Annotated[GatewayState, Depends(get_state)]


def current_user(
    request: Request,
    state: State,
    authorization: Annotated[str | None, Header(description="`Bearer <API key>`")] = None,
) -> User:
    if not authorization:
        # The portal's session cookie, when there is no Authorization header.
        cookie = request.cookies.get(COOKIE_NAME)
        if cookie is not None:
            return session_user(request, state.users, cookie)
        raise Unauthenticated("Send an API key as `Authorization: Bearer <key>`", "Authorization")
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated("Send an API key as `Authorization: Bearer <key>`", "Authorization")
    user = state.users.authenticate(key.strip())
    if user is None:
        raise Unauthenticated("This API key is not valid", "Authorization")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def run_service(
    state: State,
    user: CurrentUser,
    client: Annotated[
        str | None, Header(alias="X-Foyer-Client", description="Which client is calling.")
    ] = None,
) -> RunService:
    return RunService(state, user, (client or "http")[:40])


Runs = Annotated[RunService, Depends(run_service)]
