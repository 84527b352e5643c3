"""Request dependencies: gateway state, the authenticated caller, the run service."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from foyer.db import Actor
from foyer.errors import Forbidden, Invalid
from foyer.gateway import auth
from foyer.gateway.state import GatewayState
from foyer.identities import Scope, User
from foyer.runs import Caller, RunService
from foyer.runs.queries import RunQueries

CLIENT_NAME = re.compile(r"[A-Za-z0-9._-]{1,40}")


def get_state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


State = Annotated[GatewayState, Depends(get_state)]


def client_name(
    client: Annotated[
        str | None,
        Header(
            alias="X-Foyer-Client",
            description="Which client is calling: letters, digits and `-._`, at most 40.",
        ),
    ] = None,
) -> str:
    if client is not None and not CLIENT_NAME.fullmatch(client):
        raise Invalid([("X-Foyer-Client", "must be 1 to 40 letters, digits, `-`, `.` or `_`")])
    return client or "http"


ClientName = Annotated[str, Depends(client_name)]


def _credentials(request: Request, client: str) -> auth.Request:
    peer = request.client.host if request.client else ""
    return auth.Request(headers=request.headers, peer=peer, client=client)


def current_user(
    state: State,
    request: Request,
    client: ClientName,
    authorization: Annotated[
        str | None,
        Header(description="`Bearer <API key>` or `Bearer <OIDC token>`; see the README for SSO."),
    ] = None,
) -> User:
    # Synchronous on purpose: it reads the database, so FastAPI runs it in a thread.
    return state.auth.authenticate(_credentials(request, client))


CurrentUser = Annotated[User, Depends(current_user)]


def current_actor(state: State, request: Request, user: CurrentUser, client: ClientName) -> Actor:
    """Who acts, through which client, from which address: the audit log's context."""
    return Actor(user.email, client, state.auth.source(_credentials(request, client)))


CurrentActor = Annotated[Actor, Depends(current_actor)]


def scoped(*scopes: Scope, refusal: str | None = None) -> Callable[..., User]:
    """A dependency: the caller, whose credential must carry one of ``scopes``.

    Args:
        refusal: The audit action recorded when the scope is missing
            (``run.refused``, ``decision.refused``), if any.
    """

    def dependency(state: State, request: Request, user: CurrentUser, actor: CurrentActor) -> User:
        if any(user.has_scope(scope) for scope in scopes):
            return user
        try:
            user.require_scope(scopes[0])
        except Forbidden as err:
            if refusal is not None:
                target = request.path_params.get("run_id") or user.key_id or user.email
                state.stores.audit.record_sync(
                    actor, refusal, target, outcome="refused", detail={"reason": err.message}
                )
            raise
        return user

    return dependency


AdminUser = Annotated[User, Depends(scoped("admin"))]


def current_caller(user: CurrentUser, actor: CurrentActor) -> Caller:
    return Caller(identity=user.identity(), client=actor.client, source=actor.source)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def run_service(state: State) -> RunService:
    return state.runs


Runs = Annotated[RunService, Depends(run_service)]


def run_queries(state: State) -> RunQueries:
    return state.queries


Queries = Annotated[RunQueries, Depends(run_queries)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retrying with the same key returns the first outcome.",
    ),
]
