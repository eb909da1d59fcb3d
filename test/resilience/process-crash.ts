import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { organisations } from "../../src/db/schema/index.js";
import { rowsOf } from "../../src/db/sql-rows.js";
import { createBroadcast, sendBroadcast } from "../../src/domain/broadcasts/index.js";
import { enqueueMessage } from "../../src/domain/outbox.js";
import { seededRandom } from "../delivery/support.js";
import { goldenTurns, telegramToken, textsOf } from "../e2e/support.js";
import { freshPostgresDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { freePort, projectRoot, runScript } from "../support/process.js";
import { waitUntil } from "../support/wait.js";

/**
 * SIGKILL the real server process (`src/main.ts` under plain node, as `npm start` runs it) at
 * random moments while residents chat over Telegram (the fake Bot API, polling), reminders
 * (notices) and an announcement go out; restart it each time. Afterwards every resident's
 * conversation must be exactly golden transcript 03's, every inbound message processed, and
 * every outbound message received once, except a message whose send the kill interrupted
 * (outcome unknown): it may arrive twice, right after itself, and only if it was taken over.
 */
export interface CrashReport {
  kills: number;
  /** Messages received more than once (their outcome was unknown at a kill). */
  duplicates: number;
  sent: number;
}

const transcript = "03-daftar-menjahit-dengan-profil.txt";

export async function runProcessCrashes(options: {
  kills: number;
  residents: number;
  seed: number;
}): Promise<CrashReport> {
  const turns = goldenTurns(transcript).slice(0, 4);
  const random = seededRandom(options.seed);
  const created = await freshPostgresDatabase();
  const database = await openDatabase({ driver: "postgres", url: created.url, maxConnections: 2 });
  const { db } = database;
  const fake = await FakeTelegram.start(telegramToken);
  const port = await freePort();
  const witaHour = (new Date().getUTCHours() + 8) % 24;
  const far = String((witaHour + 12) % 24).padStart(2, "0");
  const env = {
    DATABASE_URL: created.url,
    TELEGRAM_BOT_TOKEN: telegramToken,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: "polling",
    TELEGRAM_CHAT_GAP: "0s",
    SEED_DEMO: "true",
    // Quiet hours far from now: notices and the announcement go at once, whatever the hour.
    QUIET_HOURS: `${far}:00-${far}:01`,
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
  };
  let server = runScript(join(projectRoot, "src/main.ts"), env);
  let kills = 0;
  const crashes: string[] = [];
  try {
    await server.waitFor("Berdaya berjalan di");
    let trafficDone = false;
    const killer = (async () => {
      while (kills < options.kills) {
        // Up for a random 0.3–2.3 s: mid-turn, mid-send, mid-sweep, wherever it is.
        await new Promise((resolve) => setTimeout(resolve, 300 + random() * 2_000));
        server.child.kill("SIGKILL");
        await server.exited;
        kills += 1;
        if (server.stderr().includes("Error")) crashes.push(server.stderr());
        // The killed process's leases run out (as processes.test.ts does with a clock offset).
        await db.execute(
          sql`update outbox_messages set lease_until = now() - interval '1 second' where status = 'sending'`,
        );
        server = runScript(join(projectRoot, "src/main.ts"), env);
        await server.waitFor("Berdaya berjalan di");
        if (trafficDone && kills >= options.kills) break;
      }
    })();

    const chats = Array.from({ length: options.residents }, (_, i) => 7_100_000_000 + i);
    const userOf = (chatId: number) => ({ id: chatId, is_bot: false, first_name: "Warga" });
    let messageId = 1;
    const type = async (chatId: number, text: string) => {
      const update = fake.pushUpdate({
        message: {
          message_id: messageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: "private", first_name: "Warga" },
          from: userOf(chatId),
          text,
        },
      } as Parameters<FakeTelegram["pushUpdate"]>[0]);
      // Stored (confirmed to Telegram): the resident goes on typing.
      await fake.confirmed(update.update_id);
    };
    const converse = async (chatId: number, from: number, to: number) => {
      for (const turn of turns.slice(from, to)) await type(chatId, turn.says);
    };
    await Promise.all(chats.map((chatId) => converse(chatId, 0, 2)));
    // Consent given: a reminder-like notice to each, and an announcement to everyone.
    await waitUntil(
      "every consent processed",
      async () => {
        const [row] = rowsOf(
          await db.execute(
            sql`select count(*)::int as n from inbound_messages where processed_at is null`,
          ),
        );
        return row?.n === 0;
      },
      { timeoutMs: 120_000, everyMs: 200 },
    );
    const now = new Date();
    for (const chatId of chats) {
      await db.transaction(async (tx) => {
        const [contact] = rowsOf(
          await tx.execute(
            sql`select contact_id from channel_identities where channel = 'telegram' and external_id = ${String(chatId)}`,
          ),
        );
        await enqueueMessage(tx, {
          contactId: Number(contact?.contact_id),
          text: `Pengingat untuk ${chatId}`,
          priority: "notice",
          now,
        });
      });
    }
    const [organisation] = await db.select({ id: organisations.id }).from(organisations).limit(1);
    if (!organisation) throw new Error("no organisation");
    const broadcastId = await createBroadcast(db, {
      organisationId: organisation.id,
      title: "Uji",
      text: "Pengumuman: pelatihan menjahit dibuka.",
      audience: {},
      now,
    });
    await sendBroadcast(db, { organisationId: organisation.id, broadcastId, now });
    await Promise.all(chats.map((chatId) => converse(chatId, 2, turns.length)));
    trafficDone = true;
    await killer;

    await waitUntil(
      "the inbox processed and the outbox sent",
      async () => {
        const [row] = rowsOf(
          await db.execute(sql`
            select (select count(*) from inbound_messages where processed_at is null)::int +
                   (select count(*) from outbox_messages where status in ('pending', 'sending'))::int
                   as waiting`),
        );
        return row?.waiting === 0;
      },
      { timeoutMs: 120_000, everyMs: 200 },
    );
    expect(server.child.exitCode, server.stderr()).toBeNull();
    expect(crashes).toEqual([]);

    const [inbound] = rowsOf(
      await db.execute(
        sql`select count(*)::int as stored, count(processed_at)::int as processed from inbound_messages`,
      ),
    );
    expect(inbound).toEqual({
      stored: chats.length * turns.length,
      processed: chats.length * turns.length,
    });
    const expectedReplies = turns.flatMap((turn) => textsOf(turn.replies));
    let duplicates = 0;
    for (const chatId of chats) {
      const rows = rowsOf(
        await db.execute(sql`
          select o.payload->>'text' as text, o.priority, o.status, o.attempts
          from outbox_messages o join channel_identities i on i.id = o.identity_id
          where i.external_id = ${String(chatId)} order by o.sequence`),
      ) as { text: string; priority: number; status: string; attempts: number }[];
      // The conversation is the transcript's, whatever was killed when.
      expect(rows.filter((row) => row.priority === 0).map((row) => row.text)).toEqual(
        expectedReplies,
      );
      expect(rows.map((row) => row.status)).toEqual(rows.map(() => "sent"));
      expect(rows.filter((row) => row.priority > 0)).toHaveLength(2);
      // Received: the outbox in order, a row repeated only right after itself and only if a
      // kill interrupted its send (it was claimed again: attempts > 1).
      const received = fake.sent.filter((m) => m.chatId === String(chatId)).map((m) => m.text);
      let at = 0;
      for (const row of rows) {
        expect(received[at], `message ${at} to ${chatId}`).toBe(row.text);
        at += 1;
        while (received[at] === row.text && at < received.length) {
          expect(row.attempts, `"${row.text.slice(0, 30)}…" sent twice`).toBeGreaterThan(1);
          duplicates += 1;
          at += 1;
        }
      }
      expect(at).toBe(received.length);
    }
    // At most one message per resident was in flight at each kill.
    expect(duplicates).toBeLessThanOrEqual(kills * chats.length);
    return { kills, duplicates, sent: fake.sent.length };
  } finally {
    server.child.kill("SIGKILL");
    await server.exited;
    await fake.close();
    await database.close();
    await created.drop();
  }
}

/** The test: `kills` SIGKILLs of the server during mixed traffic. */
export function describeProcessCrashes(kills: number, timeoutMs: number) {
  describe.skipIf(inject("postgres") === null)(`the server killed ${kills} times`, () => {
    it(
      "loses no message, keeps every conversation, and repeats only sends cut off by a kill",
      async () => {
        const report = await runProcessCrashes({ kills, residents: 6, seed: 8 });
        expect(report.kills).toBe(kills);
        console.info(
          `${report.kills} kills: ${report.sent} messages received, ${report.duplicates} of them twice (outcome unknown at a kill)`,
        );
      },
      timeoutMs,
    );
  });
}
