/** @vitest-environment jsdom */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { Tabs } from "./Tabs";

function Harness() {
  const [selected, setSelected] = useState("form");
  return (
    <Tabs
      label="Workflow"
      selected={selected}
      onSelect={setSelected}
      tabs={["Form", "Guide", "Snippets"].map((label) => ({
        id: label.toLowerCase(),
        label,
        render: () => <p>{label} panel</p>,
      }))}
    />
  );
}

describe("Tabs", () => {
  it("shows the selected tab's panel, labelled by its tab", () => {
    render(<Harness />);
    expect(screen.getByRole("tab", { name: "Form" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tabpanel", { name: "Form" })).toHaveTextContent("Form panel");
  });

  it("moves with arrow keys, Home and End, and keeps one tab in the tab order", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole("tab", { name: "Form" }));
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Guide" })).toHaveFocus();
    expect(screen.getByRole("tabpanel")).toHaveTextContent("Guide panel");
    await userEvent.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "Snippets" })).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Form" })).toHaveFocus();
    await userEvent.keyboard("{ArrowLeft}{Home}");
    expect(screen.getByRole("tab", { name: "Form" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getAllByRole("tab").filter((tab) => tab.tabIndex === 0)).toHaveLength(1);
  });
});
