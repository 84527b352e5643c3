/** The gateway's field errors, placed where the form shows them. */

import type { FieldError } from "../api/types";

export interface ErrorTree {
  __errors?: string[];
  [field: string]: ErrorTree | string[] | undefined;
}

export interface FormErrors {
  /** rjsf's `extraErrors`: errors keyed by field path. */
  fields: ErrorTree;
  environment: string[];
  /** Errors that belong to no field of the form. */
  general: string[];
}

function place(tree: ErrorTree, path: string[], message: string): void {
  let node = tree;
  for (const part of path) {
    const next = node[part];
    if (next === undefined || Array.isArray(next)) {
      const child: ErrorTree = {};
      node[part] = child;
      node = child;
    } else {
      node = next;
    }
  }
  node.__errors = [...(node.__errors ?? []), message];
}

/** Map `{"field": "inputs.table_name", ...}` errors onto the form's fields. */
export function toFormErrors(errors: FieldError[]): FormErrors {
  const result: FormErrors = { fields: {}, environment: [], general: [] };
  for (const { field, message } of errors) {
    if (field === "environment") {
      result.environment.push(message);
    } else if (field === "inputs") {
      result.general.push(message);
    } else if (field.startsWith("inputs.")) {
      place(result.fields, field.slice("inputs.".length).split("."), message);
    } else {
      result.general.push(field ? `${field}: ${message}` : message);
    }
  }
  return result;
}

export function countErrors(tree: ErrorTree): number {
  let count = tree.__errors?.length ?? 0;
  for (const [key, value] of Object.entries(tree)) {
    if (key !== "__errors" && value && !Array.isArray(value)) count += countErrors(value);
  }
  return count;
}
