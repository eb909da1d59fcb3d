import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { type PgDatabase, type PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { checkDataFolder } from "./data-folder.js";
import { preparingEveryQuery } from "./prepared.js";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;

/** A Drizzle database or transaction on either driver: domain code takes this type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * Runs `work` in the caller's transaction when it is one (no savepoint: two round trips fewer
 * in a turn), in a transaction of its own otherwise. For work whose failure fails the caller.
 */
export function atomically<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const inTransaction: boolean = db instanceof PgTransaction;
  return inTransaction ? work(db) : db.transaction(work);
}

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** The advisory lock key that serialises migrations ("BERDA" in ASCII). */
const migrationLockKey = "284428452929";

/**
 * Pause before reconnecting after the `retries`-th failed connection of the pool, in seconds:
 * 0.1 s doubling, at most 2 s, with jitter. postgres.js's default grows to 20 s, so after an
 * outage of half a minute queries would wait up to that long for a database that is back.
 */
export function reconnectBackoffSeconds(retries: number): number {
  return Math.min(0.1 * 2 ** retries, 2) * (0.5 + Math.random() / 2);
}

export type DatabaseTarget =
  | { driver: "pglite"; dataDir: string | undefined; loadDataDir?: Blob }
  | { driver: "postgres"; url: string; maxConnections?: number };

interface DatabaseBase {
  readonly db: Db;
  /**
   * Applies the migrations in drizzle/ that are not applied yet, then `setup` (the first-start
   * seeding). On PostgreSQL an advisory lock held through both makes concurrent starts wait for
   * each other instead of migrating or seeding twice.
   */
  migrate(setup?: (db: Db) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** The open database; the raw client is there for what Drizzle does not cover (dumps, bare SQL). */
export type Database =
  | (DatabaseBase & { readonly driver: "pglite"; readonly client: PGlite })
  | (DatabaseBase & { readonly driver: "postgres"; readonly client: postgres.Sql });

/**
 * Opens the database: PGlite in a data folder (or in memory when `dataDir` is undefined) or
 * PostgreSQL through postgres.js. Both give the same Drizzle API over the same schema.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.driver === "pglite") {
    if (target.dataDir) checkDataFolder(target.dataDir);
    // Loaded only for the embedded database: PGlite's module alone takes 36 MB of memory.
    const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const client = await PGlite.create({
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    });
    const db = drizzlePglite(client, { schema });
    return {
      driver: "pglite",
      client,
      db: db as unknown as Db,
      migrate: async (setup) => {
        await migratePglite(db, { migrationsFolder });
        await setup?.(db as unknown as Db);
      },
      close: () => client.close(),
    };
  }
  const client = postgres(target.url, {
    max: target.maxConnections ?? 10,
    onnotice: () => {},
    backoff: reconnectBackoffSeconds,
  });
  const db = drizzlePostgres(preparingEveryQuery(client), { schema });
  return {
    driver: "postgres",
    client,
    db: db as unknown as Db,
    migrate: async (setup) => {
      const lockHolder = await client.reserve();
      try {
        await lockHolder`select pg_advisory_lock(${migrationLockKey}::bigint)`;
        await migratePostgres(db, { migrationsFolder });
        await setup?.(db as unknown as Db);
      } finally {
        await lockHolder`select pg_advisory_unlock(${migrationLockKey}::bigint)`.catch(() => {});
        lockHolder.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}
