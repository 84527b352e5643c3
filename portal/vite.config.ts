import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/** Writes a `.gz` beside each text asset once the bundle is on disk, so the gateway can
 * serve it compressed without compressing on every request. */
function precompress(): Plugin {
  return {
    name: "foyer-precompress",
    apply: "build",
    enforce: "post",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|svg|json)$/.test(fileName)) continue;
        const path = join(dir, fileName);
        writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    target: "es2022",
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { "/api": process.env.FOYER_GATEWAY_URL ?? "http://127.0.0.1:8000" },
  },
  test: {
    // DOM tests opt in with a `@vitest-environment jsdom` comment.
    environment: "node",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // A bound, not a wait: form tests type into rjsf, slow on a busy 2-core machine.
    testTimeout: 30_000,
  },
});
