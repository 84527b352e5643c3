/** @vitest-environment jsdom */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthProvider } from "./auth";
import { Layout } from "./components/Layout";
import { ADA, fakeFetch } from "./test/fixtures";

afterEach(() => vi.unstubAllGlobals());

function App() {
  return (
    <MemoryRouter initialEntries={["/somewhere"]}>
      <AuthProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route path="*" element={<p>Signed-in page</p>} />
          </Route>
        </Routes>
      </AuthProvider>
    </MemoryRouter>
  );
}

const UNAUTHENTICATED: [number, unknown] = [
  401,
  { errors: [{ field: "Authorization", message: "Send an API key" }] },
];

describe("signing in and out", () => {
  it("shows the sign-in form on the page asked for, then that page", async () => {
    const routes: Record<string, [number, unknown]> = {
      "GET /api/me": UNAUTHENTICATED,
      "POST /api/session": [401, { errors: [{ field: "api_key", message: "This API key is not valid" }] }],
    };
    const { fetch, calls } = fakeFetch(routes);
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<App />);

    await user.type(await screen.findByLabelText("API key"), "foyer_wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This API key is not valid");
    expect(screen.getByLabelText("API key")).toHaveAccessibleDescription(
      expect.stringContaining("This API key is not valid"),
    );

    routes["POST /api/session"] = [200, ADA];
    await user.clear(screen.getByLabelText("API key"));
    await user.type(screen.getByLabelText("API key"), " foyer_right ");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Signed-in page")).toBeVisible();
    expect(screen.getByRole("banner")).toHaveTextContent("Signed in as Ada Lovelace");
    expect(calls.find((call) => call.method === "POST" && call.body)?.body).toEqual({ api_key: "foyer_wrong" });
    expect(calls.filter((call) => call.method === "POST").at(-1)?.body).toEqual({ api_key: "foyer_right" });
  });

  it("signs out to the sign-in form", async () => {
    const routes: Record<string, [number, unknown]> = { "GET /api/me": [200, ADA], "DELETE /api/session": [204, null] };
    vi.stubGlobal("fetch", fakeFetch(routes).fetch);
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Signed-in page");

    routes["GET /api/me"] = UNAUTHENTICATED;
    await user.click(screen.getByRole("button", { name: "Sign out" }));

    expect(await screen.findByLabelText("API key")).toBeVisible();
    expect(screen.getByText("You have signed out.")).toBeVisible();
  });

  it("stays signed in behind single sign-on, and says where to sign out", async () => {
    vi.stubGlobal("fetch", fakeFetch({ "GET /api/me": [200, ADA], "DELETE /api/session": [204, null] }).fetch);
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Signed-in page");

    await user.click(screen.getByRole("button", { name: "Sign out" }));

    expect(await screen.findByText(/signed in through your organisation's single sign-on/)).toBeVisible();
    expect(screen.getByText("Signed-in page")).toBeVisible();
  });

  it("returns to the sign-in form when the session ends mid-way", async () => {
    const routes: Record<string, [number, unknown]> = { "GET /api/me": [200, ADA] };
    vi.stubGlobal("fetch", fakeFetch(routes).fetch);
    render(<App />);
    await screen.findByText("Signed-in page");

    const { api } = await import("./api/client");
    routes["GET /api/catalog"] = UNAUTHENTICATED;
    await api.catalog().catch(() => undefined);

    await waitFor(() => expect(screen.getByLabelText("API key")).toBeVisible());
    expect(screen.getByText("Your session has ended; sign in again.")).toBeVisible();
  });
});
