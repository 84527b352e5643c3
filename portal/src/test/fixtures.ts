import type { CatalogEntry, CatalogItem, Me, Run } from "../api/types";

export function item(overrides: Partial<CatalogItem> = {}): CatalogItem {
  return {
    id: "delete-dynamodb-table",
    title: "Delete a DynamoDB table",
    description: "Deletes a table after a dry-run plan and an approval from cloud-ops.",
    owners: ["cloud-ops"],
    tags: ["aws", "dynamodb", "destructive"],
    environments: ["prod", "stage"],
    default_environment: "prod",
    approval: { required: true, min_approvers: 1, allow_self_approval: false, timeout_seconds: 86400 },
    can_run: true,
    can_approve: false,
    ...overrides,
  };
}

export const SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["aws_account", "region", "table_name"],
  additionalProperties: false,
  properties: {
    aws_account: { $ref: "#/$defs/aws_account_name" },
    region: { $ref: "#/$defs/aws_region" },
    table_name: {
      type: "string",
      title: "Table name",
      description: "Name of the DynamoDB table to delete.",
      pattern: "^[A-Za-z0-9_.-]{3,255}$",
    },
    dry_run: { $ref: "#/$defs/dry_run" },
    reason: { type: "string", title: "Reason", minLength: 10 },
  },
  $defs: {
    aws_account_name: {
      type: "string",
      title: "AWS account",
      enum: ["sandbox", "payments-prod", "data-prod"],
    },
    aws_region: {
      type: "string",
      title: "Region",
      enum: ["us-east-1", "eu-west-1"],
      default: "us-east-1",
    },
    dry_run: { type: "boolean", title: "Dry run", default: true },
  },
};

export function entry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    ...item(),
    workflow_type: "DeleteDynamoDBTable",
    run_groups: ["engineering"],
    approve_groups: ["cloud-ops"],
    schema: SCHEMA,
    ui_schema: { "ui:order": ["aws_account", "region", "table_name", "dry_run", "reason"] },
    guide: "## Dry run first",
    examples: [
      {
        name: "Dry run in stage",
        description: "",
        environment: "stage",
        inputs: { aws_account: "sandbox", region: "us-east-1", table_name: "orders-archive" },
      },
    ],
    ...overrides,
  };
}

export const ADA: Me = { subject: "ada@example.com", name: "Ada Lovelace", groups: ["engineering"] };
export const GRACE: Me = {
  subject: "grace@example.com",
  name: "Grace Hopper",
  groups: ["engineering", "cloud-ops"],
};

export function run(overrides: Partial<Run> = {}): Run {
  return {
    id: "run-1",
    workflow: "delete-dynamodb-table",
    title: "Delete a DynamoDB table",
    environment: "prod",
    status: "awaiting_approval",
    message: "Waiting for approval",
    requester: "ada@example.com",
    requester_name: "Ada Lovelace",
    client: "portal",
    inputs: { table_name: "orders", dry_run: false },
    created_at: "2026-11-21T10:00:00Z",
    closed_at: null,
    approvals: [],
    plan: { actions: ["Delete table orders and its 3 items"], item_count: 3 },
    result: null,
    error: null,
    cancelled_by: null,
    links: { self: "/api/runs/run-1", temporal_ui: "http://ui/r", team_temporal_ui: "http://ui/t" },
    ...overrides,
  };
}

/** A fetch that answers from a table of `METHOD path` → [status, body], recording calls. */
export function fakeFetch(routes: Record<string, [number, unknown]>) {
  const calls: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? "GET";
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ method, url, headers, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const path = url.split("?")[0];
    const route = routes[`${method} ${url}`] ?? routes[`${method} ${path}`];
    if (!route) return new Response(JSON.stringify({ errors: [{ field: "", message: "Not Found" }] }), { status: 404 });
    const [status, body] = route;
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { fetch, calls };
}
