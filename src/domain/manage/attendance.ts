/**
 * Attendance per session as staff see and mark it: who holds a seat, what they answered to the
 * reminder (RSVP HADIR / TIDAK, recorded by the bot) and whether they came (marked by staff).
 */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import {
  attendance,
  contacts,
  programmeSessions,
  type RegistrationStatus,
  registrations,
} from "../../db/schema/index.js";
import { recordAudit } from "../../staff/audit.js";
import type { Staff } from "../../staff/principal.js";
import { findManagedSession, type ManagedSession } from "./sessions.js";

/** Registrations that take part in sessions. */
const attendingStatuses: readonly RegistrationStatus[] = ["registered", "completed"];

export interface SheetRow {
  registrationId: number;
  name: string | null;
  phone: string | null;
  status: RegistrationStatus;
  rsvp: "hadir" | "tidak" | null;
  attended: boolean | null;
}

export interface AttendanceSheet {
  session: ManagedSession;
  rows: SheetRow[];
}

/**
 * The attendance sheet of a session `staff` may see: residents holding a seat, and anyone with
 * an answer or a mark for it, by name. Undefined for another organisation's session.
 */
export async function attendanceSheet(
  db: Db,
  staff: Staff,
  sessionId: number,
): Promise<AttendanceSheet | undefined> {
  const session = await findManagedSession(db, staff, sessionId);
  if (!session) return undefined;
  const rows = await db
    .select({
      registrationId: registrations.id,
      name: contacts.name,
      phone: contacts.phone,
      status: registrations.status,
      rsvp: attendance.rsvp,
      attended: attendance.attended,
    })
    .from(registrations)
    .leftJoin(contacts, eq(contacts.id, registrations.contactId))
    .leftJoin(
      attendance,
      and(eq(attendance.registrationId, registrations.id), eq(attendance.sessionId, sessionId)),
    )
    .where(
      and(
        eq(registrations.programmeId, session.programmeId),
        or(
          inArray(registrations.status, attendingStatuses),
          sql`${attendance.sessionId} is not null`,
        ),
      ),
    )
    .orderBy(sql`lower(coalesce(${contacts.name}, ''))`, asc(registrations.id));
  return { session, rows };
}

export type MarkResult =
  | { result: "saved"; present: number; absent: number }
  | { result: "not_found" };

/**
 * Saves who came to a session: every resident on its sheet is marked present when listed in
 * `presentIds`, absent otherwise. Ids not on the sheet are ignored.
 */
export function markAttendance(
  db: Db,
  staff: Staff,
  sessionId: number,
  presentIds: readonly number[],
  now: Date,
): Promise<MarkResult> {
  return db.transaction(async (tx) => {
    const sheet = await attendanceSheet(tx, staff, sessionId);
    if (!sheet) return { result: "not_found" };
    let present = 0;
    for (const row of sheet.rows) {
      const attended = presentIds.includes(row.registrationId);
      if (attended) present++;
      await tx
        .insert(attendance)
        .values({ sessionId, registrationId: row.registrationId, attended, updatedAt: now })
        .onConflictDoUpdate({
          target: [attendance.sessionId, attendance.registrationId],
          set: { attended, updatedAt: now },
        });
    }
    const absent = sheet.rows.length - present;
    await recordAudit(tx, staff, {
      action: "session.attendance",
      subjectType: "programme_session",
      subjectId: sessionId,
      details: { present, absent },
    });
    return { result: "saved", present, absent };
  });
}

/** Every RSVP and mark of a programme's sessions (the caller has checked the programme is theirs). */
export function programmeAttendance(db: Db, programmeId: number) {
  return db
    .select({
      sessionId: attendance.sessionId,
      registrationId: attendance.registrationId,
      rsvp: attendance.rsvp,
      attended: attendance.attended,
    })
    .from(attendance)
    .innerJoin(programmeSessions, eq(programmeSessions.id, attendance.sessionId))
    .where(eq(programmeSessions.programmeId, programmeId));
}
