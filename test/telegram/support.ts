import { asc, eq } from "drizzle-orm";
import type { OutboundMessage } from "../../src/channels/contract.js";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { channelIdentities, outboxMessages } from "../../src/db/schema/index.js";
import type { InboundPipeline } from "../../src/inbound/pipeline-contract.js";
import { createLogger } from "../../src/log.js";
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
