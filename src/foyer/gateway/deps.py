"""Request dependencies: gateway state, the authenticated caller, the run service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from foyer.db import Actor
from foyer.errors import Forbidden, Invalid
from foyer.gateway import auth
from foyer.gateway.middleware import CLIENT_HEADER, DEFAULT_CLIENT, checked_client, client_name
from foyer.gateway.session import COOKIE_NAME, session_user
from foyer.gateway.state import GatewayState
from foyer.identities import Scope, User
from foyer.runs import Caller, RunService
from foyer.runs.queries import RunQueries


async def get_state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


State = Annotated[GatewayState, Depends(get_state)]
ClientName = Annotated[str, Depends(checked_client)]


def _credentials(request: Request, client: str) -> auth.Request:
    peer = request.client.host if request.client else ""
    return auth.Request(headers=request.headers, peer=peer, client=client)


def _unchecked_client(request: Request) -> str:
    # Authentication comes before the X-Foyer-Client check (401 before 422); until
    # then a bad header only names the client in the audit log as the default.
    try:
        return client_name(request.headers.get(CLIENT_HEADER))
    except Invalid:
        return DEFAULT_CLIENT


def current_user(
    state: State,
    request: Request,
    authorization: Annotated[
        str | None,
        Header(description="`Bearer <API key>` or `Bearer <OIDC token>`; see the README for SSO."),
    ] = None,
) -> User:
    """The caller, by API key, OIDC token or trusted SSO proxy headers (see ``auth``), or
    by the portal's session cookie when there is no ``Authorization`` header."""
    # Synchronous on purpose: it reads the database, so FastAPI runs it in a thread.
    if not authorization:
        cookie = request.cookies.get(COOKIE_NAME)
        if cookie is not None:
            return session_user(request, state.users, cookie)
    return state.auth.authenticate(_credentials(request, _unchecked_client(request)))


CurrentUser = Annotated[User, Depends(current_user)]


async def current_actor(
    state: State, request: Request, user: CurrentUser, client: ClientName
) -> Actor:
    """Who acts, through which client, from which address: the audit log's context."""
    return Actor(user.email, client, state.auth.source(_credentials(request, client)))


CurrentActor = Annotated[Actor, Depends(current_actor)]


def scoped(*scopes: Scope, refusal: str | None = None) -> Callable[..., Awaitable[User]]:
    """A dependency: the caller, whose credential must carry one of ``scopes``.

    Args:
        refusal: The audit action recorded when the scope is missing
            (``run.refused``, ``decision.refused``), if any.
    """

    async def dependency(
        state: State, request: Request, user: CurrentUser, actor: CurrentActor
    ) -> User:
        if any(user.has_scope(scope) for scope in scopes):
            return user
        try:
            user.require_scope(scopes[0])
        except Forbidden as err:
            if refusal is not None:
                target = request.path_params.get("run_id") or user.key_id or user.email
                await state.stores.audit.record(
                    actor, refusal, target, outcome="refused", detail={"reason": err.message}
                )
            raise
        return user

    return dependency


AdminUser = Annotated[User, Depends(scoped("admin"))]


async def current_caller(user: CurrentUser, actor: CurrentActor) -> Caller:
    return Caller(identity=user.identity(), client=actor.client, source=actor.source)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def run_service(state: State) -> RunService:
    return state.runs


Runs = Annotated[RunService, Depends(run_service)]


async def run_queries(state: State) -> RunQueries:
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
