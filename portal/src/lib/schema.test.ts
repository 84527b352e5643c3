import { describe, expect, it } from "vitest";
import { SCHEMA } from "../test/fixtures";
import { deref, fieldTitle, initialFormData, optionSource, uiSchemaWithOptions } from "./schema";

describe("schema helpers", () => {
  it("follows local $defs references", () => {
    expect(deref({ $ref: "#/$defs/aws_region", description: "here" }, SCHEMA)).toMatchObject({
      title: "Region",
      description: "here",
      default: "us-east-1",
    });
  });

  it("titles fields from the schema, falling back to the name", () => {
    expect(fieldTitle(SCHEMA, "aws_account")).toBe("AWS account");
    expect(fieldTitle(SCHEMA, "nope")).toBe("nope");
  });

  it("starts forms from schema defaults with dry run on", () => {
    const schema = { ...SCHEMA, $defs: { ...SCHEMA.$defs, dry_run: { type: "boolean", default: false } } };
    expect(initialFormData(schema)).toEqual({ region: "us-east-1", dry_run: true });
    expect(initialFormData({ type: "object", properties: { n: { type: "integer" } } })).toEqual({});
  });

  it("reads option sources", () => {
    expect(optionSource({ "x-foyer-options": { source: "dynamodb-tables", params: { region: "region", x: 1 } } })).toEqual({
      source: "dynamodb-tables",
      params: { region: "region" },
    });
    expect(optionSource({ "x-foyer-options": "rds-instances" })).toEqual({ source: "rds-instances", params: {} });
    expect(optionSource({ "x-foyer-options": { params: {} } })).toBeNull();
    expect(optionSource({})).toBeNull();
  });

  it("puts the options widget on fields with a source, unless the ui_schema picks one", () => {
    const schema = {
      type: "object",
      properties: {
        table: { type: "string", "x-foyer-options": { source: "dynamodb-tables" } },
        other: { type: "string", "x-foyer-options": "things" },
        plain: { type: "string" },
      },
    };
    const ui = uiSchemaWithOptions(schema, { table: { "ui:placeholder": "orders" }, other: { "ui:widget": "textarea" } });
    expect(ui).toEqual({
      table: { "ui:placeholder": "orders", "ui:widget": "foyerOptions" },
      other: { "ui:widget": "textarea" },
    });
  });

  it("keeps fields a ui:order leaves out, after the ordered ones", () => {
    expect(uiSchemaWithOptions(SCHEMA, { "ui:order": ["reason"] })["ui:order"]).toEqual(["reason", "*"]);
    expect(uiSchemaWithOptions(SCHEMA, { "ui:order": ["*", "reason"] })["ui:order"]).toEqual(["*", "reason"]);
  });
});
