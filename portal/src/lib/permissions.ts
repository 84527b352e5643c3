/** What the signed-in user may do with a run, for display. The gateway and the owning
 * team decide for real; this only explains up front what they would answer. */

import type { CatalogItem, Me, Run } from "../api/types";
import { FINAL_STATUSES } from "../api/types";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Why `me` cannot decide this run, or null when they can. */
export function decisionBlocker(
  run: Run,
  entry: (CatalogItem & { approve_groups?: string[] }) | null,
  me: Me,
): string | null {
  if (run.status !== "awaiting_approval") return `This run is ${run.status.replace(/_/g, " ")}`;
  if (entry === null) return "This run's workflow is no longer in the catalog";
  const groups = entry.approve_groups?.length ? entry.approve_groups.join(", ") : null;
  if (!entry.can_approve) {
    return groups
      ? `Only members of ${groups} can approve this run; you are not in an approver group`
      : "You are not in an approver group of this workflow";
  }
  if (same(run.requester, me.subject) && !entry.approval.allow_self_approval) {
    return "You requested this run, and this workflow does not allow approving your own request";
  }
  if (run.approvals.some((approval) => same(approval.approver, me.subject))) {
    return "You have already decided on this run";
  }
  return null;
}

/** Whether `me` may cancel: the requester or an approver, while the run is live and has
 * not begun an irreversible step. */
export function canCancel(run: Run, entry: CatalogItem | null, me: Me): boolean {
  if (FINAL_STATUSES.has(run.status) || run.irreversible) return false;
  return same(run.requester, me.subject) || Boolean(entry?.can_approve);
}
