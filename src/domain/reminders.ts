/**
 * Session reminders and what happens when a session or registration changes.
 *
 * - `scheduleReminders`: an idempotent sweep (run every minute) making sure every resident
 *   holding a seat has two reminder rows in the outbox per upcoming session: the day before at
 *   16.00 WITA and 2 hours before the start (see `planReminders`). One dedupe key per session,
 *   registration, kind and start, so sweeping again adds nothing and a moved session gets new
 *   reminders. Each sweep also withdraws pending reminders that no longer hold.
 * - `sessionCancelled`, `sessionMoved`, `registrationCancelled`: withdraw pending reminders at
 *   once (in the caller's change) and tell the residents concerned.
 *
 * Decisions: reminders go to residents with status `registered` in programmes that are not
 * drafts (a `closed` programme stops taking registrations but its course goes on). They are
 * notices, not announcements: BERHENTI does not stop them. A resident who answered TIDAK HADIR
 * for a session gets no further reminder for it.
 */
import { and, eq, exists, gt, inArray, isNotNull, isNull, lte, ne, notExists } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  attendance,
  channelIdentities,
  contacts,
  outboxMessages,
  programmeSessions,
  programmes,
  registrations,
} from "../db/schema/index.js";
import { enqueueMessage } from "./outbox.js";
import { findSession, registeredResidents, sessionFactsColumns } from "./reminders/sessions.js";
import { reminderText, sessionCancelledText, sessionMovedText } from "./reminders/texts.js";
import { planReminders, type ReminderTiming, reminderKey } from "./reminders/timing.js";
import {
  withdrawReasons,
  withdrawReminders,
  withdrawStaleReminders,
} from "./reminders/withdraw.js";

export { parseRsvp, type RsvpAnswer, type RsvpResult, recordRsvp } from "./reminders/rsvp.js";
export { planReminders, reminderKey } from "./reminders/timing.js";
export { withdrawReminders } from "./reminders/withdraw.js";

export interface SweepOptions extends Partial<ReminderTiming> {
  now: Date;
  /** Sessions starting within this many days get their reminders; 8 by default. */
  horizonDays?: number;
}

export interface SweepResult {
  /** Reminder rows written by this sweep. */
  queued: number;
  /** Pending reminders cancelled because they no longer hold. */
  withdrawn: number;
}

const defaults = { dayBeforeAt: "16:00", hoursBefore: 2, horizonDays: 8 };
const dayMs = 86_400_000;
/** Keys looked up per query. */
const KEY_BATCH = 500;

/**
 * Makes sure every reminder due for the coming days is in the outbox. Safe to run as often as
 * wanted and from several processes at once: a reminder is one row per dedupe key, ever. Each
 * reminder is written in its own short transaction, so the sweep never holds many residents'
 * rows locked.
 */
export async function scheduleReminders(db: Db, options: SweepOptions): Promise<SweepResult> {
  const { now } = options;
  const timing: ReminderTiming = {
    dayBeforeAt: options.dayBeforeAt ?? defaults.dayBeforeAt,
    hoursBefore: options.hoursBefore ?? defaults.hoursBefore,
  };
  if (!(timing.hoursBefore > 0)) throw new RangeError("hoursBefore must be more than 0");
  const horizon = new Date(now.getTime() + (options.horizonDays ?? defaults.horizonDays) * dayMs);
  const withdrawn = await withdrawStaleReminders(db);
  const candidates = await db
    .select({
      ...sessionFactsColumns,
      registrationId: registrations.id,
      contactId: registrations.contactId,
    })
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .innerJoin(registrations, eq(registrations.programmeId, programmeSessions.programmeId))
    .innerJoin(contacts, eq(contacts.id, registrations.contactId))
    .where(
      and(
        eq(programmeSessions.status, "scheduled"),
        gt(programmeSessions.startsAt, now),
        lte(programmeSessions.startsAt, horizon),
        ne(programmes.status, "draft"),
        eq(registrations.status, "registered"),
        isNotNull(registrations.contactId),
        isNull(contacts.erasedAt),
        exists(
          db
            .select({ one: channelIdentities.id })
            .from(channelIdentities)
            .where(
              and(
                eq(channelIdentities.contactId, contacts.id),
                isNull(channelIdentities.unreachableAt),
              ),
            ),
        ),
        notExists(
          db
            .select({ one: attendance.sessionId })
            .from(attendance)
            .where(
              and(
                eq(attendance.sessionId, programmeSessions.id),
                eq(attendance.registrationId, registrations.id),
                eq(attendance.rsvp, "tidak"),
              ),
            ),
        ),
      ),
    )
    .orderBy(programmeSessions.startsAt, registrations.id);

  const wanted = candidates.flatMap((row) =>
    planReminders(row.startsAt, now, timing).map((reminder) => ({
      row,
      reminder,
      key: reminderKey(row.sessionId, row.registrationId, reminder.kind, row.startsAt),
    })),
  );
  const existing = new Set<string>();
  for (let i = 0; i < wanted.length; i += KEY_BATCH) {
    const keys = wanted.slice(i, i + KEY_BATCH).map((w) => w.key);
    const rows = await db
      .select({ key: outboxMessages.dedupeKey })
      .from(outboxMessages)
      .where(inArray(outboxMessages.dedupeKey, keys));
    for (const { key } of rows) if (key !== null) existing.add(key);
  }

  let queued = 0;
  for (const { row, reminder, key } of wanted) {
    if (existing.has(key) || row.contactId === null) continue;
    const contactId = row.contactId;
    const result = await db.transaction((tx) =>
      enqueueMessage(tx, {
        contactId,
        text: reminderText(row, reminder),
        priority: "notice",
        notBefore: reminder.notBefore,
        dedupeKey: key,
        now,
      }),
    );
    if (result.queued) queued++;
  }
  return { queued, withdrawn };
}

