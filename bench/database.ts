import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "../src/db/client.js";

export type Driver = "pglite" | "postgres";

/** The databases to measure: PGlite always, PostgreSQL when BENCH_DATABASE_URL is set. */
export function benchDrivers(): Driver[] {
  return process.env.BENCH_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

const created: string[] = [];

/**
 * An empty, migrated database: PGlite in memory, or a new PostgreSQL database named after this
 * process (`berdaya_bench_<pid>_<n>`), dropped again by `dropBenchDatabases`.
 */
export async function benchDatabase(driver: Driver): Promise<Database> {
  if (driver === "pglite") {
    const database = await openDatabase({ driver: "pglite", dataDir: undefined });
    await database.migrate();
    return database;
  }
  const name = `berdaya_bench_${process.pid}_${created.length + 1}`;
  await onServer(async (admin) => {
    await admin.unsafe(`create database ${name}`);
  });
  created.push(name);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const database = await openDatabase({ driver: "postgres", url: url.toString() });
  await database.migrate();
  return database;
}

/**
 * Lets the database catch up before a case: VACUUM ANALYZE and, on PostgreSQL, a CHECKPOINT, so
 * that the maintenance one case leaves behind (autovacuum, writing dirty pages after 55,000
 * turns) does not run during the next and land in its latencies.
 */
export async function settle(database: Database): Promise<void> {
  await database.db.execute(sql`vacuum analyze`);
  if (database.driver === "postgres") await database.db.execute(sql`checkpoint`);
}

/** Drops the PostgreSQL databases this process created, and no other. */
export async function dropBenchDatabases(): Promise<void> {
  if (created.length === 0) return;
  await onServer(async (admin) => {
    for (const name of created.splice(0)) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    }
  });
}

/** The PostgreSQL server's version line, or null when only PGlite is measured. */
export async function serverVersion(): Promise<string | null> {
  if (!process.env.BENCH_DATABASE_URL) return null;
  return onServer(async (admin) => {
    const [row] = await admin.unsafe("select version() as version");
    return String(row?.version ?? "");
  });
}

function serverUrl(): string {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error("BENCH_DATABASE_URL is not set");
  return url;
}

async function onServer<T>(
  work: (admin: Extract<Database, { driver: "postgres" }>["client"]) => Promise<T>,
): Promise<T> {
  const admin = await openDatabase({ driver: "postgres", url: serverUrl(), maxConnections: 1 });
  if (admin.driver !== "postgres") throw new Error("expected PostgreSQL");
  try {
    return await work(admin.client);
  } finally {
    await admin.close();
  }
}
