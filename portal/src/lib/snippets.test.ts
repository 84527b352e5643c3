import { describe, expect, it } from "vitest";
import { curlSnippet } from "./snippets";

describe("curlSnippet", () => {
  it("posts the form's request with the key from the environment", () => {
    const snippet = curlSnippet("http://foyer:8000", "delete-dynamodb-table", "stage", {
      reason: "it's unused",
    });
    expect(snippet.label).toBe("curl");
    expect(snippet.code).toContain("curl -X POST 'http://foyer:8000/api/runs'");
    expect(snippet.code).toContain('-H "Authorization: Bearer $FOYER_API_KEY"');
    // The single quote is closed, escaped and reopened for the shell.
    expect(snippet.code).toContain(`"reason": "it'\\''s unused"`);
    const body = snippet.code.slice(snippet.code.indexOf("-d '") + 4, -1).replace(/'\\''/g, "'");
    expect(JSON.parse(body)).toEqual({
      workflow: "delete-dynamodb-table",
      environment: "stage",
      inputs: { reason: "it's unused" },
    });
  });
});
