/**
 * One delivery worker process for the multi-process tests (run by test/delivery/processes.test.ts,
 * not a test itself). Sends the simulator rows of DATABASE_URL through a fake adapter that
 * appends each message's text ("rowId,contactId,sequence") to OUT_FILE, synchronously, before
 * answering "sent". Prints "progress" after PROGRESS_AFTER sends; exits when a drain has
 * settled nothing twice in a row.
 *
 * CLOCK_OFFSET_MS shifts this worker's clock forward: a worker started after another was killed
 * sees that one's leases as run out without the test waiting for them.
 */
import { appendFileSync } from "node:fs";
import { Registry } from "prom-client";
import type { ChannelAdapter } from "../../src/channels/adapter.js";
import { openDatabase } from "../../src/db/client.js";
import { createDeliveryWorker } from "../../src/delivery/worker.js";
import { createLogger } from "../../src/log.js";
import { noLimits } from "./support.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const outFile = env("OUT_FILE");
const progressAfter = Number(process.env.PROGRESS_AFTER ?? 0);
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);

let sends = 0;
const adapter: ChannelAdapter = {
  channel: "simulator",
  capabilities: { buttons: true, maxTextLength: 4096, limits: noLimits },
  async send(_address, message) {
    appendFileSync(outFile, `${message.text}\n`);
    sends += 1;
    if (sends === progressAfter) process.stdout.write("progress\n");
    // Give the other sends of the batch a turn, as a network would.
    await new Promise((resolve) => setImmediate(resolve));
    return { kind: "sent", platformMessageId: `${process.pid}-${sends}` };
  },
  async start() {},
  async stop() {},
  status: () => ({ state: "ready" }),
};

const database = await openDatabase({
  driver: "postgres",
  url: env("DATABASE_URL"),
  maxConnections: 4,
});
const worker = createDeliveryWorker({
  db: database.db,
  adapters: new Map([["simulator", adapter]]),
  clock: () => new Date(Date.now() + offset),
  log: createLogger("warn"),
  registry: new Registry(),
  workerId: env("WORKER_ID"),
  batchSize: Number(process.env.BATCH_SIZE ?? 50),
  leaseMs: Number(process.env.LEASE_MS ?? 60_000),
  quietHours: null,
});
let empty = 0;
while (empty < 2) empty = (await worker.drain()) === 0 ? empty + 1 : 0;
await database.close();
process.stdout.write(`done ${sends}\n`);
