import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { programmeSessions, programmes, registrations } from "../../db/schema/index.js";
import type { SessionFacts } from "./texts.js";

/** The session's place, or the programme's when the session has none. */
export const placeOf = sql<string>`coalesce(nullif(${programmeSessions.place}, ''), ${programmes.place})`;

export const sessionFactsColumns = {
  sessionId: programmeSessions.id,
  programmeId: programmeSessions.programmeId,
  startsAt: programmeSessions.startsAt,
  status: programmeSessions.status,
  title: programmes.title,
  place: placeOf,
  whatToBring: programmeSessions.whatToBring,
};

export interface SessionRow extends SessionFacts {
  sessionId: number;
  programmeId: number;
  status: "scheduled" | "cancelled";
}

/** One session with what residents are told about it; locked `FOR UPDATE` when asked. */
export async function findSession(
  db: Db,
  sessionId: number,
  lock = false,
): Promise<SessionRow | undefined> {
  const query = db
    .select(sessionFactsColumns)
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(eq(programmeSessions.id, sessionId));
  const [row] = lock ? await query.for("update", { of: programmeSessions }) : await query;
  return row;
}

/** Residents holding a seat (`registered`) in a programme, who can still be written to. */
export async function registeredResidents(
  db: Db,
  programmeId: number,
): Promise<{ registrationId: number; contactId: number }[]> {
  const rows = await db
    .select({ registrationId: registrations.id, contactId: registrations.contactId })
    .from(registrations)
    .where(
      and(
        eq(registrations.programmeId, programmeId),
        eq(registrations.status, "registered"),
        isNotNull(registrations.contactId),
      ),
    )
    .orderBy(registrations.id);
  return rows.flatMap(({ registrationId, contactId }) =>
    contactId === null ? [] : [{ registrationId, contactId }],
  );
}
