import { lazy, Suspense, useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api } from "../api/client";
import type { CatalogEntry } from "../api/types";
import { Tabs } from "../components/Tabs";
import { prefillFromQuery } from "../lib/deeplink";
import { formatDuration } from "../lib/format";
import { useLoad, usePageTitle } from "../lib/hooks";
import { initialFormData } from "../lib/schema";
import { Guide } from "./workflow/Guide";
import { Snippets } from "./workflow/Snippets";

// rjsf and ajv are most of the portal's weight: load them only for the form.
const WorkflowForm = lazy(() => import("./workflow/WorkflowForm"));

function WorkflowView({ entry }: { entry: CatalogEntry }) {
  const [search] = useSearchParams();
  const prefill = useMemo(() => prefillFromQuery(entry.schema, search), [entry, search]);
  const [tab, setTab] = useState("form");
  const [formData, setFormData] = useState<Record<string, unknown>>(() => ({
    ...initialFormData(entry.schema),
    ...prefill.inputs,
  }));
  const [environment, setEnvironment] = useState(() =>
    prefill.environment && entry.environments.includes(prefill.environment)
      ? prefill.environment
      : entry.default_environment,
  );
  usePageTitle(entry.title);

  const approvers = entry.approve_groups.join(", ") || "nobody";
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Catalog</Link> <span aria-hidden="true">/</span> {entry.owners[0]}
      </nav>
      <div className="page-head">
        <h1>{entry.title}</h1>
        <p className="lede">{entry.description}</p>
        <dl className="summary">
          <div>
            <dt>Owners</dt>
            <dd>{entry.owners.join(", ")}</dd>
          </div>
          <div>
            <dt>Approval</dt>
            <dd>
              {entry.approval.required
                ? `${entry.approval.min_approvers} from ${approvers}, within ${formatDuration(entry.approval.timeout_seconds)}`
                : "not required"}
            </dd>
          </div>
          <div>
            <dt>Environments</dt>
            <dd>{entry.environments.join(", ")}</dd>
          </div>
          <div>
            <dt>Tags</dt>
            <dd>{entry.tags.join(", ") || "—"}</dd>
          </div>
        </dl>
      </div>
      {!entry.can_run && (
        <p className="notice notice--warning">
          You can read this workflow but not run it: it is open to{" "}
          {entry.run_groups.join(", ") || "no group"}.
        </p>
      )}
      {prefill.problems.map((problem) => (
        <p key={problem} className="notice notice--warning" role="alert">
          {problem}
        </p>
      ))}
      <Tabs
        label="Workflow"
        selected={tab}
        onSelect={setTab}
        tabs={[
          {
            id: "form",
            label: "Form",
            render: () => (
              <Suspense fallback={<p className="muted">Loading the form…</p>}>
                <WorkflowForm
                  entry={entry}
                  formData={formData}
                  onFormDataChange={setFormData}
                  environment={environment}
                  onEnvironmentChange={setEnvironment}
                />
              </Suspense>
            ),
          },
          { id: "guide", label: "Guide", render: () => <Guide markdown={entry.guide} /> },
          {
            id: "snippets",
            label: "Snippets",
            render: () => (
              <Snippets entry={entry} inputs={formData} environment={environment} />
            ),
          },
        ]}
      />
    </>
  );
}

export default function WorkflowPage() {
  const { id = "" } = useParams();
  const [entry] = useLoad(() => api.entry(id), id);
  usePageTitle(entry.state === "ready" ? entry.data.title : "Workflow");
  if (entry.state === "loading") return <p className="muted">Loading…</p>;
  if (entry.state === "error") {
    return (
      <>
        <h1>Workflow not found</h1>
        <p className="notice notice--error" role="alert">
          {entry.error.message}
        </p>
        <p>
          <Link to="/">Back to the catalog</Link>
        </p>
      </>
    );
  }
  return <WorkflowView key={entry.data.id} entry={entry.data} />;
}
