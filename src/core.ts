import { fileURLToPath } from "node:url";
import type { Registry } from "prom-client";
import { cleaningPipeline } from "./channels/clean-inbound.js";
import type { Config } from "./config.js";
import { type Database, type Db, openDatabase } from "./db/client.js";
import { seedAreas, seedDemo } from "./db/seed.js";
import { actions } from "./domain/actions.js";
import { FlowLoadError, type FlowProblem, type FlowSet, loadFlows } from "./engine/loader.js";
import { createInboundPipeline } from "./inbound/pipeline.js";
import type { InboundPipeline } from "./inbound/pipeline-contract.js";
import { pipelineMetrics } from "./inbound/pipeline-metrics.js";
import type { Logger } from "./log.js";
import { createMetricsRegistry } from "./metrics.js";

export const flowsFolder = fileURLToPath(new URL("../flows", import.meta.url));

/** Loads the flows in `folder` with Berdaya's actions, as start-up does; throws FlowLoadError. */
export function loadAppFlows(folder: string = flowsFolder): FlowSet {
  return loadFlows(folder, new Set(Object.keys(actions)));
}

/** `npm run flows:check` and the console's Flows page: the flows, or every problem found. */
export function checkFlows(
  folder: string = flowsFolder,
): { ok: true; flows: FlowSet } | { ok: false; problems: FlowProblem[] } {
  try {
    return { ok: true, flows: loadAppFlows(folder) };
  } catch (error) {
    if (!(error instanceof FlowLoadError)) throw error;
    return { ok: false, problems: error.problems };
  }
}

/** Berdaya without its HTTP server: database, flows, the inbound pipeline. */
export interface Core {
  readonly database: Database;
  readonly flows: FlowSet;
  readonly pipeline: InboundPipeline;
  readonly registry: Registry;
  /**
   * Processes the stored messages whose turn did not run (a crash, or the database went away
   * between storing and the turn); resolves with how many residents had some.
   */
  recover(): Promise<number>;
  close(): Promise<void>;
}

export interface CoreOptions {
  clock?: () => Date;
  /** An already open database (tests); by default the one the configuration names. */
  database?: Database;
  /** A fresh metrics registry by default; tests pass their own to avoid default metrics. */
  registry?: Registry;
  /** More first-start setup, run with the seeding while concurrent starts wait (first admin). */
  setup?: (db: Db) => Promise<void>;
  /** Called after each turn commits (the server wakes the delivery worker). */
  afterTurn?: () => void;
  /** Where account-linking codes come from; random by default. Transcripts fix them. */
  randomCode?: () => string;
}

/**
 * Loads and checks the flows (refusing to start with an invalid one), opens, migrates and seeds
 * the database, and processes what a crash left unprocessed.
 */
export async function openCore(
  config: Config,
  log: Logger,
  { clock = () => new Date(), ...options }: CoreOptions = {},
): Promise<Core> {
  const flows = loadAppFlows();
  const database = options.database ?? (await openDatabase(config.database));
  const ownsDatabase = !options.database;
  try {
    await database.migrate(async (db) => {
      await seedAreas(db);
      if (config.seedDemo && (await seedDemo(db, clock()))) {
        log.info("demo organisations and programmes added");
      }
      await options.setup?.(db);
    });
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const registry = options.registry ?? createMetricsRegistry();
  // Every channel's messages are cleaned and cut before they are stored (clean-inbound.ts).
  const pipeline = cleaningPipeline(
    createInboundPipeline({
      db: database.db,
      flows,
      actions,
      organisationName: config.organisationName,
      idleTimeoutMs: config.conversationIdleTimeoutMs,
      offerTtlMs: config.offerTtlMs,
      floodLimit: config.floodLimit,
      concurrentTransactions: database.driver === "pglite" ? 1 : 4,
      clock,
      log,
      metrics: pipelineMetrics(registry),
      ...(options.afterTurn ? { afterTurn: options.afterTurn } : {}),
      ...(options.randomCode ? { randomCode: options.randomCode } : {}),
    }),
  );
  const recovered = await pipeline.recover();
  if (recovered > 0)
    log.info({ contacts: recovered }, "processed messages left from before a stop");
  return {
    database,
    flows,
    pipeline,
    registry,
    recover: () => pipeline.recover(),
    close: async () => {
      if (ownsDatabase) await database.close();
    },
  };
}
