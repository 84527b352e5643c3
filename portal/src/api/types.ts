/** The gateway's JSON, as the portal reads it. */

export interface Me {
  subject: string;
  name: string;
  groups: string[];
}

export interface ApprovalPolicy {
  required: boolean;
  min_approvers: number;
  allow_self_approval: boolean;
  timeout_seconds: number;
}

export interface CatalogItem {
  id: string;
  title: string;
  description: string;
  owners: string[];
  tags: string[];
  environments: string[];
  default_environment: string;
  approval: ApprovalPolicy;
  can_run: boolean;
  can_approve: boolean;
}

export interface Example {
  name: string;
  description: string;
  environment: string | null;
  inputs: Record<string, unknown>;
}

export type JsonSchema = Record<string, unknown>;

export interface CatalogEntry extends CatalogItem {
  workflow_type: string;
  run_groups: string[];
  approve_groups: string[];
  schema: JsonSchema;
  ui_schema: Record<string, unknown> | null;
  guide: string;
  examples: Example[];
}

export const RUN_STATUSES = [
  "pending",
  "awaiting_approval",
  "running",
  "succeeded",
  "failed",
  "rejected",
  "cancelled",
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<string> = new Set([
  "succeeded",
  "failed",
  "rejected",
  "cancelled",
]);

export interface Approval {
  approver: string;
  name: string;
  approve: boolean;
  comment: string;
  at: string | null;
}

export interface Run {
  id: string;
  workflow: string;
  title: string;
  environment: string;
  status: RunStatus;
  message: string;
  requester: string;
  requester_name: string;
  client: string;
  inputs: Record<string, unknown>;
  created_at: string | null;
  closed_at: string | null;
  approvals: Approval[];
  plan: unknown;
  result: unknown;
  error: { type: string; message: string } | null;
  cancelled_by: string | null;
  /** The irreversible step the run has begun; from then on it cannot be cancelled. */
  irreversible?: string | null;
  links: { self: string; temporal_ui: string; team_temporal_ui: string };
}

export interface RunSummary {
  id: string;
  workflow: string;
  title: string;
  environment: string;
  status: RunStatus;
  requester: string;
  created_at: string | null;
  closed_at: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface Snippet {
  language: string;
  label: string;
  code: string;
}

export interface OptionItem {
  value: string;
  label?: string;
  description?: string;
  /** Ranges `[start, end)` of the label that matched the query, to highlight. */
  match?: [number, number][];
}

export interface OptionsPage {
  source: string;
  total: number;
  matched: number;
  items: OptionItem[];
}

export interface FieldError {
  field: string;
  message: string;
}
