/** Deep links pre-fill a workflow's form:
 * `/workflows/{id}?inputs=<url-encoded JSON>`, or one query parameter per field
 * (`?table_name=orders&dry_run=false`), plus `environment=`. */

import type { JsonSchema } from "../api/types";
import { properties } from "./schema";

export interface Prefill {
  inputs: Record<string, unknown>;
  environment: string | null;
  problems: string[];
}

function coerce(raw: string, field: JsonSchema): unknown {
  const type = Array.isArray(field.type) ? field.type[0] : field.type;
  switch (type) {
    case "boolean":
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      return raw;
    case "integer":
    case "number": {
      const value = Number(raw);
      return raw.trim() !== "" && Number.isFinite(value) ? value : raw;
    }
    case "array":
      if (raw.trim().startsWith("[")) {
        try {
          return JSON.parse(raw);
        } catch {
          return raw;
        }
      }
      return raw.split(",").map((part) => part.trim()).filter(Boolean);
    case "object":
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

export function prefillFromQuery(schema: JsonSchema, query: URLSearchParams): Prefill {
  const fields = properties(schema);
  const prefill: Prefill = { inputs: {}, environment: query.get("environment"), problems: [] };
  const encoded = query.get("inputs");
  if (encoded !== null) {
    try {
      const parsed: unknown = JSON.parse(encoded);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        Object.assign(prefill.inputs, parsed);
      } else {
        prefill.problems.push("The link's `inputs` must be a JSON object");
      }
    } catch {
      prefill.problems.push("The link's `inputs` is not valid JSON");
    }
  }
  for (const [name, raw] of query.entries()) {
    if (name === "inputs" || name === "environment") continue;
    const field = fields[name];
    if (field) prefill.inputs[name] = coerce(raw, field);
  }
  return prefill;
}

/** A link that opens the form filled with `inputs`. */
export function formLink(
  origin: string,
  workflow: string,
  inputs: Record<string, unknown>,
  environment: string | null,
): string {
  const params = new URLSearchParams();
  params.set("inputs", JSON.stringify(inputs));
  if (environment) params.set("environment", environment);
  return `${origin}/workflows/${encodeURIComponent(workflow)}?${params.toString()}`;
}
