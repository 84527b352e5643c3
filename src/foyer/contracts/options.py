"""Payloads of option inventories: what a team's inventory workflow holds and answers.

The gateway reads an inventory only through the Queries named in
``foyer.contracts.names`` (``foyer.options.*``); it never writes to it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class OptionItem(BaseModel):
    """One value a field can take, and the source params it belongs to."""

    value: str
    label: str = ""
    """What people read and search; the value when empty."""
    description: str = ""
    params: dict[str, str] = Field(default_factory=dict)
    """Values of the source's params this option exists under, e.g. ``{"region": "us-east-1"}``."""


class InventoryPage(BaseModel):
    """What one call of a team's fetch function returns (and the fetch activity, filled in)."""

    items: list[OptionItem] = Field(default_factory=list)
    cursor: str | None = None
    """Set when more pages follow: the next call receives it."""
    digest: str = ""
    """Set by the fetch activity: a digest of ``items``."""
    unchanged: bool = False
    """Set by the fetch activity when the page equals the previous read's page of the same
    number; ``items`` is then left empty, so an unchanged inventory adds little history."""


class FetchRequest(BaseModel):
    """Input of the inventory fetch activity."""

    source: str
    cursor: str | None = None
    page: int = 0
    previous: str = ""
    """Digest of this page in the inventory's current items, if it has such a page."""


class InventoryState(BaseModel):
    """What an inventory workflow carries into its next run (continue-as-new)."""

    version: int = 0
    pages: list[list[OptionItem]] | None = None
    """The items, page by page; ``None`` when too many to carry: the next run reads them
    again before it answers."""
    digests: list[str] = Field(default_factory=list)
    refreshed_at: datetime | None = None


class InventoryInput(BaseModel):
    """Input of the inventory workflow."""

    source: str
    refresh_seconds: int
    state: InventoryState | None = None


class InventoryInfo(BaseModel):
    """Answer of the info query: which version the inventory is at and how fresh it is."""

    source: str
    ready: bool
    """False until the first refresh of this workflow completed."""
    version: int = 0
    """Grows whenever the items change."""
    total: int = 0
    refreshed_at: datetime | None = None
    """When the team's activity last read the world successfully."""
    refresh_seconds: int = 0
    error: str = ""
    """Why the last refresh failed, if it did; the items are then the previous ones."""
    failed_at: datetime | None = None


class PageRequest(BaseModel):
    """Argument of the page query: a slice of one version of the items."""

    version: int
    offset: int = 0
    limit: int = 5000


class InventoryChunk(BaseModel):
    """Answer of the page query; ``version`` differs from the request's when it moved on."""

    version: int
    total: int
    items: list[OptionItem] = Field(default_factory=list)


class ContainsRequest(BaseModel):
    """Argument of the contains query."""

    value: str
    params: dict[str, str] = Field(default_factory=dict)
    """Params the option must exist under; a param left out matches any value."""


class ContainsAnswer(BaseModel):
    """Answer of the contains query."""

    ready: bool
    found: bool = False
    version: int = 0
    refreshed_at: datetime | None = None
