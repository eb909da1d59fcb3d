/**
 * Rough drain throughput with an adapter that answers "sent" at once (not run by `npm test`):
 *   npx tsx bench/delivery-throughput.ts                 # PGlite in memory
 *   DATABASE_URL=postgres://… npx tsx bench/delivery-throughput.ts
 * Uses a scratch database: PGlite in memory, or the given PostgreSQL database (rows are added).
 */
import { Registry } from "prom-client";
import { createSimulatorAdapter } from "../src/channels/simulator/adapter.js";
import { openDatabase } from "../src/db/client.js";
import { createDeliveryWorker } from "../src/delivery/worker.js";
import { seedOutbox, silentLog } from "../test/delivery/support.js";

const url = process.env.DATABASE_URL;
const database = await openDatabase(
  url ? { driver: "postgres", url } : { driver: "pglite", dataDir: undefined },
);
await database.migrate();
const at = new Date();
const rows = await seedOutbox(database.db, {
  prefix: `tp${Date.now()}`,
  contacts: Number(process.env.CONTACTS ?? 1000),
  perContact: Number(process.env.PER_CONTACT ?? 5),
  channel: "simulator",
  at,
});
const worker = createDeliveryWorker({
  db: database.db,
  adapters: new Map([["simulator", createSimulatorAdapter()]]),
  clock: () => new Date(),
  log: silentLog,
  registry: new Registry(),
  workerId: "throughput",
  quietHours: null,
  batchSize: Number(process.env.BATCH_SIZE ?? 50),
});
const started = performance.now();
const settled = await worker.drain();
const seconds = (performance.now() - started) / 1000;
console.log(
  `${database.driver}: ${settled} of ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(settled / seconds)} rows/s`,
);
await database.close();
