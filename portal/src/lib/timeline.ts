/** A run's life as steps: requested, planned, awaiting approval, decided, running, finished. */

import type { Run } from "../api/types";
import { FINAL_STATUSES } from "../api/types";

export type StepState = "done" | "current" | "upcoming" | "skipped" | "failed";

export interface Step {
  key: string;
  label: string;
  state: StepState;
  detail?: string;
  at?: string | null;
}

const ORDER = ["pending", "awaiting_approval", "running", "finished"] as const;

function reached(run: Run): number {
  if (FINAL_STATUSES.has(run.status)) return 3;
  return Math.max(0, ORDER.indexOf(run.status as (typeof ORDER)[number]));
}

function who(name: string, subject: string): string {
  return name || subject;
}

export function buildTimeline(run: Run, approvalRequired: boolean): Step[] {
  const stage = reached(run);
  const final = FINAL_STATUSES.has(run.status);
  const decided = run.approvals.length > 0;
  const dryRun = run.inputs.dry_run === true;
  const approvalNeeded = approvalRequired && !dryRun;
  const steps: Step[] = [];

  steps.push({
    key: "requested",
    label: "Requested",
    state: "done",
    detail: `by ${who(run.requester_name, run.requester)}${run.client ? ` via ${run.client}` : ""}`,
    at: run.created_at,
  });

  const planned = run.plan !== null && run.plan !== undefined;
  steps.push({
    key: "planned",
    label: "Planned",
    state: planned || stage > 0 ? "done" : final ? "skipped" : "current",
    detail: planned ? "the plan is below" : stage === 0 && !final ? run.message || "planning" : undefined,
  });

  let awaiting: StepState;
  if (run.status === "awaiting_approval") awaiting = "current";
  else if (decided) awaiting = "done";
  else if (!approvalNeeded || final || stage >= 2) awaiting = "skipped";
  else awaiting = "upcoming";
  steps.push({
    key: "awaiting_approval",
    label: "Awaiting approval",
    state: awaiting,
    detail: !approvalNeeded ? (dryRun ? "not needed for a dry run" : "not needed") : undefined,
  });

  const rejection = run.approvals.find((approval) => !approval.approve);
  if (decided) {
    const names = run.approvals.map((approval) => who(approval.name, approval.approver));
    const comments = run.approvals
      .filter((approval) => approval.comment)
      .map((approval) => `“${approval.comment}”`);
    steps.push({
      key: "decided",
      label: rejection ? `Rejected by ${names.join(", ")}` : `Approved by ${names.join(", ")}`,
      state: rejection ? "failed" : "done",
      detail: comments.join(" ") || undefined,
      at: run.approvals[run.approvals.length - 1]?.at,
    });
  } else {
    steps.push({
      key: "decided",
      label: "Decided",
      state: awaiting === "skipped" ? "skipped" : "upcoming",
    });
  }

  let running: StepState = "upcoming";
  if (run.status === "running") running = "current";
  else if (run.status === "succeeded" || run.status === "failed") running = "done";
  else if (final) running = "skipped";
  steps.push({
    key: "running",
    label: "Running",
    state: running,
    detail: run.status === "running" ? run.message || undefined : undefined,
  });

  const finishedLabels: Record<string, string> = {
    succeeded: "Succeeded",
    failed: "Failed",
    rejected: "Rejected",
    cancelled: run.cancelled_by ? `Cancelled by ${run.cancelled_by}` : "Cancelled",
  };
  steps.push({
    key: "finished",
    label: final ? (finishedLabels[run.status] ?? run.status) : "Finished",
    state: !final ? "upcoming" : run.status === "succeeded" ? "done" : "failed",
    detail: final && run.error ? run.error.message : undefined,
    at: run.closed_at,
  });
  return steps;
}
