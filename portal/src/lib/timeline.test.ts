import { describe, expect, it } from "vitest";
import { run } from "../test/fixtures";
import { buildTimeline } from "./timeline";

const states = (steps: ReturnType<typeof buildTimeline>) =>
  Object.fromEntries(steps.map((step) => [step.key, step.state]));

const grace = { approver: "grace@example.com", name: "Grace Hopper", approve: true, comment: "checked", at: "2026-11-21T10:05:00Z" };

describe("buildTimeline", () => {
  it("shows a run waiting for approval", () => {
    expect(states(buildTimeline(run(), true))).toEqual({
      requested: "done",
      planned: "done",
      awaiting_approval: "current",
      decided: "upcoming",
      running: "upcoming",
      finished: "upcoming",
    });
  });

  it("shows a pending run planning", () => {
    const steps = buildTimeline(run({ status: "pending", plan: null, message: "Planning" }), true);
    expect(states(steps).planned).toBe("current");
    expect(steps[1]?.detail).toBe("Planning");
  });

  it("names who approved, with their comment", () => {
    const steps = buildTimeline(run({ status: "running", approvals: [grace] }), true);
    expect(states(steps)).toMatchObject({ awaiting_approval: "done", decided: "done", running: "current" });
    expect(steps[3]).toMatchObject({ label: "Approved by Grace Hopper", detail: "“checked”" });
  });

  it("ends a succeeded run", () => {
    const steps = buildTimeline(run({ status: "succeeded", approvals: [grace], closed_at: "x" }), true);
    expect(states(steps)).toMatchObject({ running: "done", finished: "done" });
    expect(steps[5]?.label).toBe("Succeeded");
  });

  it("marks a rejection as failed and skips running", () => {
    const steps = buildTimeline(
      run({
        status: "rejected",
        approvals: [{ ...grace, approve: false, comment: "still used" }],
        error: { type: "Rejected", message: "Rejected by Grace Hopper: still used" },
      }),
      true,
    );
    expect(states(steps)).toMatchObject({ decided: "failed", running: "skipped", finished: "failed" });
    expect(steps[3]?.label).toBe("Rejected by Grace Hopper");
    expect(steps[5]?.detail).toBe("Rejected by Grace Hopper: still used");
  });

  it("skips approval for a dry run", () => {
    const steps = buildTimeline(run({ status: "succeeded", inputs: { dry_run: true } }), true);
    expect(states(steps)).toMatchObject({ awaiting_approval: "skipped", decided: "skipped", finished: "done" });
    expect(steps[2]?.detail).toBe("not needed for a dry run");
  });

  it("says who cancelled", () => {
    const steps = buildTimeline(run({ status: "cancelled", cancelled_by: "ada@example.com" }), true);
    expect(steps[5]).toMatchObject({ label: "Cancelled by ada@example.com", state: "failed" });
    expect(states(steps).running).toBe("skipped");
  });
});
