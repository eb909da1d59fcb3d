import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { auditLog, broadcasts } from "../../db/schema/index.js";

export type BroadcastRow = typeof broadcasts.$inferSelect;
export type BroadcastStatus = BroadcastRow["status"];

/**
 * The broadcast `broadcastId` if it belongs to `organisationId`; another organisation's
 * broadcast is not found (staff never learn it exists). `forUpdate` locks the row.
 */
export async function findBroadcast(
  db: Db,
  organisationId: number,
  broadcastId: number,
  options: { forUpdate?: boolean } = {},
): Promise<BroadcastRow | undefined> {
  const query = db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.organisationId, organisationId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** One audit row for a staff change to a broadcast. */
export async function auditBroadcast(
  db: Db,
  entry: {
    organisationId: number;
    staffUserId?: number | undefined;
    action: "broadcast.created" | "broadcast.sent" | "broadcast.cancelled";
    broadcastId: number;
    details?: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  await db.insert(auditLog).values({
    organisationId: entry.organisationId,
    staffUserId: entry.staffUserId ?? null,
    action: entry.action,
    subjectType: "broadcast",
    subjectId: String(entry.broadcastId),
    details: entry.details ?? {},
    createdAt: entry.now,
  });
}
