import { useEffect } from "react";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import type { Run } from "../api/types";
import { formatTime } from "../lib/format";
import { APPROVALS_CHANGED, useLoad, usePageTitle, usePolling } from "../lib/hooks";

const INBOX_POLL_MS = 5000;

function planSummary(run: Run): string {
  const plan = run.plan as { actions?: unknown } | null;
  if (plan && Array.isArray(plan.actions)) return plan.actions.filter((a) => typeof a === "string").join("; ");
  return run.message;
}

export default function ApprovalsPage() {
  usePageTitle("Approvals");
  const [inbox, reload] = useLoad(() => api.approvals(), "approvals");
  usePolling(async () => reload(), INBOX_POLL_MS, true);
  useEffect(() => {
    window.addEventListener(APPROVALS_CHANGED, reload);
    return () => window.removeEventListener(APPROVALS_CHANGED, reload);
  }, [reload]);

  return (
    <>
      <div className="page-head">
        <h1>Approvals</h1>
        <p className="lede">Runs waiting for your decision, oldest first.</p>
      </div>
      {inbox.state === "loading" && <p className="muted">Loading your inbox…</p>}
      {inbox.state === "error" && (
        <p className="notice notice--error" role="alert">
          Could not load your inbox: {inbox.error.message}
        </p>
      )}
      {inbox.state === "ready" && inbox.data.items.length === 0 && (
        <p className="empty">Nothing is waiting for your decision.</p>
      )}
      {inbox.state === "ready" && inbox.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Runs waiting for your decision</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Requester</th>
                <th scope="col">Environment</th>
                <th scope="col">Plan</th>
                <th scope="col">Reason</th>
                <th scope="col">Requested</th>
              </tr>
            </thead>
            <tbody>
              {inbox.data.items.map((run) => (
                <tr key={run.id}>
                  <td>
                    <Link to={`/runs/${encodeURIComponent(run.id)}`}>{run.title || run.workflow}</Link>
                    <div className="muted small">
                      <code>{run.id}</code>
                    </div>
                  </td>
                  <td>{run.requester_name || run.requester}</td>
                  <td>{run.environment}</td>
                  <td>{planSummary(run)}</td>
                  <td>{typeof run.inputs.reason === "string" ? run.inputs.reason : "—"}</td>
                  <td>{formatTime(run.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
