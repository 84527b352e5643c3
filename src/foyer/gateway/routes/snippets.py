"""Code snippets that start a run of an entry: CLI, cURL, Python, and Temporal for its team."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from foyer.catalog import Entry
from foyer.contracts.policy import ANY_GROUP
from foyer.errors import Invalid
from foyer.gateway.deps import CurrentUser, State
from foyer.identities import User
from foyer.snippets import SnippetRequest, TemporalStart, build_snippets

router = APIRouter(prefix="/catalog", tags=["catalog"])


class SnippetPublic(BaseModel):
    """One way to start the run."""

    language: str
    label: str
    code: str


class SnippetList(BaseModel):
    """Snippets for one run of one entry, in the order they are offered."""

    snippets: list[SnippetPublic]


@router.get("/{entry_id}/snippets", operation_id="getSnippets")
async def get_snippets(
    entry_id: str,
    state: State,
    user: CurrentUser,
    request: Request,
    environment: Annotated[
        str | None, Query(description="Environment to run in; the example's or the entry's.")
    ] = None,
    example: Annotated[
        str | None, Query(description="Name of a catalog example whose inputs to use.")
    ] = None,
    inputs: Annotated[
        str | None,
        Query(description="Inputs as JSON (URL-encoded); default: the first example's."),
    ] = None,
) -> SnippetList:
    """Code that starts this workflow: the `foyer` CLI, cURL, Python httpx and requests, and for
    members of the owning team a direct Temporal start. No snippet contains an API key: each
    reads it from `FOYER_API_KEY`; each sends an `Idempotency-Key`."""
    entry = state.catalog.get(entry_id)
    chosen_inputs, example_environment = _inputs(entry, example, inputs)
    target = entry.target(environment or example_environment)
    settings = state.settings
    base_url = settings.public_url or str(request.base_url)
    key = str(uuid.uuid4())
    temporal = None
    if owning_team_member(entry, user):
        approval = entry.approval_for(target.environment)
        temporal = TemporalStart(
            address=settings.temporal_address,
            namespace=target.namespace,
            task_queue=target.task_queue,
            workflow_type=entry.workflow_type,
            requester={"subject": user.email, "name": user.name, "groups": list(user.groups)},
            approval={
                "required": approval.required,
                "min_approvers": approval.min_approvers,
                "allow_self_approval": approval.allow_self_approval,
                "approver_groups": list(entry.access.approve),
                "timeout_seconds": approval.timeout_seconds,
            },
            tls=settings.temporal_tls,
            api_key=settings.temporal_api_key is not None,
        )
    built = build_snippets(
        SnippetRequest(
            base_url=base_url.rstrip("/"),
            entry_id=entry.id,
            schema=entry.schema,
            environment=target.environment,
            inputs=chosen_inputs,
            idempotency_key=key,
            temporal=temporal,
        )
    )
    return SnippetList(
        snippets=[SnippetPublic(language=s.language, label=s.label, code=s.code) for s in built]
    )


def owning_team_member(entry: Entry, user: User) -> bool:
    """Whether ``user`` belongs to the team that owns ``entry``'s namespace.

    The entry's approver groups stand for the team with write access to its
    namespace; a wildcard approver list names nobody in particular.
    """
    team = set(entry.access.approve) - {ANY_GROUP}
    return not team.isdisjoint(user.groups)


def _inputs(
    entry: Entry, example: str | None, raw: str | None
) -> tuple[dict[str, Any], str | None]:
    if example is not None and raw is not None:
        raise Invalid([("inputs", "give either `example` or `inputs`, not both")])
    if raw is not None:
        try:
            value = json.loads(raw)
        except ValueError as err:
            raise Invalid([("inputs", f"must be a JSON object, URL-encoded ({err})")]) from None
        if not isinstance(value, dict):
            raise Invalid([("inputs", "must be a JSON object, URL-encoded")])
        return value, None
    if example is not None:
        for candidate in entry.examples:
            if candidate.name.casefold() == example.casefold():
                return dict(candidate.inputs), candidate.environment
        names = ", ".join(f"`{e.name}`" for e in entry.examples) or "none"
        raise Invalid(
            [("example", f"Example `{example}` does not exist; the examples are: {names}")]
        )
    if entry.examples:
        return dict(entry.examples[0].inputs), entry.examples[0].environment
    return {}, None
