import DOMPurify from "dompurify";
import { marked } from "marked";
import { useMemo } from "react";

/** Markdown from the catalog entry, rendered, then sanitised: no script, no handlers. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true }) as string;
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function Guide({ markdown }: { markdown: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  if (!markdown.trim()) return <p className="muted">This workflow has no guide.</p>;
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}
