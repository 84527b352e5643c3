"""Request dependencies: gateway state, the authenticated caller, the run service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from foyer.errors import Unauthenticated
from foyer.gateway.middleware import checked_client
from foyer.gateway.session import COOKIE_NAME, session_user
from foyer.gateway.state import GatewayState
from foyer.identities import User
from foyer.runs import Caller, RunService


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


def current_caller(user: CurrentUser, client: Annotated[str, Depends(checked_client)]) -> Caller:
    return Caller(identity=user.identity(), client=client)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def run_service(state: State) -> RunService:
    return state.runs


Runs = Annotated[RunService, Depends(run_service)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retrying with the same key returns the first outcome.",
    ),
]
