import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { atomically, type Db } from "../db/client.js";
import { programmes, type RegistrationStatus, registrations } from "../db/schema/index.js";
import { formatDateTime } from "../engine/format.js";
import { enqueueMessage } from "./outbox.js";
import { nextSessionAt, seatHoldingStatuses } from "./programmes.js";
import { registrationCancelled } from "./reminders.js";

/** A resident has at most one registration in these statuses per programme (partial unique index). */
export const activeStatuses: readonly RegistrationStatus[] = [
  "registered",
  "waitlisted",
  "offered",
];

export type RegisterResult =
  | { result: "registered"; registrationId: number; title: string }
  | { result: "waitlisted"; registrationId: number; position: number; title: string }
  | {
      result: "already_registered";
      registrationId: number;
      /** Waitlist position when the existing registration is waitlisted. */
      position: number | null;
      title: string;
    }
  /** No such programme, or it does not take registrations (draft or closed). */
  | { result: "closed"; title: string | null };

/**
 * Locks the programme row: registrations, cancellations and answers to offers of one programme
 * take turns. `seatsTaken` is then exact until the transaction ends (the trigger of migration
 * 0003_seats_taken changes it with each registration this transaction writes).
 */
export async function lockProgramme(tx: Db, programmeId: number) {
  const [programme] = await tx
    .select({
      id: programmes.id,
      title: programmes.title,
      status: programmes.status,
      capacity: programmes.capacity,
      seatsTaken: programmes.seatsTaken,
    })
    .from(programmes)
    .where(eq(programmes.id, programmeId))
    .for("update");
  return programme;
}

/**
 * Registers a resident: a seat while fewer residents than the capacity hold one, otherwise the
 * end of the waitlist. The programme row is locked `FOR UPDATE`, so two residents racing for the
 * last seat are served one after the other and only one gets it; its `seats_taken` says whether
 * a seat is left, without counting the registrations.
 */
