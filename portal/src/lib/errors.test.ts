import { describe, expect, it } from "vitest";
import { countErrors, toFormErrors } from "./errors";

describe("toFormErrors", () => {
  it("puts each gateway error on its field", () => {
    const errors = toFormErrors([
      { field: "inputs.table_name", message: "must match pattern ^[a-z]+$" },
      { field: "inputs.table_name", message: "is too short" },
      { field: "inputs.target.size", message: "must be at least 1" },
      { field: "inputs.tags.0", message: "must be a string" },
      { field: "environment", message: "Unknown environment `qa`" },
      { field: "inputs", message: "must not have extra property `x`" },
      { field: "", message: "Temporal is unreachable" },
      { field: "Idempotency-Key", message: "was reused" },
    ]);
    expect(errors.fields).toEqual({
      table_name: { __errors: ["must match pattern ^[a-z]+$", "is too short"] },
      target: { size: { __errors: ["must be at least 1"] } },
      tags: { "0": { __errors: ["must be a string"] } },
    });
    expect(errors.environment).toEqual(["Unknown environment `qa`"]);
    expect(errors.general).toEqual([
      "must not have extra property `x`",
      "Temporal is unreachable",
      "Idempotency-Key: was reused",
    ]);
    expect(countErrors(errors.fields)).toBe(4);
  });
});
