import { describe, expect, it } from "vitest";
import { item } from "../test/fixtures";
import { filterCatalog, groupByTeam } from "./catalog";

const entries = [
  item(),
  item({ id: "resize-rds", title: "Resize an RDS instance", description: "Change the class", tags: ["aws", "rds"], owners: ["data"] }),
  item({ id: "rotate-key", title: "Rotate a KMS key", description: "New key material", tags: ["security"], owners: ["security", "cloud-ops"] }),
];

describe("filterCatalog", () => {
  it("returns everything for an empty query", () => {
    expect(filterCatalog(entries, "  ")).toHaveLength(3);
  });

  it.each([
    ["title", "dynamodb table", ["delete-dynamodb-table"]],
    ["description", "class", ["resize-rds"]],
    ["tag", "SECURITY", ["rotate-key"]],
    ["team", "data", ["resize-rds"]],
    ["any owner", "cloud-ops", ["delete-dynamodb-table", "rotate-key"]],
    ["id", "rotate-key", ["rotate-key"]],
  ])("matches on %s", (_what, query, ids) => {
    expect(filterCatalog(entries, query).map((e) => e.id)).toEqual(ids);
  });

  it("needs every word to match", () => {
    expect(filterCatalog(entries, "aws rds").map((e) => e.id)).toEqual(["resize-rds"]);
    expect(filterCatalog(entries, "aws nothing")).toEqual([]);
  });
});

describe("groupByTeam", () => {
  it("groups by first owner, teams and titles sorted", () => {
    const groups = groupByTeam([...entries, item({ id: "a", title: "Archive a table" })]);
    expect(groups.map((g) => g.team)).toEqual(["cloud-ops", "data", "security"]);
    expect(groups[0]?.items.map((e) => e.title)).toEqual(["Archive a table", "Delete a DynamoDB table"]);
  });
});
