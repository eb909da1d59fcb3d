import { and, eq, like, notLike, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { outboxMessages } from "../../db/schema/index.js";
import { reminderKeyPrefix } from "./timing.js";

/** Why a reminder was withdrawn, for staff reading the outbox (`last_error`, Indonesian). */
export const withdrawReasons = {
  sessionCancelled: "Dibatalkan: sesi dibatalkan",
  sessionMoved: "Dibatalkan: jadwal sesi dipindah",
  registrationCancelled: "Dibatalkan: pendaftaran dibatalkan",
  notAttending: "Dibatalkan: warga menjawab tidak hadir",
  stale: "Dibatalkan: pengingat tidak berlaku lagi",
} as const;

export interface WithdrawRequest {
  sessionId?: number;
  registrationId?: number;
  now: Date;
  /** Keep the reminders made for this start (a moved session's new ones). */
  exceptStartsAt?: Date;
  reason?: string;
}

/**
 * Cancels the pending reminder rows of a session, of a registration, or of both together (status
 * pending → cancelled). Rows already being sent or sent are left alone. Returns how many.
 * Their dedupe keys stay taken, so a sweep never brings the same reminder back.
 */
export async function withdrawReminders(db: Db, request: WithdrawRequest): Promise<number> {
  if (request.sessionId === undefined && request.registrationId === undefined) {
    throw new Error("withdrawReminders needs a sessionId or a registrationId");
  }
  const key = outboxMessages.dedupeKey;
  const conditions: SQL[] = [
    eq(outboxMessages.status, "pending"),
    like(key, `${reminderKeyPrefix}%`),
  ];
  if (request.sessionId !== undefined) {
    conditions.push(sql`split_part(${key}, ':', 2) = ${String(request.sessionId)}`);
  }
  if (request.registrationId !== undefined) {
    conditions.push(sql`split_part(${key}, ':', 3) = ${String(request.registrationId)}`);
  }
  if (request.exceptStartsAt !== undefined) {
    conditions.push(notLike(key, `%:${request.exceptStartsAt.toISOString()}`));
  }
  const withdrawn = await db
    .update(outboxMessages)
    .set({ status: "cancelled", lastError: request.reason ?? withdrawReasons.stale })
    .where(and(...conditions))
    .returning({ id: outboxMessages.id });
  return withdrawn.length;
}

/**
 * Cancels pending reminders that no longer hold: the session was cancelled or moved (its start
 * differs from the one in the key), the registration is no longer `registered`, or the resident
 * said they will not come. A safety net for call-sites that forgot to withdraw; runs in each sweep.
 */
export async function withdrawStaleReminders(db: Db): Promise<number> {
  const key = outboxMessages.dedupeKey;
  const withdrawn = await db
    .update(outboxMessages)
    .set({ status: "cancelled", lastError: withdrawReasons.stale })
    .where(
      and(
        eq(outboxMessages.status, "pending"),
        like(key, `${reminderKeyPrefix}%`),
        sql`not exists (
          select 1
          from programme_sessions s
          join registrations r on r.programme_id = s.programme_id
          where s.id = substring(${key} from '^reminder:([0-9]+):')::int
            and r.id = substring(${key} from '^reminder:[0-9]+:([0-9]+):')::int
            and date_trunc('milliseconds', s.starts_at)
              = substring(${key} from '^reminder:[0-9]+:[0-9]+:[a-z_]+:([0-9TZ:.-]+)$')::timestamptz
            and s.status = 'scheduled'
            and r.status = 'registered'
            and not exists (
              select 1 from attendance a
              where a.session_id = s.id and a.registration_id = r.id and a.rsvp = 'tidak'
            )
        )`,
      ),
    )
    .returning({ id: outboxMessages.id });
  return withdrawn.length;
}
