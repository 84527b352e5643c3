/** @vitest-environment jsdom */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CatalogEntry } from "../../api/types";
import { initialFormData } from "../../lib/schema";
import { entry as makeEntry, fakeFetch, SCHEMA } from "../../test/fixtures";
import WorkflowForm from "./WorkflowForm";

afterEach(() => vi.unstubAllGlobals());

function Harness({ entry }: { entry: CatalogEntry }) {
  const [formData, setFormData] = useState<Record<string, unknown>>(() => initialFormData(entry.schema));
  const [environment, setEnvironment] = useState(entry.default_environment);
  return (
    <MemoryRouter initialEntries={["/workflows/x"]}>
      <Routes>
        <Route
          path="/workflows/x"
          element={
            <WorkflowForm
              entry={entry}
              formData={formData}
              onFormDataChange={setFormData}
              environment={environment}
              onEnvironmentChange={setEnvironment}
            />
          }
        />
        <Route path="/runs/:id" element={<p>Run page</p>} />
      </Routes>
    </MemoryRouter>
  );
}

async function fillValid(user: ReturnType<typeof userEvent.setup>) {
  await user.selectOptions(screen.getByLabelText(/AWS account/), "sandbox");
  await user.type(screen.getByLabelText(/Table name/), "orders");
}

describe("WorkflowForm", () => {
  it("labels fields by their schema titles, with the environment and examples", () => {
    render(<Harness entry={makeEntry()} />);
    expect(screen.getByLabelText(/AWS account/)).toBeInstanceOf(HTMLSelectElement);
    expect(screen.getByLabelText(/Region/)).toHaveDisplayValue("us-east-1");
    expect(screen.getByLabelText(/Table name/)).toHaveAccessibleDescription(
      expect.stringContaining("Name of the DynamoDB table to delete."),
    );
    expect(screen.getByLabelText("Dry run")).toBeChecked();
    expect(screen.getByLabelText("Environment")).toHaveValue("prod");
    expect(screen.getByRole("button", { name: "Use example: Dry run in stage" })).toBeVisible();
    expect(screen.getByRole("button", { name: "Submit" })).toBeEnabled();
  });

  it("shows client validation errors on the field and sends nothing", async () => {
    const { fetch, calls } = fakeFetch({});
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<Harness entry={makeEntry()} />);
    await user.selectOptions(screen.getByLabelText(/AWS account/), "sandbox");
    await user.type(screen.getByLabelText(/Table name/), "bad name!");
    await user.click(screen.getByRole("button", { name: "Submit" }));

    await waitFor(() =>
      expect(screen.getByLabelText(/Table name/)).toHaveAccessibleDescription(
        expect.stringContaining('must match pattern "^[A-Za-z0-9_.-]{3,255}$"'),
      ),
    );
    expect(screen.getByRole("alert")).toHaveTextContent("One field needs fixing");
    expect(calls).toEqual([]);

    await user.clear(screen.getByLabelText(/Table name/));
    await user.type(screen.getByLabelText(/Table name/), "orders");
    await waitFor(() =>
      expect(screen.getByLabelText(/Table name/)).not.toHaveAccessibleDescription(
        expect.stringContaining("must match pattern"),
      ),
    );
  });

  it("validates with JSON Schema 2020-12 and ECMA-262 regexes", async () => {
    const schema = {
      ...SCHEMA,
      properties: { ...SCHEMA.properties, code: { type: "string", title: "Code", pattern: "^\\p{Lu}{2}$" } },
    };
    vi.stubGlobal("fetch", fakeFetch({}).fetch);
    const user = userEvent.setup();
    render(<Harness entry={makeEntry({ schema })} />);
    await fillValid(user);
    await user.type(screen.getByLabelText(/Code/), "ab");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await waitFor(() =>
      expect(screen.getByLabelText(/Code/)).toHaveAccessibleDescription(expect.stringContaining("must match pattern")),
    );
  });

  it("puts the gateway's 422 errors on their fields", async () => {
    const { fetch, calls } = fakeFetch({
      "POST /api/runs": [
        422,
        {
          errors: [
            { field: "inputs.table_name", message: "Table `orders` is protected" },
            { field: "environment", message: "Environment `prod` is frozen" },
          ],
        },
      ],
    });
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<Harness entry={makeEntry()} />);
    await fillValid(user);
    await user.click(screen.getByRole("button", { name: "Submit" }));

    await waitFor(() =>
      expect(screen.getByLabelText(/Table name/)).toHaveAccessibleDescription(
        expect.stringContaining("Table `orders` is protected"),
      ),
    );
    expect(screen.getByLabelText("Environment")).toHaveAccessibleDescription("Environment `prod` is frozen");
    expect(calls[0]?.body).toEqual({
      workflow: "delete-dynamodb-table",
      environment: "prod",
      inputs: { aws_account: "sandbox", region: "us-east-1", table_name: "orders", dry_run: true },
    });
    expect(calls[0]?.headers["X-Foyer-CSRF"]).toBe("1");
  });

  it("resubmits the same request with the same idempotency key, a changed one with a new key", async () => {
    const { fetch, calls } = fakeFetch({ "POST /api/runs": [503, { errors: [{ field: "", message: "Temporal is unreachable" }] }] });
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<Harness entry={makeEntry()} />);
    await fillValid(user);
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByText("Temporal is unreachable");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await waitFor(() => expect(calls).toHaveLength(2));
    await user.type(screen.getByLabelText(/Table name/), "-2");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await waitFor(() => expect(calls).toHaveLength(3));

    const keys = calls.map((call) => call.headers["Idempotency-Key"]);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it("fills the form from an example", async () => {
    const user = userEvent.setup();
    render(<Harness entry={makeEntry()} />);
    await user.click(screen.getByRole("button", { name: "Use example: Dry run in stage" }));
    expect(screen.getByLabelText(/Table name/)).toHaveValue("orders-archive");
    expect(screen.getByLabelText(/AWS account/)).toHaveDisplayValue("sandbox");
    expect(screen.getByLabelText("Environment")).toHaveValue("stage");
    expect(screen.getByLabelText("Dry run")).toBeChecked();
  });

  it("goes to the run page once the run is accepted", async () => {
    vi.stubGlobal("fetch", fakeFetch({ "POST /api/runs": [201, { id: "run-42" }] }).fetch);
    const user = userEvent.setup();
    render(<Harness entry={makeEntry()} />);
    await fillValid(user);
    await user.click(screen.getByRole("button", { name: "Submit" }));
    expect(await screen.findByText("Run page")).toBeVisible();
  });

  it("offers dynamic options for fields that name a source, with mapped parameters", async () => {
    const schema = {
      ...SCHEMA,
      properties: {
        ...SCHEMA.properties,
        table_name: {
          ...SCHEMA.properties.table_name,
          "x-foyer-options": { source: "dynamodb-tables", params: { region: "region" } },
        },
      },
    };
    const { fetch, calls } = fakeFetch({
      "GET /api/options/dynamodb-tables": [
        200,
        { source: "dynamodb-tables", total: 480, matched: 17, items: [{ value: "orders", label: "orders" }] },
      ],
    });
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<Harness entry={makeEntry({ schema })} />);

    const combobox = screen.getByRole("combobox", { name: /Table name/ });
    await user.click(combobox);
    await waitFor(() => expect(screen.getByText(/^17 of 480 options/)).toBeVisible());
    expect(calls[0]?.url).toBe("/api/options/dynamodb-tables?limit=50&region=us-east-1");
    await user.keyboard("{ArrowDown}{Enter}");
    expect(combobox).toHaveValue("orders");
  });
});
