/** Every call the portal makes to the gateway. The session cookie authenticates;
 * writes carry the CSRF header the gateway requires of cookie-authenticated writes. */

import type {
  CatalogEntry,
  CatalogItem,
  FieldError,
  Me,
  OptionsPage,
  Page,
  Run,
  RunSummary,
  Snippet,
} from "./types";

export const CSRF_HEADER = "X-Foyer-CSRF";

export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];

  constructor(status: number, errors: FieldError[]) {
    super(errors[0]?.message || `The gateway answered ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }
}

let unauthenticated: (() => void) | null = null;

/** Called when a request finds the session gone (expired, signed out elsewhere, key revoked). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticated = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "X-Foyer-Client": "portal",
    ...options.headers,
  };
  if (method !== "GET" && method !== "HEAD") headers[CSRF_HEADER] = "1";
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, [{ field: "", message: "The gateway did not answer; check your connection" }]);
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const errors =
      data && typeof data === "object" && Array.isArray((data as { errors?: unknown }).errors)
        ? ((data as { errors: FieldError[] }).errors)
        : [{ field: "", message: `The gateway answered ${response.status} ${response.statusText}` }];
    if (response.status === 401 && path !== "/api/session") unauthenticated?.();
    throw new ApiError(response.status, errors);
  }
  return data as T;
}

const get = <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, { signal });

export interface RunFilters {
  workflow?: string;
  requester?: string;
  status?: string;
  environment?: string;
  limit?: number;
  cursor?: string;
}

export const api = {
  me: () => get<Me>("/api/me"),
  signIn: (apiKey: string) => request<Me>("POST", "/api/session", { body: { api_key: apiKey } }),
  signOut: () => request<void>("DELETE", "/api/session"),
  catalog: () => get<{ items: CatalogItem[] }>("/api/catalog"),
  entry: (id: string) => get<CatalogEntry>(`/api/catalog/${encodeURIComponent(id)}`),
  /** Snippets that start this run: `inputs` and `environment` are what the form holds. */
  snippets: (id: string, inputs: Record<string, unknown>, environment: string) =>
    get<{ snippets: Snippet[] }>(
      withQuery(`/api/catalog/${encodeURIComponent(id)}/snippets`, {
        inputs: JSON.stringify(inputs),
        environment,
      }),
    ),
  submit: (
    body: { workflow: string; inputs: Record<string, unknown>; environment: string },
    idempotencyKey: string,
  ) => request<Run>("POST", "/api/runs", { body, headers: { "Idempotency-Key": idempotencyKey } }),
  run: (id: string) => get<Run>(`/api/runs/${encodeURIComponent(id)}`),
  runs: (filters: RunFilters) => get<Page<RunSummary>>(withQuery("/api/runs", { ...filters })),
  approve: (id: string, comment: string) =>
    request<Run>("POST", `/api/runs/${encodeURIComponent(id)}/approve`, { body: { comment } }),
  reject: (id: string, comment: string) =>
    request<Run>("POST", `/api/runs/${encodeURIComponent(id)}/reject`, { body: { comment } }),
  cancel: (id: string, reason: string) =>
    request<Run>("POST", `/api/runs/${encodeURIComponent(id)}/cancel`, { body: { reason } }),
  approvals: () => get<Page<Run>>("/api/approvals"),
  approvalsCount: () => get<{ count: number }>("/api/approvals/count"),
  options: (
    source: string,
    query: Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ) => get<OptionsPage>(withQuery(`/api/options/${encodeURIComponent(source)}`, query), signal),
};

/** A random idempotency key; works outside secure contexts, where randomUUID does not exist. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "portal-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
