import { sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { createTelegramAdapter } from "../src/channels/telegram/adapter.js";
import type { Database } from "../src/db/client.js";
import { createDeliveryWorker } from "../src/delivery/worker.js";
import { createLogger } from "../src/log.js";
import { FakeTelegram } from "../test/support/fake-telegram.js";

export interface PacingFigures {
  messages: number;
  configuredPerSecond: number;
  measuredPerSecond: number;
  /** (measured − configured) / configured. */
  deviation: number;
  tooManyRequests: number;
}

const limits = { perSecond: 30, perChatGapMs: 1000 };

/**
 * Telegram pacing: `chats` × `perChat` replies drained through the real Telegram adapter and a
 * delivery worker into a fake Bot API that enforces 30 messages/s overall and 1/s per chat,
 * answering 429 to a send over either. The rate is measured where the fake received them.
 */
export async function measureTelegramPacing(
  database: Database,
  chats: number,
  perChat: number,
): Promise<PacingFigures> {
  const fake = await FakeTelegram.start(undefined, limits);
  const log = createLogger("silent");
  const adapter = createTelegramAdapter({
    token: fake.token,
    apiRoot: fake.apiRoot,
    mode: "polling",
    db: database.db,
    log,
    limits,
  });
  await seedChats(database, chats, perChat);
  const worker = createDeliveryWorker({
    db: database.db,
    adapters: new Map([["telegram", adapter]]),
    clock: () => new Date(),
    log,
    registry: new Registry(),
    workerId: "bench-telegram",
    quietHours: null,
  });
  const messages = chats * perChat;
  try {
    while (fake.sent.length < messages) {
      // A 429 puts a row back for a second: wait for it rather than spin.
      if ((await worker.drain()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await worker.stop();
    await fake.close();
  }
  const first = fake.sentAt[0] ?? 0;
  const last = fake.sentAt.at(-1) ?? 0;
  const measuredPerSecond = ((messages - 1) * 1000) / (last - first);
  return {
    messages,
    configuredPerSecond: limits.perSecond,
    measuredPerSecond,
    deviation: (measuredPerSecond - limits.perSecond) / limits.perSecond,
    tooManyRequests: fake.tooManyRequests,
  };
}

/** `chats` Telegram residents (numeric chat ids) with `perChat` replies each, due now. */
async function seedChats(database: Database, chats: number, perChat: number): Promise<void> {
  await database.db.execute(sql`
    with made as (
      insert into contacts (last_outbox_sequence, created_at)
      select ${perChat}, now() from generate_series(1, ${chats}) returning id
    ), identities as (
      insert into channel_identities (contact_id, channel, external_id, created_at)
      select id, 'telegram', (7000000000 + id)::text, now() from made
      returning id, contact_id
    )
    insert into outbox_messages (contact_id, identity_id, channel, sequence, payload, not_before)
    select i.contact_id, i.id, 'telegram', s, jsonb_build_object('text', 'Pesan ' || s), now()
    from identities i, generate_series(1, ${perChat}) s`);
}
