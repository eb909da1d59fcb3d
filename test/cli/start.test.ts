import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { programmes } from "../../src/db/schema/index.js";
import { databaseUrl } from "../support/global-setup.js";
import { freePort, runScript } from "../support/process.js";

async function startAndStop(env: Record<string, string>) {
  const port = await freePort();
  const berdaya = runScript("src/main.ts", { ...env, PORT: String(port), LOG_LEVEL: "warn" });
  await berdaya.waitFor("Berdaya berjalan di");
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  berdaya.child.kill("SIGTERM");
  return { health: health.status, ready: ready.status, exitCode: await berdaya.exited, berdaya };
}

describe("npm start", () => {
  it("stops with one line naming PORT and exit code 1 when PORT is not a number", async () => {
    const berdaya = runScript("src/main.ts", { PORT: "abc" });
    expect(await berdaya.exited).toBe(1);
    expect(berdaya.stderr()).toBe('PORT: expected a port number from 1 to 65535, got "abc"\n');
  });

  const dataDir = mkdtempSync(join(tmpdir(), "berdaya-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("starts on the embedded database with demo programmes, and keeps them across restarts", async () => {
    const first = await startAndStop({ DATA_DIR: dataDir });
    expect(first).toMatchObject({ health: 200, ready: 200, exitCode: 0 });
    expect(first.berdaya.stdout()).toContain("/simulator");
    expect(first.berdaya.stdout()).toMatch(
      /masuk dengan admin@berdaya\.local dan kata sandi \S{16}/,
    );
    const second = await startAndStop({ DATA_DIR: dataDir });
    expect(second).toMatchObject({ health: 200, ready: 200, exitCode: 0 });
    expect(second.berdaya.stdout()).not.toContain("kata sandi");

    const database = await openDatabase({ driver: "pglite", dataDir: join(dataDir, "pglite") });
    const [row] = await database.db.select({ n: count() }).from(programmes);
    await database.close();
    expect(row?.n).toBe(4);
  }, 120_000);

  const server = inject("postgres");
  it.skipIf(!server)(
    "two processes starting at once on an empty PostgreSQL database migrate it once and both get ready",
    async () => {
      if (!server) return;
      const name = `berdaya_start_${process.pid}`;
      const admin = postgres(server.serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
      try {
        const env = { DATABASE_URL: databaseUrl(server.serverUrl, name) };
        const results = await Promise.all([startAndStop(env), startAndStop(env)]);
        for (const result of results) {
          expect(result).toMatchObject({ health: 200, ready: 200, exitCode: 0 });
        }
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    120_000,
  );
});
