/** @vitest-environment jsdom */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch, item } from "../test/fixtures";
import { CatalogPage } from "./CatalogPage";

afterEach(() => vi.unstubAllGlobals());

const ITEMS = [
  item(),
  item({ id: "resize-rds", title: "Resize an RDS instance", owners: ["data"], tags: ["rds"], can_run: false }),
  item({ id: "rotate-key", title: "Rotate a KMS key", owners: ["security"], tags: ["kms"], can_approve: true }),
];

function Where() {
  return <p data-testid="where">{useLocation().search}</p>;
}

function renderCatalog(search = "") {
  vi.stubGlobal("fetch", fakeFetch({ "GET /api/catalog": [200, { items: ITEMS }] }).fetch);
  return render(
    <MemoryRouter initialEntries={[`/${search}`]}>
      <CatalogPage />
      <Where />
    </MemoryRouter>,
  );
}

describe("CatalogPage", () => {
  it("groups entries by team, each a link, marking what the user may not run", async () => {
    renderCatalog();
    const data = await screen.findByRole("region", { name: "data" });
    const link = within(data).getByRole("link", { name: "Resize an RDS instance" });
    expect(link).toHaveAttribute("href", "/workflows/resize-rds");
    expect(link).toHaveAccessibleDescription(expect.stringContaining("You cannot run this"));
    expect(screen.getByRole("link", { name: "Rotate a KMS key" })).toHaveAccessibleDescription(
      expect.stringContaining("You approve"),
    );
    expect(screen.getByRole("link", { name: "Delete a DynamoDB table" })).not.toHaveAccessibleDescription(
      expect.stringContaining("cannot run"),
    );
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual([
      "cloud-ops",
      "data",
      "security",
    ]);
  });

  it("filters as you type, keeping every keystroke, and puts the search in the URL", async () => {
    renderCatalog();
    await screen.findByRole("link", { name: "Rotate a KMS key" });
    await userEvent.type(screen.getByLabelText("Search workflows"), "kms key", { delay: null });

    expect(screen.getByLabelText("Search workflows")).toHaveValue("kms key");
    expect(screen.getAllByRole("link").map((link) => link.textContent)).toEqual(["Rotate a KMS key"]);
    expect(screen.getByRole("status")).toHaveTextContent("1 of 3 workflows match");
    expect(screen.getByTestId("where")).toHaveTextContent("?q=kms+key");
  });

  it("starts from the search in the URL and says when nothing matches", async () => {
    renderCatalog("?q=nothing-like-this");
    expect(await screen.findByText(/No workflow matches/)).toHaveTextContent("nothing-like-this");
  });
});
