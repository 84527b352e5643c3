import { useCallback, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, api } from "../api/client";
import type { CatalogEntry, Run } from "../api/types";
import { FINAL_STATUSES } from "../api/types";
import { useMe } from "../auth";
import { StatusBadge } from "../components/StatusBadge";
import { PlanView, ValueView } from "../components/ValueView";
import { formatTime } from "../lib/format";
import { announceApprovalsChanged, useLoad, usePageTitle, usePolling } from "../lib/hooks";
import { canCancel, decisionBlocker } from "../lib/permissions";
import { fieldTitle } from "../lib/schema";
import { buildTimeline } from "../lib/timeline";

/** How often a live run is read again; the page follows the run within this. */
export const RUN_POLL_MS = 1000;

function Timeline({ run, approvalRequired }: { run: Run; approvalRequired: boolean }) {
  return (
    <ol className="timeline" aria-label="Timeline">
      {buildTimeline(run, approvalRequired).map((step) => (
        <li key={step.key} className={`timeline__step is-${step.state}`}>
          <span className="timeline__marker" aria-hidden="true" />
          <span className="timeline__label">{step.label}</span>
          <span className="visually-hidden">
            {" "}
            ({step.state === "current" ? "in progress" : step.state})
          </span>
          {step.detail && <span className="timeline__detail">{step.detail}</span>}
          {step.at && (
            <time className="timeline__time" dateTime={step.at}>
              {formatTime(step.at)}
            </time>
          )}
        </li>
      ))}
    </ol>
  );
}

function Decision({
  run,
  entry,
  onRun,
}: {
  run: Run;
  entry: CatalogEntry | null;
  onRun: (run: Run) => void;
}) {
  const me = useMe();
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  if (run.status !== "awaiting_approval") return null;
  const blocker = decisionBlocker(run, entry, me);

  const decide = async (approve: boolean) => {
    setBusy(true);
    setRefusal(null);
    try {
      const updated = approve ? await api.approve(run.id, comment) : await api.reject(run.id, comment);
      onRun(updated);
      announceApprovalsChanged();
    } catch (err) {
      setRefusal((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card decision" aria-labelledby="decision-heading">
      <h2 id="decision-heading">Approval</h2>
      {blocker ? (
        <p className="decision__blocked">
          Waiting for an approver. <strong>You cannot decide:</strong> {blocker}.
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
          }}
        >
          <p>
            Read the plan and the inputs below, then decide. Your name is recorded with the
            decision.
          </p>
          <div className="field">
            <label htmlFor="decision-comment">Comment</label>
            <textarea
              id="decision-comment"
              rows={2}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
            />
          </div>
          <div className="decision__buttons">
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => decide(true)}
            >
              Approve
            </button>
            <button
              type="button"
              className="button button--danger"
              disabled={busy}
              onClick={() => decide(false)}
            >
              Reject
            </button>
          </div>
        </form>
      )}
      {refusal && (
        <p className="notice notice--error" role="alert">
          Refused: {refusal}
        </p>
      )}
    </section>
  );
}

