import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * `npm run test:faults`: only the slow fault tests (a 30 s database outage, ten process kills),
 * with the normal configuration otherwise. The normal suite runs shorter versions of them.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/faults/**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 300_000,
  },
});
