/** @vitest-environment jsdom */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./Guide";

describe("renderMarkdown", () => {
  it("renders markdown", () => {
    expect(renderMarkdown("## Dry run first\n\n**Dry run** is on.")).toContain("<h2>Dry run first</h2>");
  });

  it("removes scripts, handlers and javascript: links", () => {
    const html = renderMarkdown(
      '<script>alert(1)</script><img src=x onerror="alert(2)"><iframe src="http://evil"></iframe>\n\n' +
        "[click](javascript:alert(3))",
    );
    expect(html).toContain("click");
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe/i);
  });
});
