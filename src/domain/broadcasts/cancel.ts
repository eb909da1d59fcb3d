import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { broadcasts, outboxMessages } from "../../db/schema/index.js";
import { auditBroadcast, type BroadcastStatus } from "./store.js";

export type CancelResult =
  /** `withdrawn` rows were still pending and will not be sent. */
  | { kind: "cancelled"; withdrawn: number }
  | { kind: "not_found" }
  /** Already done or cancelled. */
  | { kind: "not_cancellable"; status: BroadcastStatus };

export const cancelledByStaff = "Dibatalkan: pengumuman dibatalkan oleh petugas";
export const cancelledByResident = "Dibatalkan: warga berhenti menerima pengumuman";

/**
 * Cancels a draft, scheduled or sending broadcast: status `cancelled`, and its rows still
 * `pending` become `cancelled` with the reason. Rows a worker is sending right now (`sending`)
 * go out; rows already settled stay as they are. One transaction; the broadcast row is locked
 * first, so a fan-out running at the same time either finishes before (its rows are withdrawn)
 * or finds the broadcast cancelled.
 */
export async function cancelBroadcast(
  db: Db,
  request: { organisationId: number; broadcastId: number; now: Date; cancelledBy?: number },
): Promise<CancelResult> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: broadcasts.id, status: broadcasts.status })
      .from(broadcasts)
      .where(
        and(
          eq(broadcasts.id, request.broadcastId),
          eq(broadcasts.organisationId, request.organisationId),
        ),
      )
      .for("update");
    if (!found) return { kind: "not_found" };
    if (found.status === "done" || found.status === "cancelled") {
      return { kind: "not_cancellable", status: found.status };
    }
    await tx.update(broadcasts).set({ status: "cancelled" }).where(eq(broadcasts.id, found.id));
    const withdrawn = await tx
      .update(outboxMessages)
      .set({ status: "cancelled", lastError: cancelledByStaff })
      .where(and(eq(outboxMessages.broadcastId, found.id), eq(outboxMessages.status, "pending")))
      .returning({ id: outboxMessages.id });
    await auditBroadcast(tx, {
      organisationId: request.organisationId,
      staffUserId: request.cancelledBy,
      action: "broadcast.cancelled",
      broadcastId: found.id,
      details: { withdrawn: withdrawn.length, was: found.status },
      now: request.now,
    });
    return { kind: "cancelled", withdrawn: withdrawn.length };
  });
}

/**
 * For BERHENTI: the resident's announcements not sent yet are withdrawn (cancelled with the
 * reason), in the caller's transaction. Reminders and replies are left alone. Returns how many.
 */
export async function withdrawAnnouncements(tx: Db, contactId: number): Promise<number> {
  const withdrawn = await tx
    .update(outboxMessages)
    .set({ status: "cancelled", lastError: cancelledByResident })
    .where(
      and(
        eq(outboxMessages.contactId, contactId),
        isNotNull(outboxMessages.broadcastId),
        eq(outboxMessages.status, "pending"),
      ),
    )
    .returning({ id: sql`1` });
  return withdrawn.length;
}
