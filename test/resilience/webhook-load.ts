import { count, eq, isNull, sql } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secretHeader, webhookPath, webhookSecret } from "../../src/channels/telegram/webhook.js";
import type { Database } from "../../src/db/client.js";
import { inboundMessages, outboxMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { goldenTurns, telegramToken, textsOf, transcriptClock } from "../e2e/support.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram, type SentMessage } from "../support/fake-telegram.js";
import { describeLoad, runLoad } from "../support/load.js";
import { startTestServer } from "../support/server.js";
import { waitUntil } from "../support/wait.js";
import { messageUpdate, resident } from "../telegram/updates.js";

/**
 * Many residents at once through the real HTTP webhook: each of `residents` Telegram residents
 * greets the bot, consents, opens the help menu and closes it (golden transcript 01), their
 * updates posted to Berdaya's /telegram/webhook as Telegram posts them (one chat's updates one
 * after the other, `inFlight` chats at once), and every reply sent to a fake Bot API server.
 * The latency and throughput are printed, not asserted: they depend on the machine.
 */
const inFlight = 50;
const turns = goldenTurns("01-sapaan-persetujuan-menu.txt");
const repliesPerResident = turns.reduce((sum, turn) => sum + turn.replies.length, 0);
const firstChatId = 6_000_000_000_000;
/** Growth of the resident set size allowed over the run: generous, it is a leak detector. */
const rssGrowthBoundBytes = 400 * 1024 * 1024;

export function describeWebhookLoad(residents: number, timeoutMs: number): void {
  describeEachDatabase(`${residents} residents at once through the Telegram webhook`, (database) =>
    webhookLoad(database, residents, timeoutMs),
  );
}

function webhookLoad(database: () => Database, residents: number, timeoutMs: number): void {
  const clock = transcriptClock();
  let fake: FakeTelegram;
  let berdaya: RunningBerdaya;

  beforeAll(async () => {
    fake = await FakeTelegram.start(telegramToken);
    berdaya = await startTestServer(
      {
        TELEGRAM_BOT_TOKEN: telegramToken,
        TELEGRAM_API_ROOT: fake.apiRoot,
        PUBLIC_URL: "https://bot.contoh.id",
        // The load is on receiving; Telegram's sending pace would only make the test wait.
        TELEGRAM_MESSAGES_PER_SECOND: "1000",
        TELEGRAM_CHAT_GAP: "0s",
        SEED_DEMO: "true",
      },
      { database: database(), clock },
    );
  });
  afterAll(async () => {
    await berdaya?.stop();
    await fake?.close();
  });

  it(
    "answers every update 200, processes each once and sends every reply once",
    async () => {
      expect(fake.webhook?.url).toBe(`https://bot.contoh.id${webhookPath}`);
      const secret = webhookSecret(telegramToken);
      const update = (session: number, index: number): Update => {
        const chatId = firstChatId + session;
        return {
          update_id: 1_000_000 + session * turns.length + index,
          ...messageUpdate(
            {
              text: turns[index]?.says ?? "",
              message_id: index + 1,
              date: Math.floor(clock().getTime() / 1000),
            },
            { from: resident(chatId) },
          ),
        } as Update;
      };
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();

      const report = await runLoad({
        sessions: residents,
        requestsPerSession: turns.length,
        concurrency: inFlight,
        timeLimitMs: timeoutMs / 2,
        send: async (session, index) => {
          const response = await fetch(`${berdaya.url}${webhookPath}`, {
            method: "POST",
            headers: { "content-type": "application/json", [secretHeader]: secret },
            body: JSON.stringify(update(session, index)),
          });
          await response.arrayBuffer();
          return response.status;
        },
      });
      const expectedReplies = residents * repliesPerResident;
      for (let i = 0; i < expectedReplies; i++) await fake.nextSent();
      const allSentMs = performance.now() - started;
      const rssAfter = process.memoryUsage().rss;
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
      console.log(
        `[${database().driver}] ${residents} residents × ${turns.length} updates, ${inFlight} at once: ` +
          `${describeLoad(report)}; every reply sent after ` +
          `${(allSentMs / 1000).toFixed(1)} s; ` +
          `RSS ${mb(rssBefore)} → ${mb(rssAfter)}`,
      );

      expect(report.statuses).toEqual({ 200: residents * turns.length });
      expect(report.notSent).toBe(0);
      const db = database().db;
      const [stored] = await db
        .select({
          all: count(),
          unprocessed: sql<number>`count(*) filter (where ${isNull(inboundMessages.processedAt)})::int`,
        })
        .from(inboundMessages)
        .where(eq(inboundMessages.channel, "telegram"));
      expect(stored).toEqual({ all: residents * turns.length, unprocessed: 0 });
      // Nothing is left to send, and nothing was sent twice.
      await waitUntil("the outbox to be sent", async () => {
        const [left] = await db
          .select({ n: count() })
          .from(outboxMessages)
          .where(sql`${outboxMessages.status} in ('pending', 'sending')`);
        return left?.n === 0;
      });
      expect(fake.sent).toHaveLength(expectedReplies);
      const byChat = new Map<string, SentMessage[]>();
      for (const message of fake.sent) {
        const ofChat = byChat.get(message.chatId) ?? [];
        ofChat.push(message);
        byChat.set(message.chatId, ofChat);
      }
      expect(byChat.size).toBe(residents);
      const expectedTexts = turns.flatMap((turn) => textsOf(turn.replies));
      for (const [chatId, messages] of byChat) {
        expect(
          messages.map((message) => message.text),
          `replies to chat ${chatId}`,
        ).toEqual(expectedTexts);
      }
      expect(rssAfter - rssBefore).toBeLessThan(rssGrowthBoundBytes);
    },
    timeoutMs,
  );
}
