/** The rjsf widget for fields whose schema names an option source (`x-foyer-options`). */

import { ariaDescribedByIds } from "@rjsf/utils";
import type { WidgetProps } from "@rjsf/utils";
import { useCallback } from "react";
import { api } from "../api/client";
import { optionSource } from "../lib/schema";
import { Combobox } from "./Combobox";

export const OPTIONS_LIMIT = 50;

export interface OptionsFormContext {
  formData?: Record<string, unknown>;
}

/** The query for one lookup: the typed text, the limit and each mapped parameter. */
export function optionQuery(
  params: Record<string, string>,
  formData: Record<string, unknown> | undefined,
  q: string,
): Record<string, string | number | undefined> {
  const query: Record<string, string | number | undefined> = { q, limit: OPTIONS_LIMIT };
  for (const [param, field] of Object.entries(params)) {
    const value = formData?.[field];
    if (value !== undefined && value !== null && value !== "") query[param] = String(value);
  }
  return query;
}

export function OptionsWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, required, schema, rawErrors } =
    props;
  const context = props.registry.formContext as OptionsFormContext | undefined;
  const source = optionSource(schema as Record<string, unknown>);
  // The lookup depends on the source and the values of the mapped fields only.
  const base = JSON.stringify(source ? optionQuery(source.params, context?.formData, "") : null);
  const name = source?.source;
  const load = useCallback(
    (q: string, signal: AbortSignal) => {
      if (!name) return Promise.reject(new Error("this field names no option source"));
      const query = { ...(JSON.parse(base) as Record<string, string | number>), q };
      return api.options(name, query, signal);
    },
    [name, base],
  );
  return (
    <Combobox
      id={id}
      value={typeof value === "string" ? value : value == null ? "" : String(value)}
      onChange={(text) => onChange(text === "" ? undefined : text)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
      load={load}
      disabled={disabled || readonly}
      required={required}
      placeholder={props.placeholder}
      describedBy={ariaDescribedByIds(id)}
      invalid={Boolean(rawErrors?.length)}
    />
  );
}
