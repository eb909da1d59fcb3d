import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { createSimulatorAdapter } from "../../src/channels/simulator/adapter.js";
import { openDatabase } from "../../src/db/client.js";
import { databaseUrl } from "../support/global-setup.js";
import { runScript } from "../support/process.js";
import { seedOutbox } from "./support.js";

describe("simulator adapter", () => {
  it("settles every send at once with ids sim-1, sim-2 …, without pacing", async () => {
    const adapter = createSimulatorAdapter();
    expect(adapter.status()).toEqual({ state: "ready" });
    expect(adapter.capabilities).toMatchObject({ buttons: true, maxTextLength: 4096 });
    expect(adapter.capabilities.limits).toMatchObject({ perChatGapMs: 0, dailyCap: null });
    expect(await adapter.send("warga-1", { text: "Halo" })).toEqual({
      kind: "sent",
      platformMessageId: "sim-1",
    });
    expect(await adapter.send("warga-2", { text: "Halo" })).toMatchObject({
      platformMessageId: "sim-2",
    });
  });
});

describe("npm run worker", () => {
  it("refuses the embedded database with one line naming DATABASE_URL", async () => {
    const worker = runScript("src/cli/worker.ts", {});
    expect(await worker.exited).toBe(1);
    expect(worker.stderr()).toBe(
      "DATABASE_URL: npm run worker needs PostgreSQL; with the embedded database, npm start sends the messages itself\n",
    );
  });

  it("prints config problems one per line", async () => {
    const worker = runScript("src/cli/worker.ts", { LOG_LEVEL: "loud" });
    expect(await worker.exited).toBe(1);
    expect(worker.stderr()).toMatch(/^LOG_LEVEL: expected one of .*, got "loud"\n$/);
  });

  const server = inject("postgres");
  it.skipIf(!server)(
    "sends on the simulator and Telegram, and stops on SIGTERM with nothing left half-sent",
    async () => {
      if (!server) return;
      const name = `berdaya_worker_cli_${process.pid}`;
      const admin = postgres(server.serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name} template ${server.templateDatabase}`);
      const url = databaseUrl(server.serverUrl, name);
      try {
        const database = await openDatabase({ driver: "postgres", url });
        const at = new Date(Date.now() - 1000);
        await seedOutbox(database.db, {
          prefix: "cli",
          contacts: 20,
          perContact: 3,
          channel: "simulator",
          at,
        });
        await database.close();
        const worker = runScript("src/cli/worker.ts", {
          DATABASE_URL: url,
          SIMULATOR_ENABLED: "true",
          // Never called: there are no Telegram rows.
          TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh",
          TELEGRAM_API_ROOT: "http://127.0.0.1:9",
          LOG_LEVEL: "warn",
        });
        await worker.waitFor("Pengirim pesan Berdaya berjalan (simulator, telegram)");
        worker.child.kill("SIGTERM");
        expect(await worker.exited, worker.stderr()).toBe(0);
        const check = postgres(url, { max: 1, onnotice: () => {} });
        const [row] = await check<{ n: number }[]>`
          select count(*)::int as n from outbox_messages where status = 'sending'`;
        await check.end();
        expect(row?.n).toBe(0);
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    60_000,
  );
});
