import { describe, expect, it } from "vitest";
import { ADA, entry, GRACE, run } from "../test/fixtures";
import { canCancel, decisionBlocker } from "./permissions";

const approverEntry = entry({ can_approve: true });

describe("decisionBlocker", () => {
  it("lets an approver who did not request the run decide", () => {
    expect(decisionBlocker(run(), approverEntry, GRACE)).toBeNull();
  });

  it("names the approver groups to a non-approver", () => {
    expect(decisionBlocker(run(), entry(), ADA)).toBe(
      "Only members of cloud-ops can approve this run; you are not in an approver group",
    );
  });

  it("refuses self-approval unless the entry allows it, comparing subjects case-insensitively", () => {
    const own = run({ requester: "Grace@Example.com" });
    expect(decisionBlocker(own, approverEntry, GRACE)).toMatch(/You requested this run/);
    const allowing = entry({
      can_approve: true,
      approval: { ...approverEntry.approval, allow_self_approval: true },
    });
    expect(decisionBlocker(own, allowing, GRACE)).toBeNull();
  });

  it("says when the run is not waiting or the approver already decided", () => {
    expect(decisionBlocker(run({ status: "running" }), approverEntry, GRACE)).toBe("This run is running");
    const decided = run({
      approvals: [{ approver: "grace@example.com", name: "Grace", approve: true, comment: "", at: null }],
    });
    expect(decisionBlocker(decided, approverEntry, GRACE)).toBe("You have already decided on this run");
  });
});

describe("canCancel", () => {
  it("allows the requester and approvers while the run is live", () => {
    expect(canCancel(run(), entry(), ADA)).toBe(true);
    expect(canCancel(run(), approverEntry, GRACE)).toBe(true);
    expect(canCancel(run(), entry(), GRACE)).toBe(false);
    expect(canCancel(run({ status: "succeeded" }), entry(), ADA)).toBe(false);
    expect(canCancel(run({ status: "running", irreversible: "Deleting the table" }), entry(), ADA)).toBe(false);
  });
});
