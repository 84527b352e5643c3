import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api } from "../api/client";
import type { RunFilters } from "../api/client";
import { RUN_STATUSES } from "../api/types";
import { StatusBadge } from "../components/StatusBadge";
import { formatTime } from "../lib/format";
import { useLoad, usePageTitle, usePolling } from "../lib/hooks";

export const PAGE_SIZE = 25;
const LIST_POLL_MS = 3000;

/** Filters and the page position are mirrored in the URL, so a view can be shared and
 * reloaded. `back` is the trail of cursors of the pages before this one, for Previous. */
function readFilters(params: URLSearchParams): { filters: RunFilters; mine: boolean; trail: string[] } {
  const mine = params.get("who") !== "all";
  const trail = params.getAll("back");
  return {
    mine,
    trail,
    filters: {
      requester: mine ? "me" : undefined,
      workflow: params.get("workflow") || undefined,
      status: params.get("status") || undefined,
      environment: params.get("environment") || undefined,
      cursor: params.get("cursor") || undefined,
      limit: PAGE_SIZE,
    },
  };
}

export default function RunsPage() {
  usePageTitle("Runs");
  const [urlParams, setUrlParams] = useSearchParams();
  // The page owns its filters and the URL follows them: controls answer at once, not
  // after the router has navigated.
  const [search, setSearch] = useState(() => urlParams.toString());
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const setParams = (next: URLSearchParams) => setSearch(next.toString());
  useEffect(() => {
    if (urlParams.toString() !== search) setUrlParams(new URLSearchParams(search), { replace: true });
  }, [search, urlParams, setUrlParams]);
  const { filters, mine, trail } = readFilters(params);
  const [catalog] = useLoad(() => api.catalog(), "catalog");
  const [page, reload] = useLoad(() => api.runs(filters), JSON.stringify(filters));
  // The list follows the runs: statuses change while you look at them.
  usePolling(async () => reload(), LIST_POLL_MS, true);
  const items = useMemo(() => (catalog.state === "ready" ? catalog.data.items : []), [catalog]);
  const environments = useMemo(
    () => [...new Set(items.flatMap((item) => item.environments))].sort(),
    [items],
  );

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete("cursor");
    next.delete("back");
    setParams(next);
  };
  const goNext = (cursor: string) => {
    const next = new URLSearchParams(params);
    next.append("back", filters.cursor ?? "");
    next.set("cursor", cursor);
    setParams(next);
  };
  const goPrevious = () => {
    const next = new URLSearchParams(params);
    const previous = trail.slice(0, -1);
    next.delete("back");
    previous.forEach((cursor) => next.append("back", cursor));
    const target = trail[trail.length - 1];
    if (target) next.set("cursor", target);
    else next.delete("cursor");
    setParams(next);
  };

  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
      </div>
      <form className="filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <fieldset className="segmented">
          <legend>Whose runs</legend>
          <div className="segmented__options">
            <label>
              <input type="radio" name="who" checked={mine} onChange={() => setFilter("who", "")} />
              My runs
            </label>
            <label>
              <input
                type="radio"
                name="who"
                checked={!mine}
                onChange={() => setFilter("who", "all")}
              />
              All runs
            </label>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="filter-workflow">Workflow</label>
          <select
            id="filter-workflow"
            value={filters.workflow ?? ""}
            onChange={(event) => setFilter("workflow", event.target.value)}
          >
            <option value="">Any workflow</option>
            {items.map((item) => (
              <option key={item.id} value={item.id}>
                {item.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status ?? ""}
            onChange={(event) => setFilter("status", event.target.value)}
          >
            <option value="">Any status</option>
            {RUN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-environment">Environment</label>
          <select
            id="filter-environment"
            value={filters.environment ?? ""}
            onChange={(event) => setFilter("environment", event.target.value)}
          >
            <option value="">Any environment</option>
            {environments.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </form>
      {page.state === "loading" && <p className="muted">Loading runs…</p>}
      {page.state === "error" && (
        <p className="notice notice--error" role="alert">
          Could not list runs: {page.error.message}
        </p>
      )}
      {page.state === "ready" && page.data.items.length === 0 && (
        <p className="empty">No runs match these filters.</p>
      )}
      {page.state === "ready" && page.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              {mine ? "My runs" : "All runs"}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Environment</th>
                <th scope="col">Requester</th>
                <th scope="col">Requested</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((run) => (
                <tr key={run.id}>
                  <td>
                    <Link to={`/runs/${encodeURIComponent(run.id)}`}>{run.title || run.workflow}</Link>
                    <div className="muted small">
                      <code>{run.id}</code>
                    </div>
                  </td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td>{run.environment}</td>
                  <td>{run.requester}</td>
                  <td>{formatTime(run.created_at)}</td>
                  <td>{formatTime(run.closed_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.state === "ready" && (trail.length > 0 || page.data.next_cursor) && (
        <nav className="pager" aria-label="Pages">
          <button type="button" className="button" disabled={trail.length === 0} onClick={goPrevious}>
            Previous page
          </button>
          <button
            type="button"
            className="button"
            disabled={!page.data.next_cursor}
            onClick={() => page.data.next_cursor && goNext(page.data.next_cursor)}
          >
            Next page
          </button>
        </nav>
      )}
    </>
  );
}
