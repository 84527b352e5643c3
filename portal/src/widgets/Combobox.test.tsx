/** @vitest-environment jsdom */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { OptionsPage } from "../api/types";
import { Combobox, countText, Highlighted } from "./Combobox";
import type { LoadOptions } from "./Combobox";

const TABLES = ["orders", "orders-archive", "payments-ledger", "sessions-cache"];

function source(total = 480): LoadOptions & { queries: string[] } {
  const queries: string[] = [];
  const load = (query: string): Promise<OptionsPage> => {
    queries.push(query);
    const items = TABLES.filter((t) => t.includes(query)).map((value) => ({
      value,
      label: value,
      description: `DynamoDB table ${value}`,
    }));
    return Promise.resolve({ source: "dynamodb-tables", total, matched: items.length, items });
  };
  return Object.assign(load, { queries });
}

function Harness({ load, onChange }: { load: LoadOptions; onChange?: (value: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <>
      <label htmlFor="table">Table name</label>
      <Combobox
        id="table"
        value={value}
        debounceMs={0}
        load={load}
        onChange={(next) => {
          setValue(next);
          onChange?.(next);
        }}
      />
    </>
  );
}

describe("Combobox", () => {
  it("is an ARIA combobox controlling a listbox, closed at first", () => {
    render(<Harness load={source()} />);
    const input = screen.getByRole("combobox", { name: "Table name" });
    expect(input).toHaveAttribute("aria-expanded", "false");
    expect(input).toHaveAttribute("aria-autocomplete", "list");
    expect(input).toHaveAttribute("aria-controls", "table-listbox");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("searches as you type and counts the matches", async () => {
    const load = source();
    render(<Harness load={load} />);
    await userEvent.type(screen.getByRole("combobox"), "orders");

    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));
    expect(load.queries.at(-1)).toBe("orders");
    expect(screen.getByRole("combobox")).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByRole("listbox")).toBeVisible();
    expect(screen.getByRole("status")).toHaveTextContent("2 of 480 options");
    expect(screen.getByRole("combobox")).toHaveAccessibleDescription("2 of 480 options");
  });

  it("moves through options with the arrow keys and picks one with Enter", async () => {
    const onChange = vi.fn();
    render(<Harness load={source()} onChange={onChange} />);
    const input = screen.getByRole("combobox");
    input.focus();

    await userEvent.keyboard("{ArrowDown}");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(4));
    const options = screen.getAllByRole("option");
    expect(input).toHaveAttribute("aria-activedescendant", options[0]?.id);
    expect(options[0]).toHaveAttribute("aria-selected", "true");

    await userEvent.keyboard("{ArrowDown}{ArrowDown}");
    expect(input).toHaveAttribute("aria-activedescendant", options[2]?.id);
    await userEvent.keyboard("{ArrowUp}");
    expect(input).toHaveAttribute("aria-activedescendant", options[1]?.id);
    await userEvent.keyboard("{ArrowUp}{ArrowUp}");
    expect(input).toHaveAttribute("aria-activedescendant", options[3]?.id); // wraps

    await userEvent.keyboard("{Enter}");
    expect(onChange).toHaveBeenLastCalledWith("sessions-cache");
    expect(input).toHaveValue("sessions-cache");
    expect(input).toHaveAttribute("aria-expanded", "false");
    expect(input).not.toHaveAttribute("aria-activedescendant");
  });

  it("closes with Escape, then clears with a second Escape", async () => {
    render(<Harness load={source()} />);
    const input = screen.getByRole("combobox");
    await userEvent.type(input, "pay");
    await waitFor(() => expect(input).toHaveAttribute("aria-expanded", "true"));

    await userEvent.keyboard("{Escape}");
    expect(input).toHaveAttribute("aria-expanded", "false");
    expect(input).toHaveValue("pay");
    await userEvent.keyboard("{Escape}");
    expect(input).toHaveValue("");
  });

  it("picks an option with the mouse", async () => {
    render(<Harness load={source()} />);
    await userEvent.click(screen.getByRole("combobox"));
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(4));
    await userEvent.click(screen.getByRole("option", { name: /payments-ledger/ }));
    expect(screen.getByRole("combobox")).toHaveValue("payments-ledger");
  });

  it("keeps free text: the schema, not the list, decides what is valid", async () => {
    const onChange = vi.fn();
    render(<Harness load={source()} onChange={onChange} />);
    await userEvent.type(screen.getByRole("combobox"), "brand-new");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("0 of 480 options"));
    expect(onChange).toHaveBeenLastCalledWith("brand-new");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("says when options cannot be loaded", async () => {
    render(<Harness load={() => Promise.reject(new Error("source `x` does not exist"))} />);
    await userEvent.click(screen.getByRole("combobox"));
    await waitFor(() =>
      expect(screen.getByRole("status")).toHaveTextContent("Could not load options: source `x` does not exist"),
    );
  });

  it("ignores answers overtaken by newer typing", async () => {
    const pending: ((page: OptionsPage) => void)[] = [];
    const load: LoadOptions = () => new Promise((resolve) => pending.push(resolve));
    render(<Harness load={load} />);
    const input = screen.getByRole("combobox");
    fireEvent.change(input, { target: { value: "o" } });
    await waitFor(() => expect(pending).toHaveLength(1));
    fireEvent.change(input, { target: { value: "or" } });
    await waitFor(() => expect(pending).toHaveLength(2));

    const page = (value: string): OptionsPage => ({ source: "s", total: 9, matched: 1, items: [{ value }] });
    await act(async () => pending[1]?.(page("newest")));
    await act(async () => pending[0]?.(page("stale")));
    expect(screen.getByRole("option")).toHaveTextContent("newest");
  });
});

describe("Highlighted", () => {
  it("marks the matched ranges of a label", () => {
    const { container } = render(<Highlighted text="orders-archive" ranges={[[7, 10], [0, 3]]} />);
    expect([...container.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["ord", "arc"]);
    expect(container.textContent).toBe("orders-archive");
  });

  it("ignores ranges that do not fit", () => {
    const { container } = render(<Highlighted text="abc" ranges={[[2, 9], [1, 1]]} />);
    expect(container.querySelectorAll("mark")).toHaveLength(0);
    expect(container.textContent).toBe("abc");
  });
});

describe("countText", () => {
  it("counts matches out of the total", () => {
    const items = Array.from({ length: 17 }, (_, i) => ({ value: `t${i}` }));
    expect(countText({ source: "s", total: 480, matched: 17, items })).toBe("17 of 480 options");
    expect(countText({ source: "s", total: 1, matched: 1, items: [{ value: "a" }] })).toBe("1 of 1 option");
  });

  it("says when only the first matches are shown", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ value: `t${i}` }));
    expect(countText({ source: "s", total: 480, matched: 120, items })).toBe(
      "120 of 480 options; showing the first 50, type to narrow",
    );
  });
});
