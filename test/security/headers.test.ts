import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningBerdaya } from "../../src/server.js";
import { now } from "../domain/fixtures.js";
import {
  ConsoleClient,
  demoOrganisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";

describeEachDatabase("security headers and oversized forms", (database) => {
  let berdaya: RunningBerdaya;
  beforeAll(async () => {
    const { dinsos } = await demoOrganisations(database(), now);
    await staffAccount(database(), "siti@dinsos.id", dinsos);
    berdaya = await startConsoleServer(database());
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("sends a CSP without inline script, no framing and nosniff on every kind of page", async () => {
    for (const path of ["/console/masuk", "/simulator", "/api/v1/openapi.json", "/readyz"]) {
      const response = await fetch(`${berdaya.url}${path}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-powered-by"), path).toBeNull();
    }
  });

  it("refuses an oversized form with 413 and an Indonesian page, not a crash", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("siti@dinsos.id");
    await client.get("/console/token-api");
    const page = await client.post("/console/token-api", { name: "x".repeat(300_000) });
    expect(page.status).toBe(413);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("terlalu besar");
  });
});
