import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch, item } from "../test/fixtures";
import { loadCatalog, prefetchCatalog } from "./prefetch";

afterEach(() => vi.unstubAllGlobals());

describe("catalog prefetch", () => {
  it("answers the first load from the prefetch, later ones afresh", async () => {
    const { fetch, calls } = fakeFetch({ "GET /api/catalog": [200, { items: [item()] }] });
    vi.stubGlobal("fetch", fetch);
    prefetchCatalog();
    expect((await loadCatalog()).items).toHaveLength(1);
    expect(calls).toHaveLength(1);
    await loadCatalog();
    expect(calls).toHaveLength(2);
  });

  it("forgets a prefetch that failed, so signing in loads the catalog again", async () => {
    const routes: Record<string, [number, unknown]> = {
      "GET /api/catalog": [401, { errors: [{ field: "Authorization", message: "Send an API key" }] }],
    };
    vi.stubGlobal("fetch", fakeFetch(routes).fetch);
    await prefetchCatalog().catch(() => undefined);
    routes["GET /api/catalog"] = [200, { items: [] }];
    await expect(loadCatalog()).resolves.toEqual({ items: [] });
  });
});
