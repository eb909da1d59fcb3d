/**
 * Sessions as staff manage them (console and API): add, move, cancel. Moving and cancelling go
 * through `sessionMoved` / `sessionCancelled` (reminders withdrawn, residents told through the
 * outbox) in the same transaction as the change and its audit entry. New and moved sessions get
 * their reminders from the minute sweep (`scheduleReminders`), which looks 8 days ahead.
 */
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { attendance, programmeSessions, programmes } from "../../db/schema/index.js";
import { recordAudit } from "../../staff/audit.js";
import { ownedBy, type Staff } from "../../staff/principal.js";
import { registeredResidents } from "../reminders/sessions.js";
import { sessionCancelled, sessionMoved } from "../reminders.js";

export interface SessionInput {
  startsAt: Date;
  endsAt: Date;
  /** Empty: the programme's place. */
  place: string;
  whatToBring: string;
}

export type SessionProblem =
  | { field: "startsAt"; reason: "in_past" }
  | { field: "endsAt"; reason: "ends_before_start" }
  | { field: "status"; reason: "cancelled" };

export type SessionChange =
  | { result: "saved"; id: number; programmeId: number; notified: number }
  | { result: "not_found" }
  | ({ result: "invalid" } & SessionProblem);

const counted = (condition: ReturnType<typeof sql>) =>
  sql`(select count(*) from ${attendance} where ${attendance.sessionId} = ${programmeSessions.id} and ${condition})`.mapWith(
    Number,
  );

const sessionColumns = {
  ...getTableColumns(programmeSessions),
  rsvpYes: counted(sql`${attendance.rsvp} = 'hadir'`),
  rsvpNo: counted(sql`${attendance.rsvp} = 'tidak'`),
  attended: counted(sql`${attendance.attended}`),
};

export type ManagedSession = Awaited<ReturnType<typeof listSessions>>[number];

/** The sessions of a programme `staff` may see, in time order, with RSVP and attendance counts. */
export function listSessions(db: Db, staff: Staff, programmeId: number) {
  return db
    .select(sessionColumns)
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(
      and(
        eq(programmeSessions.programmeId, programmeId),
        ownedBy(staff, programmes.organisationId),
      ),
    )
    .orderBy(asc(programmeSessions.startsAt), asc(programmeSessions.id));
}

/** One session `staff` may see; undefined for another organisation's. */
export async function findManagedSession(
  db: Db,
  staff: Staff,
  sessionId: number,
): Promise<ManagedSession | undefined> {
  const [row] = await db
    .select(sessionColumns)
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(and(eq(programmeSessions.id, sessionId), ownedBy(staff, programmes.organisationId)));
  return row;
}

/**
 * How many residents hear about a change that makes the session start at `startsAt` (a move) or
 * cancels it (`startsAt` = its current start): those holding a seat, if it is still ahead.
 */
export async function residentsToTell(
  db: Db,
  session: Pick<ManagedSession, "programmeId">,
  startsAt: Date,
  now: Date,
): Promise<number> {
  if (startsAt <= now) return 0;
  return (await registeredResidents(db, session.programmeId)).length;
}

function problemWith(input: SessionInput, now: Date): SessionProblem | undefined {
  if (input.startsAt <= now) return { field: "startsAt", reason: "in_past" };
  if (input.endsAt <= input.startsAt) return { field: "endsAt", reason: "ends_before_start" };
  return undefined;
}

export function addSession(
  db: Db,
  staff: Staff,
  programmeId: number,
  input: SessionInput,
  now: Date,
): Promise<SessionChange> {
  return db.transaction(async (tx) => {
    const [programme] = await tx
      .select({ id: programmes.id })
      .from(programmes)
      .where(and(eq(programmes.id, programmeId), ownedBy(staff, programmes.organisationId)));
    if (!programme) return { result: "not_found" };
    const problem = problemWith(input, now);
    if (problem) return { result: "invalid", ...problem };
    const [created] = await tx
      .insert(programmeSessions)
      .values({ programmeId, ...input, createdAt: now, updatedAt: now })
      .returning({ id: programmeSessions.id });
    if (!created) throw new Error("session not created");
    await recordAudit(tx, staff, {
      action: "session.create",
      subjectType: "programme_session",
      subjectId: created.id,
      details: { programmeId, startsAt: input.startsAt.toISOString() },
    });
    return { result: "saved", id: created.id, programmeId, notified: 0 };
  });
}

/** Moves a session (and may change its place and what to bring); residents are told of a new time. */
export function moveSession(
  db: Db,
  staff: Staff,
  sessionId: number,
  input: SessionInput,
  now: Date,
): Promise<SessionChange> {
  return db.transaction(async (tx) => {
    const session = await findManagedSession(tx, staff, sessionId);
    if (!session) return { result: "not_found" };
    if (session.status === "cancelled") {
      return { result: "invalid", field: "status", reason: "cancelled" };
    }
    const problem = problemWith(input, now);
    if (problem) return { result: "invalid", ...problem };
    await tx
      .update(programmeSessions)
      .set({ ...input, updatedAt: now })
      .where(eq(programmeSessions.id, sessionId));
    const moved = await sessionMoved(tx, {
      sessionId,
      previousStartsAt: session.startsAt,
      now,
    });
    const notified = moved.result === "done" ? moved.notified : 0;
    await recordAudit(tx, staff, {
      action: "session.move",
      subjectType: "programme_session",
      subjectId: sessionId,
      details: {
        from: session.startsAt.toISOString(),
        to: input.startsAt.toISOString(),
        notified,
      },
    });
    return { result: "saved", id: sessionId, programmeId: session.programmeId, notified };
  });
}

/** Cancels a session; residents holding a seat are told when it had not started yet. */
export function cancelSession(
  db: Db,
  staff: Staff,
  sessionId: number,
  now: Date,
): Promise<SessionChange> {
  return db.transaction(async (tx) => {
    const session = await findManagedSession(tx, staff, sessionId);
    if (!session) return { result: "not_found" };
    const cancelled = await sessionCancelled(tx, { sessionId, now });
    const notified = cancelled.result === "done" ? cancelled.notified : 0;
    await recordAudit(tx, staff, {
      action: "session.cancel",
      subjectType: "programme_session",
      subjectId: sessionId,
      details: { startsAt: session.startsAt.toISOString(), notified },
    });
    return { result: "saved", id: sessionId, programmeId: session.programmeId, notified };
  });
}
