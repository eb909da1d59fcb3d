import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The slow fault tests run with `npm run test:faults` (vitest.faults.config.ts).
    exclude: ["test/faults/**", "node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each worker holds a PGlite (WASM) instance per test file; two cores, two workers.
    maxWorkers: 2,
  },
});
