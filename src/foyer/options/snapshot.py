"""A source's options as the gateway last read them, grouped by params and indexed."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from foyer.contracts.options import OptionItem
from foyer.options.search import Hit, Option, Result, SearchIndex


@dataclass(frozen=True)
class Snapshot:
    """One version of an inventory, searchable per combination of param values.

    Attributes:
        version: The inventory's version this was built from.
        refreshed_at: When the team last read the world for it.
        refresh_seconds: How often the team reads the world again.
    """

    source: str
    params: tuple[str, ...]
    version: int
    refreshed_at: datetime | None
    refresh_seconds: int
    groups: dict[tuple[str, ...], SearchIndex] = field(repr=False)

    @classmethod
    def build(
        cls,
        source: str,
        params: Sequence[str],
        items: Iterable[OptionItem],
        *,
        version: int,
        refreshed_at: datetime | None,
        refresh_seconds: int,
    ) -> Snapshot:
        grouped: dict[tuple[str, ...], list[Option]] = {}
        for item in items:
            key = tuple(item.params.get(name, "") for name in params)
            grouped.setdefault(key, []).append(Option(item.value, item.label, item.description))
        return cls(
            source=source,
            params=tuple(params),
            version=version,
            refreshed_at=refreshed_at,
            refresh_seconds=refresh_seconds,
            groups={key: SearchIndex(options) for key, options in grouped.items()},
        )

    @property
    def size(self) -> int:
        return sum(len(index) for index in self.groups.values())

    def stale_after(self, cache_seconds: int) -> datetime | None:
        """When an answer from this snapshot may be older than the source promises."""
        if self.refreshed_at is None:
            return None
        return self.refreshed_at + timedelta(seconds=self.refresh_seconds + cache_seconds)

    def select(self, values: Mapping[str, str]) -> list[SearchIndex]:
        """The groups whose params have ``values``; a param left out matches any value."""
        wanted = [
            (position, values[name]) for position, name in enumerate(self.params) if name in values
        ]
        return [
            index
            for key, index in self.groups.items()
            if all(key[position] == value for position, value in wanted)
        ]

    def search(self, query: str, limit: int, values: Mapping[str, str]) -> Result:
        """Search the selected groups as one list."""
        indexes = self.select(values)
        if len(indexes) == 1:
            return indexes[0].search(query, limit)
        results = [index.search(query, limit) for index in indexes]
        hits = heapq.nsmallest(limit, (hit for result in results for hit in result.hits), key=_rank)
        return Result(
            total=sum(result.total for result in results),
            matched=sum(result.matched for result in results),
            hits=hits,
        )

    def contains(self, value: str, values: Mapping[str, str]) -> bool:
        return any(index.contains(value) for index in self.select(values))


def _rank(hit: Hit) -> tuple[int, str, str]:
    return (hit.tier, hit.option.shown.lower(), hit.option.value)