export function register(
  db: Db,
  input: { contactId: number; programmeId: number; now: Date },
): Promise<RegisterResult> {
  return atomically(db, async (tx) => {
    // Sent together, run in order: the read starts once the lock is held, so it sees every
    // registration committed before it, and the lock is held for one round trip, not two.
    const [programme, existing] = await Promise.all([
      lockProgramme(tx, input.programmeId),
      activeRegistration(tx, input.programmeId, input.contactId),
    ]);
    if (programme?.status !== "open") {
      return { result: "closed", title: programme?.title ?? null };
    }
    const { title } = programme;
    if (existing) {
      const { id: registrationId, waitlistPosition: position } = existing;
      return { result: "already_registered", registrationId, position, title };
    }
    const seated = programme.seatsTaken < programme.capacity;
    const [created] = await tx
      .insert(registrations)
      .values({
        programmeId: programme.id,
        contactId: input.contactId,
        status: seated ? "registered" : "waitlisted",
        // The end of the line, counted under the lock (the waitlist is numbered 1, 2, 3 …).
        waitlistPosition: seated
          ? null
          : sql`(select count(*) + 1 from ${registrations} where ${registrations.programmeId} = ${programme.id} and ${registrations.status} = 'waitlisted')`,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .onConflictDoNothing()
      .returning({ id: registrations.id, position: registrations.waitlistPosition });
    if (!created) {
      // Only reachable if a registration was written without locking the programme first.
      const winner = await activeRegistration(tx, input.programmeId, input.contactId);
      if (!winner) throw new Error("registration conflict without an active registration");
      const { id: registrationId, waitlistPosition } = winner;
      return { result: "already_registered", registrationId, position: waitlistPosition, title };
    }
    const { id: registrationId, position } = created;
    if (position === null) return { result: "registered", registrationId, title };
    return { result: "waitlisted", registrationId, position, title };
  });
}

/**
 * The statuses written out in the statement, not sent as parameters: only then can the planner
 * use the partial unique index on active registrations (one row) instead of reading every
 * active registration of the programme, thousands for a popular one.
 */
const isActive = sql`${registrations.status} in ${sql.raw(
  `(${activeStatuses.map((status) => `'${status}'`).join(", ")})`,
)}`;

async function activeRegistration(tx: Db, programmeId: number, contactId: number) {
  const [row] = await tx
    .select({ id: registrations.id, waitlistPosition: registrations.waitlistPosition })
    .from(registrations)
    .where(
      and(
        eq(registrations.programmeId, programmeId),
        eq(registrations.contactId, contactId),
        isActive,
      ),
    );
  return row;
}

export type CancelResult = { result: "cancelled"; title: string } | { result: "not_found" };

/**
 * Cancels one of the resident's active registrations (a seat, a place on the waitlist or an
 * offer). A freed seat is offered to the waitlist (`fillFreedSeat`); leaving the waitlist moves the residents behind one place up.
 */
export function cancelRegistration(
  db: Db,
  input: {
    contactId: number;
    registrationId: number;
    now: Date;
    /** How long the next in line has to accept the freed seat; DEFAULT_OFFER_TTL_MS if absent. */
    offerTtlMs?: number | undefined;
  },
): Promise<CancelResult> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ programmeId: registrations.programmeId })
      .from(registrations)
      .where(
        and(
          eq(registrations.id, input.registrationId),
          eq(registrations.contactId, input.contactId),
        ),
      );
    if (!found) return { result: "not_found" };
    const programme = await lockProgramme(tx, found.programmeId);
    const [before] = await tx
      .select({ status: registrations.status })
      .from(registrations)
      .where(
        and(
          eq(registrations.id, input.registrationId),
          inArray(registrations.status, activeStatuses),
        ),
      )
      .for("update");
    if (!programme || !before) return { result: "not_found" };
    await tx
      .update(registrations)
      .set({ status: "cancelled", waitlistPosition: null, updatedAt: input.now })
      .where(eq(registrations.id, input.registrationId));
    await registrationCancelled(tx, { registrationId: input.registrationId, now: input.now });
    if (seatHoldingStatuses.includes(before.status)) {
      await fillFreedSeat(tx, {
        programmeId: programme.id,
        now: input.now,
        offerTtlMs: input.offerTtlMs,
      });
    } else {
      await renumberWaitlist(tx, programme.id, input.now);
    }
    return { result: "cancelled", title: programme.title };
  });
}

/** How long a resident offered a freed seat has to accept it, unless configured (OFFER_TTL). */
export const DEFAULT_OFFER_TTL_MS = 24 * 3_600_000;

/**
 * Offers free seats to the waitlist, first in line first: each gets status `offered` (which
 * holds the seat) until `offer_expires_at`, and a notice through the outbox asking TERIMA or
 * TOLAK (see offers.ts for the answer and the expiry sweep). This is the one place that decides
 * what a freed seat does. Runs in the caller's transaction and locks the programme row (already
 * held when called from a cancel). Returns the ids of the registrations offered a seat.
 */