function CancelRun({
  run,
  entry,
  onRun,
}: {
  run: Run;
  entry: CatalogEntry | null;
  onRun: (run: Run) => void;
}) {
  const me = useMe();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  if (!canCancel(run, entry, me)) return null;
  const cancel = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      onRun(await api.cancel(run.id, reason));
      announceApprovalsChanged();
    } catch (err) {
      setRefusal((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="cancel" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading" className="visually-hidden">
        Cancel
      </h2>
      <div className="field field--inline">
        <label htmlFor="cancel-reason">Reason for cancelling (optional)</label>
        <input id="cancel-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
        <button type="button" className="button button--danger-quiet" disabled={busy} onClick={cancel}>
          Cancel run
        </button>
      </div>
      {refusal && (
        <p className="notice notice--error" role="alert">
          Refused: {refusal}
        </p>
      )}
    </section>
  );
}

function RunView({ initial }: { initial: Run }) {
  const [run, setRun] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const [entry] = useLoad(() => api.entry(initial.workflow).catch(() => null), initial.workflow);
  const catalogEntry = entry.state === "ready" ? entry.data : null;
  const live = !FINAL_STATUSES.has(run.status);
  usePageTitle(`${run.status} · ${run.title || run.workflow}`);

  const refresh = useCallback(async () => {
    try {
      setRun(await api.run(initial.id));
      setPollError(null);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setPollError((err as Error).message);
    }
  }, [initial.id]);
  usePolling(refresh, RUN_POLL_MS, live);

  const schema = catalogEntry?.schema ?? {};
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/runs">Runs</Link> <span aria-hidden="true">/</span> {run.id}
      </nav>
      <div className="page-head">
        <h1>{run.title || run.workflow}</h1>
        <p className="run-meta">
          <code>{run.id}</code> · {run.environment} · requested by{" "}
          {run.requester_name || run.requester} · {formatTime(run.created_at)}
        </p>
      </div>
      <div className="run-status" role="status" aria-live="polite" aria-atomic="true">
        <span className="run-status__label">Status</span> <StatusBadge status={run.status} />
        {run.message && <span className="run-status__message">{run.message}</span>}
        {live && <span className="run-status__live">updating live</span>}
      </div>
      {run.irreversible && !FINAL_STATUSES.has(run.status) && (
        <p className="notice notice--warning">
          Irreversible step under way: {run.irreversible}. The run can no longer be cancelled.
        </p>
      )}
      {pollError && (
        <p className="notice notice--warning">Could not refresh the run: {pollError}</p>
      )}
      <div className="run-grid">
        <div className="run-grid__main">
          <Decision run={run} entry={catalogEntry} onRun={setRun} />
          {run.error && (
            <section className="card card--error" aria-labelledby="error-heading">
              <h2 id="error-heading">Error</h2>
              <p>
                <strong>{run.error.type}</strong>: {run.error.message}
              </p>
            </section>
          )}
          {run.result !== null && run.result !== undefined && (
            <section className="card" aria-labelledby="result-heading">
              <h2 id="result-heading">Result</h2>
              <PlanView value={run.result} actionsTitle="What was done" />
            </section>
          )}
          <section className="card" aria-labelledby="plan-heading">
            <h2 id="plan-heading">Plan</h2>
            {run.plan === null || run.plan === undefined ? (
              <p className="muted">
                {live ? "The owning team has not published a plan yet." : "No plan was published."}
              </p>
            ) : (
              <PlanView value={run.plan} actionsTitle="What will happen" />
            )}
          </section>
          <section className="card" aria-labelledby="inputs-heading">
            <h2 id="inputs-heading">Inputs</h2>
            <dl className="facts">
              {Object.entries(run.inputs).map(([name, value]) => (
                <div key={name} className="facts__row">
                  <dt>{fieldTitle(schema, name)}</dt>
                  <dd>
                    <ValueView value={value} name={name} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
          <CancelRun run={run} entry={catalogEntry} onRun={setRun} />
        </div>
        <aside className="run-grid__side" aria-label="Progress">
          <h2>Progress</h2>
          <Timeline run={run} approvalRequired={catalogEntry?.approval.required ?? true} />
          <h2>In Temporal</h2>
          <ul className="links">
            <li>
              <a href={run.links.temporal_ui} target="_blank" rel="noreferrer">
                Router workflow in the Temporal UI
              </a>
            </li>
            <li>
              <a href={run.links.team_temporal_ui} target="_blank" rel="noreferrer">
                Team workflow in the Temporal UI
              </a>
            </li>
          </ul>
        </aside>
      </div>
    </>
  );
}

export default function RunPage() {
  const { id = "" } = useParams();
  const [run] = useLoad(() => api.run(id), id);
  if (run.state === "loading") return <p className="muted">Loading the run…</p>;
  if (run.state === "error") {
    return (
      <>
        <h1>Run not found</h1>
        <p className="notice notice--error" role="alert">
          {run.error.message}
        </p>
        <p>
          <Link to="/runs">All runs</Link>
        </p>
      </>
    );
  }
  return <RunView key={run.data.id} initial={run.data} />;
}
