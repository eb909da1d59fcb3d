import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxInboundTextLength } from "../../src/channels/clean-inbound.js";
import type { ChannelName } from "../../src/channels/contract.js";
import { simulatorRoutes } from "../../src/channels/simulator/routes.js";
import type { TelegramAdapter } from "../../src/channels/telegram/adapter.js";
import { type Core, openCore } from "../../src/core.js";
import { channelIdentities, inboundMessages, outboxMessages } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import type { TestServer } from "../support/http.js";
import { acceptingReceiver, coreConfig, telegramNow, webhookAdapter } from "../telegram/support.js";
import { asUpdate, resident, textUpdate } from "../telegram/updates.js";
import { rawMessage } from "../whatsapp/fake-client.js";
import { type Harness, readyHarness } from "../whatsapp/harness.js";

const log = createLogger("silent");

/** Messages that break naive storage or display, and what the resident types. */
const oddMessages: [string, string][] = [
  ["a 100 KB message", "saya mau daftar menjahit ".repeat(4_200)],
  ["10,000 emoji", "😀".repeat(10_000)],
  ["control characters", "halo\u0007\u001b[31m\u007f\u0085 ya"],
  ["a NUL byte", "ha\u0000lo"],
  ["lone UTF-16 surrogates", "halo \ud800 ya \udfff"],
  ["right-to-left marks and overrides", "\u202eolah\u202c \u200fmenu\u200e"],
  ["nothing but invisible characters", "\u0000\u200b\u202e\u0007"],
];

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every stored text: no NUL, no other control character but line breaks, well-formed. */
function expectStorable(text: string | null | undefined) {
  expect(text).toBeTypeOf("string");
  expect(text!.length).toBeLessThanOrEqual(maxInboundTextLength);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be stored.
  expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
  expect(text).not.toMatch(loneSurrogate);
}

describeEachDatabase("odd and oversized messages at every channel's boundary", (database) => {
  let core: Core;
  let fake: FakeTelegram;
  let telegram: TelegramAdapter;
  let receiver: ReturnType<typeof acceptingReceiver>;
  let whatsapp: Harness;
  let server: TestServer;

  beforeAll(async () => {
    core = await openCore(coreConfig(), log, { database: database(), clock: () => telegramNow });
    fake = await FakeTelegram.start();
    receiver = acceptingReceiver(core.pipeline);
    ({ adapter: telegram, server } = await webhookAdapter({
      fake,
      db: database().db,
      routers: [simulatorRoutes(core.pipeline)],
    }));
    await telegram.start(receiver.receive);
    whatsapp = await readyHarness(database().db, (message) => core.pipeline.receive(message), {
      clock: () => telegramNow,
    });
  });
  afterAll(async () => {
    await whatsapp?.adapter.stop();
    await telegram?.stop();
    await server?.close();
    await fake?.close();
    await core?.close();
  });

  /** What was stored from `address` and what the bot queued in reply. */
  async function turnOf(channel: ChannelName, address: string) {
    const { db } = database();
    const [identity] = await db
      .select()
      .from(channelIdentities)
      .where(
        and(eq(channelIdentities.channel, channel), eq(channelIdentities.externalId, address)),
      );
    if (!identity) throw new Error(`nothing stored from ${address}`);
    const inbound = await db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.identityId, identity.id));
    const replies = await db
      .select({ payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(eq(outboxMessages.identityId, identity.id))
      .orderBy(asc(outboxMessages.sequence));
    return { identity, inbound, replies: replies.map((row) => String(row.payload.text)) };
  }

  function expectKindReply(replies: string[]) {
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.trim()).not.toBe("");
      expect(reply).not.toContain("sedang ada gangguan");
    }
  }

  describe.each(oddMessages.map((odd, i) => [...odd, i] as const))("%s", (_name, text, i) => {
    it("through the simulator API: a reply, or a 400 naming the field when over 4,096", async () => {
      const from = `odd-sim-${i}`;
      const response = await fetch(`${server.url}/api/simulator/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from, text, name: `Ibu ${text.slice(0, 50)}` }),
      });
      if (text.length > maxInboundTextLength) {
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ field: "text" });
        return;
      }
      expect(response.status).toBe(200);
      const { replies } = (await response.json()) as { replies: { text: string }[] };
      expectKindReply(replies.map((reply) => reply.text));
      const stored = await turnOf("simulator", from);
      expectStorable(stored.inbound[0]?.text);
      expectStorable(stored.identity.displayName);
    });

    it("through the Telegram webhook: stored cut and clean, and answered", async () => {
      const chatId = 880_000_000 + i;
      const from = resident(chatId, { first_name: text.slice(0, 300), last_name: "\u0000" });
      const update = asUpdate(textUpdate(text, { from }), 880_000_000 + i);
      expect((await fake.postToWebhook(update)).status).toBe(200);
      await receiver.turn(update.update_id);
      const stored = await turnOf("telegram", String(chatId));
      expectStorable(stored.inbound[0]?.text);
      expectStorable(stored.identity.displayName);
      expectKindReply(stored.replies);
    });

    it("through WhatsApp: stored cut and clean, and answered", async () => {
      const chat = `6281299${String(i).padStart(5, "0")}@c.us`;
      whatsapp.client().receive(rawMessage({ from: chat, body: text, notifyName: text }));
      await whatsapp.adapter.settled();
      const stored = await turnOf("whatsapp", chat);
      expectStorable(stored.inbound[0]?.text);
      expectStorable(stored.identity.displayName);
      expectKindReply(stored.replies);
    });
  });
});
