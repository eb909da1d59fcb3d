import { loadConfig } from "../src/config.js";
import { openCore } from "../src/core.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { createLogger } from "../src/log.js";

/**
 * One resident's registration conversation from the shipped flows: consent, profile, choosing
 * a programme, confirming. Every message is one durable turn.
 */
export const registrationConversation = [
  "halo",
  "setuju",
  "1",
  "Siti Aminah",
  "4",
  "gunung sari ilir",
  "5",
  "0812 3456 7890",
  "ya",
  "1",
  "ya",
];

export interface TurnFigures {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * `residents` residents hold the registration conversation, `concurrency` at a time, each
 * awaiting its replies before the next message.
 */
export async function measureTurns(
  database: Database,
  residents: number,
  concurrency: number,
): Promise<TurnFigures> {
  const config = loadConfig({ SEED_DEMO: "true", LOG_LEVEL: "silent" }, "/dev/null/none");
  const core = await openCore(config, createLogger("silent"), { database });
  const latencies: number[] = [];
  let next = 0;
  let counter = 0;
  const started = performance.now();
  const resident = async (index: number) => {
    for (const text of registrationConversation) {
      counter += 1;
      const sent = performance.now();
      await core.pipeline.receive({
        channel: "simulator",
        externalId: `bench-${counter}`,
        senderId: `bench-${index}`,
        receivedAt: new Date(),
        content: { kind: "text", text },
      });
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < residents) await resident(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await core.close();
  latencies.sort((a, b) => a - b);
  return {
    turns: latencies.length,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}

/** Opens an empty database for a benchmark: PGlite in memory, or a fresh PostgreSQL database. */
export async function benchDatabase(driver: "pglite" | "postgres"): Promise<Database> {
  if (driver === "pglite") return openDatabase({ driver: "pglite", dataDir: undefined });
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) throw new Error("BENCH_DATABASE_URL is not set");
  const admin = await openDatabase({ driver: "postgres", url: serverUrl, maxConnections: 1 });
  if (admin.driver !== "postgres") throw new Error("expected PostgreSQL");
  const name = `berdaya_bench_${process.pid}`;
  await admin.client.unsafe(`drop database if exists ${name} with (force)`);
  await admin.client.unsafe(`create database ${name}`);
  await admin.close();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return openDatabase({ driver: "postgres", url: url.toString() });
}
