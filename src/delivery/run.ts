import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Registry } from "prom-client";
import type { ChannelAdapter } from "../channels/adapter.js";
import type { ChannelName } from "../channels/contract.js";
import type { Config } from "../config.js";
import { type Database, openDatabase } from "../db/client.js";
import type { Logger } from "../log.js";
import { createMetricsRegistry } from "../metrics.js";
import type { QuietHours } from "./quiet-hours.js";
import { createDeliveryWorker } from "./worker.js";

/** Delivery settings beyond the configuration; unset ones keep the worker's defaults. */
export interface DeliverySettings {
  quietHours?: QuietHours | null;
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
}

export interface RunningWorker {
  readonly workerId: string;
  readonly channels: readonly ChannelName[];
  /** Stops claiming, finishes the sends in flight, closes the database. */
  stop(): Promise<void>;
}

/** A lease holder's name that no other worker, here or on another host, has. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Runs only the delivery workers (`npm run worker`): opens (unless given) and migrates the
 * configured database, then sends the outbox rows of the channels in `adapters` until stopped,
 * with the configured quiet hours. The adapters are only used to send; receiving stays with the
 * server process.
 */
export async function runWorker(
  config: Config,
  log: Logger,
  adapters: ReadonlyMap<ChannelName, ChannelAdapter>,
  options: DeliverySettings & { registry?: Registry; database?: Database } = {},
): Promise<RunningWorker> {
  const { registry, database: given, ...settings } = options;
  const database = given ?? (await openDatabase(config.database));
  try {
    await database.migrate();
  } catch (error) {
    if (!given) await database.close();
    throw error;
  }
  const workerId = newWorkerId();
  const worker = createDeliveryWorker({
    quietHours: config.quietHours,
    ...settings,
    db: database.db,
    adapters,
    clock: () => new Date(),
    log: log.child({ worker: workerId }),
    registry: registry ?? createMetricsRegistry(),
    workerId,
  });
  worker.start();
  return {
    workerId,
    channels: [...adapters.keys()],
    stop: async () => {
      await worker.stop();
      if (!given) await database.close();
    },
  };
}
