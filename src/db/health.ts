import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { bigint, pgSchema, serial, text } from "drizzle-orm/pg-core";
import { type Db, migrationsFolder } from "./client.js";
import { dataFolderSpace } from "./data-folder.js";
import { unavailableCode } from "./unavailable.js";

/** Drizzle's own bookkeeping table: one row per applied migration. */
const appliedMigrations = pgSchema("drizzle").table("__drizzle_migrations", {
  id: serial("id").primaryKey(),
  hash: text("hash").notNull(),
  createdAt: bigint("created_at", { mode: "number" }),
});

const shippedMigrationCount = (
  JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  }
).entries.length;

export type DatabaseHealth =
  | { ok: true }
  | { ok: false; reason: "unreachable" | "migrations_pending" | "disk_full"; detail: string };

/** A database that has not answered within this long counts as unreachable. */
const answerWithinMs = 5_000;

/**
 * Whether the database answers (within 5 s), every shipped migration has been applied and, for
 * the embedded database (`dataFolder`: its folder on disk), the disk has room to write. The detail says why not: "unreachable:
 * ECONNREFUSED", "unreachable: no answer within 5 s", "3 of 5 migrations applied", "disk full:
 * 12 KB free for the embedded database in data/pglite; free some space".
 */
export async function checkDatabase(db: Db, dataFolder?: string): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${answerWithinMs / 1000} s`)),
      answerWithinMs,
    );
  });
  try {
    const [row] = await Promise.race([
      db.select({ applied: sql<number>`count(*)::int` }).from(appliedMigrations),
      timeout,
    ]);
    const applied = row?.applied ?? 0;
    if (applied < shippedMigrationCount) {
      return {
        ok: false,
        reason: "migrations_pending",
        detail: `${applied} of ${shippedMigrationCount} migrations applied`,
      };
    }
    const space = dataFolder ? await dataFolderSpace(dataFolder) : { ok: true as const };
    return space.ok ? { ok: true } : { ok: false, reason: "disk_full", detail: space.detail };
  } catch (error) {
    const why = unavailableCode(error) ?? (error as Error).message;
    return { ok: false, reason: "unreachable", detail: `unreachable: ${why}` };
  } finally {
    clearTimeout(timer);
  }
}