export type SessionChangeResult =
  | { result: "not_found" }
  /** `sessionMoved` with the start it already had: nothing to do. */
  | { result: "unchanged" }
  | { result: "done"; withdrawn: number; notified: number };

/**
 * A session was cancelled (the staff console, later): sets its status `cancelled` if not yet,
 * withdraws its pending reminders and, when it had not started yet, tells every resident holding
 * a seat. Run it in the transaction that cancels the session, or on its own.
 */
export function sessionCancelled(
  db: Db,
  input: { sessionId: number; now: Date },
): Promise<SessionChangeResult> {
  return db.transaction(async (tx) => {
    const session = await findSession(tx, input.sessionId, true);
    if (!session) return { result: "not_found" };
    if (session.status !== "cancelled") {
      await tx
        .update(programmeSessions)
        .set({ status: "cancelled", updatedAt: input.now })
        .where(eq(programmeSessions.id, input.sessionId));
    }
    const withdrawn = await withdrawReminders(tx, {
      sessionId: input.sessionId,
      now: input.now,
      reason: withdrawReasons.sessionCancelled,
    });
    let notified = 0;
    if (session.startsAt > input.now) {
      for (const resident of await registeredResidents(tx, session.programmeId)) {
        const sent = await enqueueMessage(tx, {
          contactId: resident.contactId,
          text: sessionCancelledText(session),
          priority: "notice",
          dedupeKey: `session-cancelled:${input.sessionId}:${resident.registrationId}`,
          now: input.now,
        });
        if (sent.queued) notified++;
      }
    }
    return { result: "done", withdrawn, notified };
  });
}

/**
 * A session was moved: call after updating its `starts_at` (and `ends_at`), with the start it
 * had. Withdraws the reminders made for the old start (the next sweep makes new ones), forgets
 * the RSVPs given for the old time (the new reminders ask again), and tells every resident
 * holding a seat when the new start is still ahead.
 */
export function sessionMoved(
  db: Db,
  input: { sessionId: number; previousStartsAt: Date; now: Date },
): Promise<SessionChangeResult> {
  return db.transaction(async (tx) => {
    const session = await findSession(tx, input.sessionId, true);
    if (!session) return { result: "not_found" };
    if (session.startsAt.getTime() === input.previousStartsAt.getTime()) {
      return { result: "unchanged" };
    }
    const withdrawn = await withdrawReminders(tx, {
      sessionId: input.sessionId,
      now: input.now,
      exceptStartsAt: session.startsAt,
      reason: withdrawReasons.sessionMoved,
    });
    await tx
      .update(attendance)
      .set({ rsvp: null, updatedAt: input.now })
      .where(and(eq(attendance.sessionId, input.sessionId), isNull(attendance.attended)));
    let notified = 0;
    if (session.status === "scheduled" && session.startsAt > input.now) {
      for (const resident of await registeredResidents(tx, session.programmeId)) {
        const sent = await enqueueMessage(tx, {
          contactId: resident.contactId,
          text: sessionMovedText(session, input.previousStartsAt),
          priority: "notice",
          dedupeKey: `session-moved:${input.sessionId}:${resident.registrationId}:${session.startsAt.toISOString()}`,
          now: input.now,
        });
        if (sent.queued) notified++;
      }
    }
    return { result: "done", withdrawn, notified };
  });
}

/**
 * A registration was cancelled (by the resident, staff or erasure): withdraws its pending
 * reminders. Call it in the transaction that cancels (`cancelRegistration`).
 */
export function registrationCancelled(
  db: Db,
  input: { registrationId: number; now: Date },
): Promise<number> {
  return withdrawReminders(db, {
    registrationId: input.registrationId,
    now: input.now,
    reason: withdrawReasons.registrationCancelled,
  });
}
