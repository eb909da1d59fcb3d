import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { broadcasts } from "../../db/schema/index.js";
import { fanOut } from "./fan-out.js";
import { auditBroadcast, type BroadcastRow, type BroadcastStatus, findBroadcast } from "./store.js";

export type SendResult =
  /** Queued for `queued` residents; status `sending`, or `done` when nobody was in the audience. */
  | { kind: "queued"; queued: number }
  | { kind: "not_found" }
  /** Already sending, done or cancelled: nothing queued again. */
  | { kind: "not_sendable"; status: BroadcastStatus };

export interface SendRequest {
  organisationId: number;
  broadcastId: number;
  now: Date;
  /** The staff user who pressed send, for the audit log. */
  sentBy?: number;
}

/**
 * Sends a draft or scheduled broadcast: status `sending` and the fan-out (see `fanOut`) in one
 * transaction. A scheduled broadcast sent early is queued now and delivered at its time. A
 * second call, or a call racing the sweep, finds the status changed and queues nothing.
 */
export async function sendBroadcast(db: Db, request: SendRequest): Promise<SendResult> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(broadcasts)
      .set({ status: "sending" })
      .where(
        and(
          eq(broadcasts.id, request.broadcastId),
          eq(broadcasts.organisationId, request.organisationId),
          inArray(broadcasts.status, ["draft", "scheduled"]),
        ),
      )
      .returning();
    if (!claimed) {
      const found = await findBroadcast(tx, request.organisationId, request.broadcastId);
      return found ? { kind: "not_sendable", status: found.status } : { kind: "not_found" };
    }
    const queued = await queue(tx, claimed, request.now);
    await auditBroadcast(tx, {
      organisationId: claimed.organisationId,
      staffUserId: request.sentBy,
      action: "broadcast.sent",
      broadcastId: claimed.id,
      details: { queued },
      now: request.now,
    });
    return { kind: "queued", queued };
  });
}

async function queue(tx: Db, broadcast: BroadcastRow, now: Date): Promise<number> {
  const queued = await fanOut(tx, broadcast, now);
  if (queued === 0) {
    await tx.update(broadcasts).set({ status: "done" }).where(eq(broadcasts.id, broadcast.id));
  }
  return queued;
}

export interface SweepResult {
  sent: { broadcastId: number; queued: number }[];
  /** Broadcasts whose fan-out threw; left `scheduled`, tried again at the next sweep. */
  failed: { broadcastId: number; error: unknown }[];
}

/**
 * Sends every scheduled broadcast whose time has come, each in its own transaction. The row is
 * taken with `FOR UPDATE SKIP LOCKED`, so any number of processes may sweep at once and each
 * broadcast is sent by exactly one. Run it every minute.
 */
export async function dueScheduledBroadcasts(db: Db, now: Date): Promise<SweepResult> {
  const result: SweepResult = { sent: [], failed: [] };
  const tried: number[] = [];
  for (;;) {
    const skip = tried.length > 0 ? sql`and id not in (${sql.join(tried, sql`, `)})` : sql``;
    let picked: number | undefined;
    try {
      const sent = await db.transaction(async (tx) => {
        const [due] = await tx
          .select()
          .from(broadcasts)
          .where(
            sql`status = 'scheduled' and scheduled_at <= ${now.toISOString()}::timestamptz ${skip}`,
          )
          .orderBy(broadcasts.scheduledAt, broadcasts.id)
          .limit(1)
          .for("update", { skipLocked: true });
        if (!due) return undefined;
        picked = due.id;
        const [claimed] = await tx
          .update(broadcasts)
          .set({ status: "sending" })
          .where(eq(broadcasts.id, due.id))
          .returning();
        if (!claimed) throw new Error(`broadcast ${due.id} vanished`);
        const queued = await queue(tx, claimed, now);
        await auditBroadcast(tx, {
          organisationId: claimed.organisationId,
          action: "broadcast.sent",
          broadcastId: claimed.id,
          details: { queued, scheduled: true },
          now,
        });
        return { broadcastId: claimed.id, queued };
      });
      if (!sent) return result;
      result.sent.push(sent);
    } catch (error) {
      if (picked === undefined) throw error;
      result.failed.push({ broadcastId: picked, error });
    }
    if (picked !== undefined) tried.push(picked);
  }
}
