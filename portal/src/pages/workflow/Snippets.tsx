import { useState } from "react";
import { ApiError, api } from "../../api/client";
import type { CatalogEntry, Snippet } from "../../api/types";
import { formLink } from "../../lib/deeplink";
import { useLoad } from "../../lib/hooks";
import { curlSnippet } from "../../lib/snippets";

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button--small"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? "Copied" : `Copy ${label}`}
    </button>
  );
}

function SnippetBlock({ snippet }: { snippet: Snippet }) {
  return (
    <figure className="snippet">
      <figcaption>
        <span>{snippet.label}</span>
        <CopyButton text={snippet.code} label={snippet.label} />
      </figcaption>
      <pre tabIndex={0}>
        <code>{snippet.code}</code>
      </pre>
    </figure>
  );
}

/** How to run this workflow without the portal: the gateway's snippets when it has them,
 * else the equivalent curl for what the form holds now. */
export function Snippets({
  entry,
  inputs,
  environment,
}: {
  entry: CatalogEntry;
  inputs: Record<string, unknown>;
  environment: string;
}) {
  const [loaded] = useLoad(
    () =>
      api.snippets(entry.id, inputs, environment).catch((err: unknown) => {
        // A gateway without the snippets API: fall back to the equivalent curl.
        if (err instanceof ApiError && err.status === 404 && !err.errors[0]?.field) {
          return { snippets: [] };
        }
        throw err;
      }),
    JSON.stringify([entry.id, inputs, environment]),
  );
  const origin = window.location.origin;
  if (loaded.state === "loading") return <p className="muted">Loading snippets…</p>;
  const served = loaded.state === "ready" ? loaded.data.snippets : [];
  const problem = loaded.state === "error" ? loaded.error.message : null;
  const snippets = served.length ? served : [curlSnippet(origin, entry.id, environment, inputs)];
  const link = formLink(origin, entry.id, inputs, environment);
  return (
    <div className="snippets">
      {problem && (
        <p className="notice notice--warning" role="alert">
          The gateway could not make snippets for these inputs ({problem}); here is the plain
          request instead.
        </p>
      )}
      <p>
        {served.length
          ? "Run this workflow from your own tools:"
          : "The same request over HTTP, with what the form holds now:"}
      </p>
      {snippets.map((snippet) => (
        <SnippetBlock key={snippet.label} snippet={snippet} />
      ))}
      <SnippetBlock snippet={{ language: "url", label: "link to this form", code: link }} />
    </div>
  );
}
