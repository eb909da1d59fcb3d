import { asc, eq } from "drizzle-orm";
import { Router } from "express";
import type { OutboundMessage } from "../../src/channels/contract.js";
import {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramObserver,
} from "../../src/channels/telegram/adapter.js";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { channelIdentities, outboxMessages } from "../../src/db/schema/index.js";
import type { InboundPipeline } from "../../src/inbound/pipeline-contract.js";
import { createLogger } from "../../src/log.js";
import type { FakeTelegram } from "../support/fake-telegram.js";
import { serve, type TestServer } from "../support/http.js";
import { noEnvFile } from "../support/process.js";
import { sentAt } from "./updates.js";

/** A second after the updates' own date: the clock of the Telegram tests. */
export const telegramNow = new Date((sentAt + 1) * 1000);

export const coreConfig = () =>
  loadConfig({ SEED_DEMO: "true", LOG_LEVEL: "silent", NODE_ENV: "test" }, noEnvFile);

/**
 * A `receive` for the adapter that stores with `pipeline.accept` and remembers each stored
 * message's turn, so a test can await the turn of an update id (`turn(id)`), never sleep.
 */
export function acceptingReceiver(pipeline: InboundPipeline) {
  const turns = new Map<string, Promise<void>>();
  const results: string[] = [];
  let failures = 0;
  return {
    /** Makes the next `count` receives throw, as a database outage would. */
    failNext(count = 1) {
      failures += count;
    },
    results,
    receive: async (message: Parameters<InboundPipeline["accept"]>[0]) => {
      if (failures > 0) {
        failures--;
        throw new Error("database unavailable");
      }
      const result = await pipeline.accept(message);
      results.push(`${message.externalId}:${result.status}`);
      if (result.status === "stored") turns.set(message.externalId, result.processed);
      return result;
    },
    async turn(updateId: number): Promise<void> {
      const turn = turns.get(String(updateId));
      if (!turn) throw new Error(`update ${updateId} was not stored`);
      await turn;
    },
  };
}

/** The outbox rows for the Telegram chat `chatId`, in order. */
export async function outboxFor(db: Db, chatId: string) {
  return db
    .select({
      id: outboxMessages.id,
      address: channelIdentities.externalId,
      channel: outboxMessages.channel,
      payload: outboxMessages.payload,
    })
    .from(outboxMessages)
    .innerJoin(channelIdentities, eq(channelIdentities.id, outboxMessages.identityId))
    .where(eq(channelIdentities.externalId, chatId))
    .orderBy(asc(outboxMessages.sequence))
    .then((rows) =>
      rows.map((row) => ({ ...row, message: row.payload as unknown as OutboundMessage })),
    );
}

/** Log lines written at every level, to check what never appears in them. */
export function capturedLog() {
  const lines: string[] = [];
  const log = createLogger("trace", { write: (line: string) => lines.push(line) });
  return { log, text: () => lines.join("") };
}

/** For adapters whose test handles no update that touches the database: any use throws. */
export const noDatabase = new Proxy(
  {},
  {
    get() {
      throw new Error("this test has no database");
    },
  },
) as Db;

/**
 * A Telegram adapter in webhook mode on a test server (serving `routers` too), registered with
 * the fake Bot API; start it with `adapter.start(receive)`.
 */
export async function webhookAdapter(options: {
  fake: FakeTelegram;
  db: Db;
  routers?: Router[];
  observer?: TelegramObserver;
}): Promise<{ adapter: TelegramAdapter; server: TestServer }> {
  const mount = Router();
  const server = await serve([...(options.routers ?? []), mount]);
  const adapter = createTelegramAdapter({
    token: options.fake.token,
    apiRoot: options.fake.apiRoot,
    mode: "webhook",
    publicUrl: `${server.url}/`,
    db: options.db,
    log: createLogger("silent"),
    clock: () => telegramNow,
    ...(options.observer ? { observer: options.observer } : {}),
  });
  mount.use(adapter.webhookRoutes());
  return { adapter, server };
}
