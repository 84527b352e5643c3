import { describe, expect, it } from "vitest";
import { SCHEMA } from "../test/fixtures";
import { formLink, prefillFromQuery } from "./deeplink";

const schema = {
  ...SCHEMA,
  properties: {
    ...SCHEMA.properties,
    size: { type: "integer" },
    tags: { type: "array", items: { type: "string" } },
    labels: { type: "object" },
  },
};

describe("prefillFromQuery", () => {
  it("reads url-encoded JSON inputs", () => {
    const query = new URLSearchParams({ inputs: JSON.stringify({ table_name: "orders", dry_run: false }) });
    expect(prefillFromQuery(schema, query)).toEqual({
      inputs: { table_name: "orders", dry_run: false },
      environment: null,
      problems: [],
    });
  });

  it("reads one parameter per field, typed by the schema", () => {
    const query = new URLSearchParams(
      "table_name=orders&dry_run=false&size=3&tags=a,b&labels=%7B%22k%22%3A1%7D&environment=stage&unknown=x",
    );
    expect(prefillFromQuery(schema, query)).toEqual({
      inputs: { table_name: "orders", dry_run: false, size: 3, tags: ["a", "b"], labels: { k: 1 } },
      environment: "stage",
      problems: [],
    });
  });

  it("follows $refs to learn a field's type", () => {
    expect(prefillFromQuery(schema, new URLSearchParams("dry_run=yes")).inputs).toEqual({ dry_run: true });
  });

  it("keeps values it cannot convert, for validation to flag", () => {
    expect(prefillFromQuery(schema, new URLSearchParams("size=big&dry_run=maybe")).inputs).toEqual({
      size: "big",
      dry_run: "maybe",
    });
  });

  it("reports inputs that are not a JSON object", () => {
    expect(prefillFromQuery(schema, new URLSearchParams("inputs={nope")).problems).toEqual([
      "The link's `inputs` is not valid JSON",
    ]);
    expect(prefillFromQuery(schema, new URLSearchParams("inputs=[1]")).problems).toEqual([
      "The link's `inputs` must be a JSON object",
    ]);
  });

  it("round-trips through formLink", () => {
    const inputs = { table_name: "a&b=c", dry_run: true };
    const link = new URL(formLink("http://foyer", "delete-dynamodb-table", inputs, "stage"));
    expect(link.pathname).toBe("/workflows/delete-dynamodb-table");
    expect(prefillFromQuery(schema, link.searchParams)).toEqual({ inputs, environment: "stage", problems: [] });
  });
});
