/** The equivalent curl for a form, shown until the gateway serves snippets of its own. */

import type { Snippet } from "../api/types";

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function curlSnippet(
  origin: string,
  workflow: string,
  environment: string,
  inputs: Record<string, unknown>,
): Snippet {
  const body = JSON.stringify({ workflow, environment, inputs }, null, 2);
  return {
    language: "shell",
    label: "curl",
    code: [
      `curl -X POST ${shellQuote(`${origin}/api/runs`)} \\`,
      `  -H "Authorization: Bearer $FOYER_API_KEY" \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d ${shellQuote(body)}`,
    ].join("\n"),
  };
}
