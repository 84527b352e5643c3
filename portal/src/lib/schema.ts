/** Reading an entry's resolved JSON Schema: field titles, types, option sources. */

import type { JsonSchema } from "../api/types";

export interface OptionSource {
  source: string;
  /** Option parameter name → name of the form field whose value it takes. */
  params: Record<string, string>;
}

const OPTIONS_KEYWORD = "x-foyer-options";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follow a local `#/$defs/...` reference, the only kind a resolved schema holds. */
export function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; depth < 20 && typeof current.$ref === "string"; depth++) {
    const ref = current.$ref as string;
    if (!ref.startsWith("#/")) break;
    let target: unknown = root;
    for (const part of ref.slice(2).split("/")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      target = isObject(target) ? target[key] : undefined;
    }
    if (!isObject(target)) break;
    const siblings = Object.fromEntries(Object.entries(current).filter(([key]) => key !== "$ref"));
    current = { ...target, ...siblings };
  }
  return current;
}

export function properties(schema: JsonSchema): Record<string, JsonSchema> {
  const props = schema.properties;
  if (!isObject(props)) return {};
  const out: Record<string, JsonSchema> = {};
  for (const [name, value] of Object.entries(props)) {
    if (isObject(value)) out[name] = deref(value, schema);
  }
  return out;
}

/** The title a field shows, falling back to its name. */
export function fieldTitle(schema: JsonSchema, name: string): string {
  const title = properties(schema)[name]?.title;
  return typeof title === "string" && title ? title : name;
}

export function optionSource(field: JsonSchema): OptionSource | null {
  const raw = field[OPTIONS_KEYWORD];
  if (typeof raw === "string") return { source: raw, params: {} };
  if (!isObject(raw) || typeof raw.source !== "string") return null;
  const params: Record<string, string> = {};
  if (isObject(raw.params)) {
    for (const [param, field] of Object.entries(raw.params)) {
      if (typeof field === "string") params[param] = field;
    }
  }
  return { source: raw.source, params };
}

export const OPTIONS_WIDGET = "foyerOptions";

/** The entry's ui_schema, with the options combobox on every field naming an option source
 * (unless the ui_schema already picks a widget for it). */
export function uiSchemaWithOptions(
  schema: JsonSchema,
  uiSchema: Record<string, unknown> | null,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...(uiSchema ?? {}) };
  // rjsf refuses to render a form whose ui:order leaves a field out; keep the rest in order.
  const order = result["ui:order"];
  if (Array.isArray(order) && !order.includes("*")) result["ui:order"] = [...order, "*"];
  for (const [name, field] of Object.entries(properties(schema))) {
    if (!optionSource(field)) continue;
    const current = isObject(result[name]) ? (result[name] as Record<string, unknown>) : {};
    if (!current["ui:widget"]) result[name] = { ...current, "ui:widget": OPTIONS_WIDGET };
  }
  return result;
}

/** Default values the form starts with: the schema's defaults, and dry run on where the
 * entry has one, whatever its default says. */
export function initialFormData(schema: JsonSchema): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(properties(schema))) {
    if (field.default !== undefined) data[name] = field.default;
  }
  if ("dry_run" in properties(schema)) data.dry_run = true;
  return data;
}