export async function fillFreedSeat(
  tx: Db,
  input: { programmeId: number; now: Date; offerTtlMs?: number | undefined },
): Promise<number[]> {
  const programme = await lockProgramme(tx, input.programmeId);
  if (!programme) return [];
  const expiresAt = new Date(input.now.getTime() + (input.offerTtlMs ?? DEFAULT_OFFER_TTL_MS));
  const offered: number[] = [];
  let taken = programme.seatsTaken;
  while (taken < programme.capacity) {
    const [next] = await tx
      .select({ id: registrations.id, contactId: registrations.contactId })
      .from(registrations)
      .where(
        and(eq(registrations.programmeId, programme.id), eq(registrations.status, "waitlisted")),
      )
      .orderBy(asc(registrations.waitlistPosition), asc(registrations.id))
      .limit(1);
    if (!next) break;
    if (next.contactId === null) {
      // An anonymised registration cannot answer an offer: it leaves the line instead.
      await tx
        .update(registrations)
        .set({ status: "cancelled", waitlistPosition: null, updatedAt: input.now })
        .where(eq(registrations.id, next.id));
      continue;
    }
    await tx
      .update(registrations)
      .set({
        status: "offered",
        waitlistPosition: null,
        offerExpiresAt: expiresAt,
        updatedAt: input.now,
      })
      .where(eq(registrations.id, next.id));
    offered.push(next.id);
    taken++;
    const first = await nextSessionAt(tx, programme.id, input.now);
    await enqueueMessage(tx, {
      contactId: next.contactId,
      text: offerText(programme.title, first, expiresAt),
      priority: "notice",
      dedupeKey: `registration-offer:${next.id}`,
      now: input.now,
    });
  }
  await renumberWaitlist(tx, programme.id, input.now);
  return offered;
}

/** The notice that offers a freed seat; the deadline is absolute, in WITA. */
export function offerText(title: string, first: Date | null, expiresAt: Date): string {
  const when = first ? ` Sesi pertama Anda: ${formatDateTime(first)}.` : "";
  return [
    `Kabar baik! Ada kursi kosong di ${title}.${when}`,
    `Ketik TERIMA untuk mengambil kursi ini sebelum ${formatDateTime(expiresAt)}, atau TOLAK jika tidak jadi ikut.`,
    "Jika belum ada jawaban sampai waktu itu, kursi ditawarkan ke warga berikutnya di daftar tunggu.",
  ].join(" ");
}

/** Numbers the waitlist 1, 2, 3 … again, keeping its order. */
export async function renumberWaitlist(tx: Db, programmeId: number, now: Date): Promise<void> {
  await tx.execute(sql`
    update ${registrations} set waitlist_position = line.position, updated_at = ${now.toISOString()}
    from (
      select id, row_number() over (order by waitlist_position, id) as position
      from ${registrations}
      where programme_id = ${programmeId} and status = 'waitlisted'
    ) as line
    where ${registrations.id} = line.id and ${registrations.waitlistPosition} is distinct from line.position`);
}

export interface MyRegistration {
  id: number;
  programmeId: number;
  title: string;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  /** Until when an offered seat waits for the resident's answer; null unless offered. */
  offerExpiresAt: Date | null;
  updatedAt: Date;
}

/** The resident's registrations, most recently changed first. */
export function myRegistrations(db: Db, contactId: number): Promise<MyRegistration[]> {
  return db
    .select({
      id: registrations.id,
      programmeId: registrations.programmeId,
      title: programmes.title,
      status: registrations.status,
      waitlistPosition: registrations.waitlistPosition,
      offerExpiresAt: registrations.offerExpiresAt,
      updatedAt: registrations.updatedAt,
    })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .where(eq(registrations.contactId, contactId))
    .orderBy(desc(registrations.updatedAt), desc(registrations.id));
}

/** "Terdaftar", "Daftar tunggu no. 2", "Ditawari kursi — jawab sebelum Minggu, …", … */
export function registrationStatusLabel(
  registration: Pick<MyRegistration, "status" | "waitlistPosition"> &
    Partial<Pick<MyRegistration, "offerExpiresAt">>,
): string {
  switch (registration.status) {
    case "registered":
      return "Terdaftar";
    case "waitlisted":
      return registration.waitlistPosition === null
        ? "Daftar tunggu"
        : `Daftar tunggu no. ${registration.waitlistPosition}`;
    case "offered":
      return registration.offerExpiresAt
        ? `Ditawari kursi — jawab sebelum ${formatDateTime(registration.offerExpiresAt)}`
        : "Ditawari kursi";
    case "cancelled":
      return "Dibatalkan";
    case "completed":
      return "Selesai";
  }
}
