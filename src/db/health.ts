import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { bigint, pgSchema, serial, text } from "drizzle-orm/pg-core";
import { type Db, migrationsFolder } from "./client.js";

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
  | { ok: false; reason: "unreachable" | "migrations_pending"; detail: string };

/** Whether the database answers and every shipped migration has been applied. */
export async function checkDatabase(db: Db): Promise<DatabaseHealth> {
  try {
    const [row] = await db.select({ applied: sql<number>`count(*)::int` }).from(appliedMigrations);
    const applied = row?.applied ?? 0;
    if (applied < shippedMigrationCount) {
      return {
        ok: false,
        reason: "migrations_pending",
        detail: `${applied} of ${shippedMigrationCount} migrations applied`,
      };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: "unreachable", detail: (error as Error).message };
  }
}
