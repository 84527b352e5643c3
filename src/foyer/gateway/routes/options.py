"""Option sources: list them, and search one as a form field is typed into."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from foyer.catalog import OptionSource
from foyer.errors import Forbidden, Invalid
from foyer.gateway.deps import CurrentUser, State
from foyer.gateway.state import GatewayState
from foyer.options.search import Hit

router = APIRouter(prefix="/options", tags=["options"])

RESERVED = ("q", "limit", "environment")
MAX_VALUE = 200


class SourceUse(BaseModel):
    """A field whose values come from the source."""

    entry: str
    field: str


class OptionSourcePublic(BaseModel):
    """An option source as listed."""

    name: str
    title: str
    description: str = ""
    params: list[str] = Field(description="Query parameters that narrow the options.")
    refresh_seconds: int = Field(description="How often the owning team reads the list again.")
    used_by: list[SourceUse]


class OptionSourceList(BaseModel):
    sources: list[OptionSourcePublic]


class OptionPublic(BaseModel):
    """One option; ``match`` holds the ``[start, end)`` ranges of the label that matched."""

    value: str
    label: str
    description: str | None = None
    match: list[tuple[int, int]] = Field(default_factory=list)


class OptionSearch(BaseModel):
    """The best options for a query: ``matched`` of ``total`` options matched."""

    source: str
    total: int
    matched: int
    items: list[OptionPublic]
    refreshed_at: datetime | None = Field(
        default=None, description="When the owning team last read the list."
    )
    stale_after: datetime | None = Field(
        default=None,
        description="Past this time the list is older than the source promises "
        "(refresh interval plus the gateway's cache time).",
    )


@router.get("", operation_id="listOptionSources")
async def list_option_sources(state: State, user: CurrentUser) -> OptionSourceList:
    """Every option source, with the params it takes and the fields that use it."""
    return OptionSourceList(
        sources=[
            OptionSourcePublic(
                name=source.name,
                title=source.title,
                description=source.description,
                params=source.param_names,
                refresh_seconds=source.refresh_seconds,
                used_by=[
                    SourceUse(entry=entry.id, field=name)
                    for entry, name in state.catalog.used_by(source.name)
                ],
            )
            for source in state.catalog.sources
        ]
    )


@router.get("/{source}", operation_id="searchOptions", response_model_exclude_none=True)
async def search_options(
    source: str,
    request: Request,
    response: Response,
    state: State,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=MAX_VALUE, description="Words to look for.")] = "",
    limit: Annotated[int, Query(ge=1, le=100, description="How many options to return.")] = 20,
    environment: Annotated[
        str | None, Query(max_length=32, description="Environment whose inventory to search.")
    ] = None,
) -> OptionSearch:
    """Search a source's current options; every other query parameter sets one of its params
    (``?q=prod&region=us-east-1``)."""
    found = state.catalog.source(source)
    _authorise(state, found, user.groups)
    params = _params(found, request)
    _check_environment(state, found, environment)
    answer = await state.options.search(found, environment, q, limit, params)
    snapshot, result = answer.snapshot, answer.result
    # The time in the index only, not a wait for the inventory to be read.
    response.headers["Server-Timing"] = f"search;dur={answer.searched_ms:.2f}"
    return OptionSearch(
        source=found.name,
        total=result.total,
        matched=result.matched,
        items=[_public(hit) for hit in result.hits],
        refreshed_at=snapshot.refreshed_at,
        stale_after=snapshot.stale_after(int(state.options.cache_seconds)),
    )


def _authorise(state: GatewayState, source: OptionSource, groups: list[str]) -> None:
    if not any(entry.may_run(groups) for entry, _ in state.catalog.used_by(source.name)):
        raise Forbidden(
            f"You may not run any workflow that uses `{source.name}`, so you may not list it",
            "source",
        )


def _params(source: OptionSource, request: Request) -> dict[str, str]:
    params: dict[str, str] = {}
    problems = []
    for name, value in request.query_params.items():
        if name in RESERVED:
            continue
        if name not in source.param_names:
            declared = ", ".join(source.param_names) or "none"
            problems.append((name, f"is not a param of `{source.name}` (it has: {declared})"))
        elif len(value) > MAX_VALUE:
            problems.append((name, f"must be at most {MAX_VALUE} characters"))
        else:
            params[name] = value
    if problems:
        raise Invalid(problems)
    return params


def _check_environment(state: GatewayState, source: OptionSource, environment: str | None) -> None:
    if environment is None:
        return
    known = set(source.environments)
    for entry, _ in state.catalog.used_by(source.name):
        known.update(entry.environments)
    if environment not in known:
        allowed = ", ".join(sorted(known)) or "none"
        raise Invalid([("environment", f"`{environment}` is not one of: {allowed}")])


def _public(hit: Hit) -> OptionPublic:
    option = hit.option
    return OptionPublic(
        value=option.value,
        label=option.shown,
        description=option.description or None,
        match=hit.match,
    )
