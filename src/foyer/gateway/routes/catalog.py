"""The catalog, filtered to nothing: every engineer may read every entry."""

from __future__ import annotations

from fastapi import APIRouter

from foyer.gateway.deps import CurrentUser, State
from foyer.gateway.schemas import CatalogEntryPublic, CatalogItem, CatalogList

router = APIRouter(prefix="/catalog", tags=["catalog"])


@router.get("", operation_id="listCatalog")
async def list_catalog(state: State, user: CurrentUser) -> CatalogList:
    """Every published workflow, with whether the caller may run or approve it."""
    return CatalogList(items=[CatalogItem.of(e, user.groups) for e in state.catalog.entries])


@router.get(
    "/{entry_id}",
    operation_id="getCatalogEntry",
    response_model=CatalogEntryPublic,
    response_model_by_alias=True,
)
async def get_entry(entry_id: str, state: State, user: CurrentUser) -> CatalogEntryPublic:
    """One entry with its fully resolved input schema, UI schema, guide and examples."""
    return CatalogEntryPublic.of(state.catalog.get(entry_id), user.groups)
