/**
 * When session reminders go out: pure, no I/O. Two per session and registration: the day before
 * at a WITA wall-clock time (16.00 by default) and some hours before the start (2 by default).
 */
import { makassarDate, makassarTimeToInstant } from "../../engine/format.js";

export type ReminderKind = "day_before" | "hours_before";

export interface ReminderTiming {
  /** WITA wall-clock time "HH:MM" of the day-before reminder. */
  dayBeforeAt: string;
  /** Hours before the start of the second reminder. */
  hoursBefore: number;
}

export interface PlannedReminder {
  kind: ReminderKind;
  /** When delivery may send it. */
  notBefore: Date;
  /**
   * Sent at once because its time has passed (the resident registered late, or the sweep did not
   * run): its text then uses no "besok" / "hari ini", since quiet hours may hold it overnight.
   */
  late: boolean;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** A late hours-before reminder is still worth sending this long before the start. */
export const lateReminderMinimumMs = 30 * 60_000;

/**
 * The reminders a session starting at `startsAt` should have, seen at `now`:
 * - day before at `dayBeforeAt` WITA; if that has passed, sent at once, but only while it is
 *   still the WITA day before and more than `hoursBefore` hours remain (otherwise the
 *   hours-before reminder alone is enough);
 * - `hoursBefore` hours before the start; if that has passed, sent at once while at least 30
 *   minutes remain.
 * A day-before time that is not earlier than the hours-before time is dropped.
 */
export function planReminders(
  startsAt: Date,
  now: Date,
  timing: ReminderTiming,
): PlannedReminder[] {
  const start = startsAt.getTime();
  const at = now.getTime();
  if (start <= at) return [];
  const planned: PlannedReminder[] = [];
  const hoursAt = start - timing.hoursBefore * hourMs;
  const dayBefore = makassarTimeToInstant(
    makassarDate(new Date(start - dayMs)),
    timing.dayBeforeAt,
  ).getTime();
  if (dayBefore < hoursAt) {
    if (at < dayBefore) {
      planned.push({ kind: "day_before", notBefore: new Date(dayBefore), late: false });
    } else if (at < hoursAt && makassarDate(now) !== makassarDate(startsAt)) {
      planned.push({ kind: "day_before", notBefore: now, late: true });
    }
  }
  if (at < hoursAt) {
    planned.push({ kind: "hours_before", notBefore: new Date(hoursAt), late: false });
  } else if (start - at >= lateReminderMinimumMs) {
    planned.push({ kind: "hours_before", notBefore: now, late: true });
  }
  return planned;
}

/** The prefix of every reminder's dedupe key. */
export const reminderKeyPrefix = "reminder:";

/**
 * `reminder:<sessionId>:<registrationId>:<kind>:<startsAt ISO>`. The start is part of the key,
 * so a moved session gets new reminders while the old rows keep theirs.
 */
export function reminderKey(
  sessionId: number,
  registrationId: number,
  kind: ReminderKind,
  startsAt: Date,
): string {
  return `${reminderKeyPrefix}${sessionId}:${registrationId}:${kind}:${startsAt.toISOString()}`;
}
