/** @vitest-environment jsdom */
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { entry, fakeFetch } from "../../test/fixtures";
import { Snippets } from "./Snippets";

afterEach(() => vi.unstubAllGlobals());

const INPUTS = { table_name: "orders", dry_run: true };

describe("Snippets", () => {
  it("shows the gateway's snippets for what the form holds", async () => {
    const { fetch, calls } = fakeFetch({
      "GET /api/catalog/delete-dynamodb-table/snippets": [
        200,
        { snippets: [{ language: "shell", label: "foyer CLI", code: "foyer run delete-dynamodb-table" }] },
      ],
    });
    vi.stubGlobal("fetch", fetch);
    render(<Snippets entry={entry()} inputs={INPUTS} environment="stage" />);

    expect(await screen.findByText("foyer run delete-dynamodb-table")).toBeVisible();
    const url = new URL(calls[0]?.url ?? "", "http://x");
    expect(JSON.parse(url.searchParams.get("inputs") ?? "")).toEqual(INPUTS);
    expect(url.searchParams.get("environment")).toBe("stage");
    expect(screen.getByRole("button", { name: "Copy foyer CLI" })).toBeVisible();
    expect(screen.getByText(/\/workflows\/delete-dynamodb-table\?inputs=/)).toBeVisible();
  });

  it("falls back to the equivalent curl where the gateway has no snippets", async () => {
    vi.stubGlobal("fetch", fakeFetch({}).fetch);
    render(<Snippets entry={entry()} inputs={INPUTS} environment="prod" />);

    expect(await screen.findByText(/curl -X POST/)).toHaveTextContent('"table_name": "orders"');
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
