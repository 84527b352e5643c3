/** Searching and grouping the catalog, as the catalog page shows it. */

import type { CatalogItem } from "../api/types";

function haystack(item: CatalogItem): string {
  return [item.id, item.title, item.description, ...item.tags, ...item.owners]
    .join("\n")
    .toLowerCase();
}

/** Entries matching every word of `query` in their title, description, tags, team or id. */
export function filterCatalog(items: CatalogItem[], query: string): CatalogItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items;
  return items.filter((item) => {
    const text = haystack(item);
    return words.every((word) => text.includes(word));
  });
}

export interface TeamGroup {
  team: string;
  items: CatalogItem[];
}

/** Entries grouped by owning team (the first owner), teams and titles in alphabetical order. */
export function groupByTeam(items: CatalogItem[]): TeamGroup[] {
  const groups = new Map<string, CatalogItem[]>();
  for (const item of items) {
    const team = item.owners[0] ?? "unowned";
    groups.set(team, [...(groups.get(team) ?? []), item]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([team, members]) => ({
      team,
      items: [...members].sort((a, b) => a.title.localeCompare(b.title)),
    }));
}
