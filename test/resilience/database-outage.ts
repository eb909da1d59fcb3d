import { writeFileSync } from "node:fs";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { type RunningBerdaya, startBerdaya } from "../../src/server.js";
import {
  goldenTurns,
  type RecordingClient,
  recordingClients,
  TelegramResident,
  telegramToken,
  textsOf,
  transcriptClock,
  WhatsAppResident,
} from "../e2e/support.js";
import { freshPostgresDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { freePort, noEnvFile } from "../support/process.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitUntil } from "../support/wait.js";

/**
 * A PostgreSQL outage in the middle of traffic, end to end: Berdaya (everything `npm start`
 * runs, in this process) reaches its database through a TCP proxy the test cuts for `cutMs`,
 * while residents chat over Telegram (polling or webhook) and WhatsApp (the fake client). Some
 * residents are mid-conversation when the cut comes, others first write during it. Each follows
 * the first turns of golden transcript 03, so what each must receive is known exactly.
 */
export interface OutageOptions {
  telegramMode: "polling" | "webhook";
  cutMs: number;
  /** Residents per channel who start before the cut; one more per channel starts during it. */
  residents: number;
  turns: number;
}

export interface OutageReport {
  /** From restore until every resident had the replies to all they typed before it. */
  recoveryMs: number;
  /** /readyz during the cut. */
  readyDuringCut: {
    status: number;
    body: { checks: Record<string, { ok: boolean; detail?: string }> };
  };
  readyAfter: number;
  /** Webhook deliveries refused during the cut (webhook mode), by status. */
  webhookRefusals: Record<number, number>;
  /** Sends beyond what residents should have received (0 when each reply went once). */
  extraSends: number;
  messages: number;
}

const transcript = "03-daftar-menjahit-dengan-profil.txt";

export async function runDatabaseOutage(options: OutageOptions): Promise<OutageReport> {
  const turns = goldenTurns(transcript).slice(0, options.turns);
  const expectedPerResident = turns.flatMap((turn) => textsOf(turn.replies));
  const database = await freshPostgresDatabase();
  const direct = postgres(database.url, { max: 1, onnotice: () => {} });
  const target = new URL(database.url);
  let proxy: TcpProxy | undefined;
  let fake: FakeTelegram | undefined;
  let berdaya: RunningBerdaya | undefined;
  const logLines: string[] = [];
  try {
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    fake = await FakeTelegram.start(telegramToken);
    const port = await freePort();
    const clock = transcriptClock();
    const clients = recordingClients();
    const config = loadConfig(
      {
        DATABASE_URL: viaProxy.toString(),
        TELEGRAM_BOT_TOKEN: telegramToken,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_MODE: "polling",
        TELEGRAM_CHAT_GAP: "0s",
        WHATSAPP_ENABLED: "true",
        WHATSAPP_MIN_GAP: "0s",
        WHATSAPP_JITTER: "0s",
        SEED_DEMO: "true",
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "silent",
      },
      noEnvFile,
    );
    const telegram = config.telegram;
    if (!telegram) throw new Error("Telegram is not configured");
    const webhook = options.telegramMode === "webhook";
    berdaya = await startBerdaya(
      {
        ...config,
        // Telegram wants https; the fake posts to plain http on loopback.
        ...(webhook ? { publicUrl: `http://127.0.0.1:${port}`, publicUrlIsSet: true } : {}),
        telegram: { ...telegram, mode: options.telegramMode },
      },
      createLogger(process.env.OUTAGE_LOG ? "debug" : "warn", {
        write: (line: string) => void logLines.push(line),
      }),
      { clock, whatsappClient: clients.factory },
    );
    const client: RecordingClient = await clients.first;
    client.emit("authenticated");
    client.emit("ready");
    if (webhook) await waitUntil("the webhook to be set", () => fake?.webhook !== undefined);

    const telegramFake = fake;
    const sentTo = (chat: string): string[] => [
      ...telegramFake.sent.filter((m) => m.chatId === chat).map((m) => m.text),
      ...client.sent.filter((m) => m.chatId === chat).map((m) => m.content),
    ];
    const timeoutMs = options.cutMs + 60_000;
    /** Per resident: how many replies what they typed so far should bring. */
    const owed = new Map<string, number>();
    const converse = async (chat: string, types: (text: string) => unknown) => {
      let expected = 0;
      for (const turn of turns) {
        types(turn.says);
        expected += turn.replies.length;
        owed.set(chat, expected);
        await waitUntil(`${expected} replies to ${chat}`, () => sentTo(chat).length >= expected, {
          timeoutMs,
        });
        logLines.push(
          `${JSON.stringify({ msg: `TEST: ${chat} got ${expected}`, time: Date.now() })}\n`,
        );
      }
    };
    const telegramResident = (index: number) => {
      const resident = new TelegramResident(telegramFake, 7_000_000_100 + index, clock);
      return { chat: String(resident.chatId), types: (text: string) => resident.types(text) };
    };
    const whatsappResident = (index: number) => {
      const chatId = `62813000${String(index).padStart(5, "0")}@c.us`;
      const resident = new WhatsAppResident(() => client, chatId, clock);
      return { chat: chatId, types: (text: string) => resident.types(text) };
    };
    const early = Array.from({ length: options.residents }, (_, i) => [
      telegramResident(i),
      whatsappResident(i),
    ]).flat();
    const late = [telegramResident(options.residents), whatsappResident(options.residents)];
    const all = [...early, ...late];

    const earlyDone = Promise.all(early.map((r) => converse(r.chat, r.types)));
    earlyDone.catch(() => {});
    // Cut while conversations are under way: some replies out, more to come.
    const totalExpected = all.length * expectedPerResident.length;
    const sentCount = () => telegramFake.sent.length + client.sent.length;
    await waitUntil("traffic before the cut", () => sentCount() >= early.length * 2, {
      timeoutMs: 60_000,
    });
    const cutProxy = proxy;
    cutProxy.cut();
    logLines.push(`${JSON.stringify({ msg: "TEST: cut", time: Date.now() })}\n`);
    const lateDone = Promise.all(late.map((r) => converse(r.chat, r.types)));
    lateDone.catch(() => {});
    const readyz = await fetch(`${berdaya.url}/readyz`);
    const readyDuringCut = {
      status: readyz.status,
      body: (await readyz.json()) as OutageReport["readyDuringCut"]["body"],
    };
    if (webhook) {
      await waitUntil("a webhook delivery refused", () =>
        telegramFake.webhookAnswers.some((status) => status !== 200),
      );
    }
    // The outage itself: the database stays away this long, whatever happens meanwhile.
    await new Promise((resolve) => setTimeout(resolve, options.cutMs));
    const refusals: Record<number, number> = {};
    for (const status of telegramFake.webhookAnswers) {
      if (status !== 200) refusals[status] = (refusals[status] ?? 0) + 1;
    }
    const restoredAt = Date.now();
    logLines.push(`${JSON.stringify({ msg: "TEST: restore", time: restoredAt })}\n`);
    cutProxy.restore();
    const owedAtRestore = [...owed];
    await waitUntil(
      "the replies to what was typed before the database returned",
      () => owedAtRestore.every(([chat, count]) => sentTo(chat).length >= count),
      { timeoutMs },
    );
    const recoveryMs = Date.now() - restoredAt;
    await Promise.all([earlyDone, lateDone]);

    // Everything settles: nothing left to process or send (a reply whose send was not
    // recorded would be sent again once its lease ran out, and show up below).
    await waitUntil(
      "the inbox processed and the outbox sent",
      async () => {
        const [row] = await direct<{ waiting: number }[]>`
          select (select count(*) from inbound_messages where processed_at is null)::int +
                 (select count(*) from outbox_messages where status in ('pending', 'sending'))::int
                 as waiting`;
        return row?.waiting === 0;
      },
      { timeoutMs: 90_000, everyMs: 200 },
    );
    for (const resident of all) {
      expect(sentTo(resident.chat), `what ${resident.chat} received`).toEqual(expectedPerResident);
    }
    const [inbound] = await direct<{ stored: number; processed: number }[]>`
      select count(*)::int as stored, count(processed_at)::int as processed
      from inbound_messages where channel in ('telegram', 'whatsapp')`;
    expect(inbound).toEqual({
      stored: all.length * turns.length,
      processed: all.length * turns.length,
    });
    const readyAfter = (await fetch(`${berdaya.url}/readyz`)).status;
    return {
      recoveryMs,
      readyDuringCut,
      readyAfter,
      webhookRefusals: refusals,
      extraSends: sentCount() - totalExpected,
      messages: all.length * turns.length,
    };
  } catch (error) {
    const counts = new Map<string, number>();
    for (const line of logLines) {
      const { msg, err } = JSON.parse(line) as { msg: string; err?: { message?: string } };
      const key = `${msg} ${err?.message ?? ""}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    console.error("Berdaya logged:", Object.fromEntries(counts));
    throw error;
  } finally {
    if (process.env.OUTAGE_LOG) writeFileSync(process.env.OUTAGE_LOG, logLines.join(""));
    await berdaya?.stop();
    await fake?.close();
    await proxy?.close();
    await direct.end();
    await database.drop();
  }
}

/** The test: residents on both Telegram modes and WhatsApp while the database is away `cutMs`. */
export function describeDatabaseOutage(cutMs: number, timeoutMs: number) {
  describe.skipIf(inject("postgres") === null)(
    `PostgreSQL unreachable for ${cutMs / 1000} s in the middle of traffic`,
    () => {
      for (const telegramMode of ["polling", "webhook"] as const) {
        it(
          `Telegram ${telegramMode} and WhatsApp: held, then each message processed once and each reply sent once`,
          async () => {
            const report = await runDatabaseOutage({ telegramMode, cutMs, residents: 3, turns: 4 });
            expect(report.readyDuringCut.status).toBe(503);
            expect(report.readyDuringCut.body.checks.database).toEqual({
              ok: false,
              detail: expect.stringMatching(/^unreachable: /),
            });
            if (telegramMode === "webhook") {
              // Telegram was told to come back later, never that the update was bad.
              expect(Object.keys(report.webhookRefusals)).toEqual(["503"]);
            }
            expect(report.extraSends).toBe(0);
            expect(report.readyAfter).toBe(200);
            console.info(
              `database outage of ${cutMs} ms (Telegram ${telegramMode}): ${report.messages} messages; the backlog answered ${report.recoveryMs} ms after the database returned; webhook refusals ${JSON.stringify(report.webhookRefusals)}`,
            );
          },
          timeoutMs,
        );
      }
    },
  );
}
