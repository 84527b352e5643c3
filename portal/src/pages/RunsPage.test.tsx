/** @vitest-environment jsdom */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch, item } from "../test/fixtures";
import RunsPage from "./RunsPage";

afterEach(() => vi.unstubAllGlobals());

function summary(id: string) {
  return {
    id,
    workflow: "delete-dynamodb-table",
    title: "Delete a DynamoDB table",
    environment: "prod",
    status: "succeeded",
    requester: "ada@example.com",
    created_at: "2026-11-21T10:00:00Z",
    closed_at: null,
  };
}

function Where() {
  return <p data-testid="where">{useLocation().search}</p>;
}

function setUp() {
  const { fetch, calls } = fakeFetch({
    "GET /api/catalog": [200, { items: [item()] }],
    "GET /api/runs": [200, { items: [summary("run-1")], next_cursor: "c2" }],
  });
  vi.stubGlobal("fetch", fetch);
  render(
    <MemoryRouter initialEntries={["/runs"]}>
      <RunsPage />
      <Where />
    </MemoryRouter>,
  );
  const runQueries = () =>
    calls.filter((call) => call.url.startsWith("/api/runs")).map((call) => new URL(call.url, "http://x").searchParams);
  return { runQueries };
}

describe("RunsPage", () => {
  it("lists my runs first, then everyone's, filtered, and says so in the URL", async () => {
    const { runQueries } = setUp();
    expect(await screen.findByRole("link", { name: "Delete a DynamoDB table" })).toHaveAttribute("href", "/runs/run-1");
    expect(runQueries()[0]?.get("requester")).toBe("me");
    expect(runQueries()[0]?.get("limit")).toBe("25");

    await userEvent.click(screen.getByRole("radio", { name: "All runs" }));
    expect(screen.getByRole("radio", { name: "All runs" })).toBeChecked();
    await userEvent.selectOptions(screen.getByLabelText("Status"), "failed");
    await userEvent.selectOptions(screen.getByLabelText("Environment"), "stage");

    await waitFor(() => {
      const last = runQueries().at(-1);
      expect(last?.get("requester")).toBeNull();
      expect(last?.get("status")).toBe("failed");
      expect(last?.get("environment")).toBe("stage");
    });
    expect(screen.getByTestId("where")).toHaveTextContent("who=all&status=failed&environment=stage");
  });

  it("pages forward with the cursor and back again", async () => {
    const { runQueries } = setUp();
    await screen.findByRole("link", { name: "Delete a DynamoDB table" });
    expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();

    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(runQueries().at(-1)?.get("cursor")).toBe("c2"));
    expect(screen.getByRole("button", { name: "Previous page" })).toBeEnabled();

    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    await waitFor(() => expect(runQueries().at(-1)?.get("cursor")).toBeNull());
    expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();
  });
});
