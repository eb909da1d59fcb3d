import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningBerdaya } from "../../src/server.js";
import { describeEachDatabase } from "../support/database.js";
import { startTestServer } from "../support/server.js";

describeEachDatabase("health endpoints", (database) => {
  let berdaya: RunningBerdaya;
  beforeAll(async () => {
    berdaya = await startTestServer({}, { database: database() });
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("answers /healthz while the process is alive", async () => {
    const response = await fetch(`${berdaya.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz 200 when the database is reachable and migrated", async () => {
    const response = await fetch(`${berdaya.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", checks: { database: { ok: true } } });
  });

  it("serves Prometheus metrics", async () => {
    const response = await fetch(`${berdaya.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toContain("berdaya_process_cpu_user_seconds_total");
  });

  it("answers /readyz 503 naming the reason when a migration is missing", async () => {
    const { db } = database();
    await db.execute(
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`,
    );
    const response = await fetch(`${berdaya.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "not_ready",
      checks: { database: { ok: false, detail: expect.stringMatching(/migrations applied/) } },
    });
  });

  it("answers unknown paths with a JSON 404", async () => {
    const response = await fetch(`${berdaya.url}/tidak-ada`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });
});
