import { describe, expect, it } from "vitest";
import { OPTIONS_LIMIT, optionQuery } from "./OptionsWidget";

describe("optionQuery", () => {
  it("maps option parameters to the values of other fields", () => {
    expect(optionQuery({ region: "region", account: "aws_account" }, { region: "eu-west-1", aws_account: "" }, "ord")).toEqual({
      q: "ord",
      limit: OPTIONS_LIMIT,
      region: "eu-west-1",
    });
  });

  it("works before the form has data", () => {
    expect(optionQuery({ region: "region" }, undefined, "")).toEqual({ q: "", limit: OPTIONS_LIMIT });
  });
});
