import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../test/fixtures";
import { api, ApiError, newIdempotencyKey, onUnauthenticated, withQuery } from "./client";

afterEach(() => {
  vi.unstubAllGlobals();
  onUnauthenticated(null);
});

describe("api client", () => {
  it("sends the CSRF header on writes only, and names the portal as client", async () => {
    const { fetch, calls } = fakeFetch({
      "GET /api/me": [200, { subject: "a", name: "", groups: [] }],
      "POST /api/runs/run-1/approve": [200, { id: "run-1" }],
      "DELETE /api/session": [204, null],
    });
    vi.stubGlobal("fetch", fetch);

    await api.me();
    await api.approve("run-1", "ok");
    await api.signOut();

    expect(calls[0]?.headers["X-Foyer-CSRF"]).toBeUndefined();
    expect(calls[1]?.headers["X-Foyer-CSRF"]).toBe("1");
    expect(calls[1]?.body).toEqual({ comment: "ok" });
    expect(calls[2]?.headers["X-Foyer-CSRF"]).toBe("1");
    expect(calls.every((call) => call.headers["X-Foyer-Client"] === "portal")).toBe(true);
  });

  it("sends the idempotency key with a submission", async () => {
    const { fetch, calls } = fakeFetch({ "POST /api/runs": [201, { id: "run-1" }] });
    vi.stubGlobal("fetch", fetch);
    await api.submit({ workflow: "w", inputs: {}, environment: "prod" }, "key-1");
    expect(calls[0]?.headers["Idempotency-Key"]).toBe("key-1");
  });

  it("raises the gateway's errors", async () => {
    const errors = [{ field: "inputs.table_name", message: "is too short" }];
    vi.stubGlobal("fetch", fakeFetch({ "POST /api/runs": [422, { errors }] }).fetch);
    const failure = await api.submit({ workflow: "w", inputs: {}, environment: "prod" }, "k").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(422);
    expect((failure as ApiError).errors).toEqual(errors);
    expect((failure as ApiError).message).toBe("is too short");
  });

  it("reports a lost session, but not a failed sign-in", async () => {
    const body = { errors: [{ field: "session", message: "Your session has ended; sign in again" }] };
    vi.stubGlobal("fetch", fakeFetch({ "GET /api/catalog": [401, body], "POST /api/session": [401, body] }).fetch);
    const lost = vi.fn();
    onUnauthenticated(lost);

    await expect(api.signIn("nope")).rejects.toThrow();
    expect(lost).not.toHaveBeenCalled();
    await expect(api.catalog()).rejects.toThrow("Your session has ended");
    expect(lost).toHaveBeenCalledOnce();
  });

  it("explains a gateway that does not answer", async () => {
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));
    await expect(api.me()).rejects.toMatchObject({ status: 0, message: "The gateway did not answer; check your connection" });
  });

  it("builds queries without empty values", () => {
    expect(withQuery("/api/runs", { requester: "me", status: "", cursor: undefined, limit: 25 })).toBe(
      "/api/runs?requester=me&limit=25",
    );
    expect(withQuery("/api/runs", {})).toBe("/api/runs");
  });

  it("makes distinct idempotency keys", () => {
    expect(newIdempotencyKey()).toMatch(/^portal-[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
