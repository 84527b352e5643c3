import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { CatalogItem } from "../api/types";
import { filterCatalog, groupByTeam } from "../lib/catalog";
import { slug } from "../lib/format";
import { useLoad, usePageTitle } from "../lib/hooks";
import { loadCatalog } from "../lib/prefetch";

function EntryCard({ item }: { item: CatalogItem }) {
  const noteId = slug("entry-note", item.id);
  return (
    <li className={item.can_run ? "entry" : "entry entry--locked"}>
      <h3 className="entry__title">
        <Link to={`/workflows/${encodeURIComponent(item.id)}`} aria-describedby={noteId}>
          {item.title}
        </Link>
      </h3>
      <p className="entry__description">{item.description}</p>
      <p id={noteId} className="entry__meta">
        {!item.can_run && <span className="badge badge--locked">You cannot run this</span>}
        {item.approval.required && <span className="badge">Needs approval</span>}
        {item.can_approve && <span className="badge badge--approver">You approve</span>}
        {item.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </p>
    </li>
  );
}

export function CatalogPage() {
  usePageTitle("Catalog");
  const [params, setParams] = useSearchParams();
  // The box owns its text; the URL follows it (so a search can be shared), never the
  // other way round, or fast typing would lose keystrokes to the router's updates.
  const [query, setQuery] = useState(() => params.get("q") ?? "");
  useEffect(() => {
    if ((params.get("q") ?? "") !== query) setParams(query ? { q: query } : {}, { replace: true });
  }, [query, params, setParams]);
  const [catalog] = useLoad(loadCatalog, "catalog");
  const items = useMemo(() => (catalog.state === "ready" ? catalog.data.items : []), [catalog]);
  const matching = useMemo(() => filterCatalog(items, query), [items, query]);
  const groups = useMemo(() => groupByTeam(matching), [matching]);

  useEffect(() => {
    if (catalog.state === "ready" && performance.getEntriesByName("foyer:catalog-ready").length === 0)
      performance.mark("foyer:catalog-ready");
  }, [catalog.state]);

  return (
    <>
      <div className="page-head">
        <h1>Catalog</h1>
        <p className="lede">Find a workflow, fill its form, follow the run.</p>
      </div>
      <div className="search" role="search">
        <label htmlFor="catalog-search">Search workflows</label>
        <input
          id="catalog-search"
          type="search"
          placeholder="Title, description, tag or team"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <p className="search__count" role="status" aria-live="polite">
          {catalog.state === "ready" &&
            (query
              ? `${matching.length} of ${items.length} workflows match`
              : `${items.length} workflows`)}
        </p>
      </div>
      {catalog.state === "loading" && <p className="muted">Loading the catalog…</p>}
      {catalog.state === "error" && (
        <p className="notice notice--error" role="alert">
          Could not load the catalog: {catalog.error.message}
        </p>
      )}
      {catalog.state === "ready" && matching.length === 0 && (
        <p className="empty">
          {query ? <>No workflow matches &ldquo;{query}&rdquo;.</> : "The catalog is empty."}
        </p>
      )}
      {groups.map((group) => (
        <section key={group.team} className="team" aria-labelledby={slug("team", group.team)}>
          <h2 id={slug("team", group.team)} className="team__name">
            {group.team}
          </h2>
          <ul className="entries">
            {group.items.map((item) => (
              <EntryCard key={item.id} item={item} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
