/**
 * A programme's participants as staff see them (console Peserta and the API): who registered,
 * their status and waitlist place, and cancelling a registration for a resident. Cancelling goes
 * through `cancelRegistration`, so a freed seat is offered to the waitlist, and the resident is
 * told through the outbox, in the same transaction as the audit entry.
 */
import { and, asc, count, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import {
  areas,
  channelIdentities,
  contacts,
  programmes,
  type RegistrationStatus,
  registrations,
} from "../../db/schema/index.js";
import { recordAudit } from "../../staff/audit.js";
import { ownedBy, type Staff } from "../../staff/principal.js";
import { enqueueMessage } from "../outbox.js";
import { activeStatuses, cancelRegistration } from "../registrations.js";

const statusOrder = sql`case ${registrations.status}
  when 'registered' then 1 when 'offered' then 2 when 'waitlisted' then 3
  when 'completed' then 4 else 5 end`;

const participantColumns = {
  id: registrations.id,
  programmeId: registrations.programmeId,
  contactId: registrations.contactId,
  status: registrations.status,
  waitlistPosition: registrations.waitlistPosition,
  offerExpiresAt: registrations.offerExpiresAt,
  createdAt: registrations.createdAt,
  updatedAt: registrations.updatedAt,
  /** Null once the resident erased their data. */
  name: contacts.name,
  phone: contacts.phone,
  kelurahan: areas.name,
  /** "simulator", "telegram, whatsapp" … */
  channels: sql<string>`coalesce((select string_agg(distinct ${channelIdentities.channel}, ', ')
    from ${channelIdentities} where ${channelIdentities.contactId} = ${registrations.contactId}), '')`,
};

export type Participant = Awaited<ReturnType<typeof selectParticipants>>[number];

function selectParticipants(db: Db, where: SQL | undefined) {
  return db
    .select(participantColumns)
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .leftJoin(contacts, eq(contacts.id, registrations.contactId))
    .leftJoin(areas, eq(areas.code, contacts.kelurahanCode))
    .where(where)
    .orderBy(statusOrder, asc(registrations.waitlistPosition), asc(registrations.id))
    .$dynamic();
}

export interface ParticipantFilter {
  status?: RegistrationStatus | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * The registrations of a programme `staff` may see: seats first, then offers, the waitlist in
 * its order, completed and cancelled. Undefined when the programme is not theirs.
 */
export async function listParticipants(
  db: Db,
  staff: Staff,
  programmeId: number,
  filter: ParticipantFilter = {},
): Promise<{ participants: Participant[]; total: number } | undefined> {
  const [programme] = await db
    .select({ id: programmes.id })
    .from(programmes)
    .where(and(eq(programmes.id, programmeId), ownedBy(staff, programmes.organisationId)));
  if (!programme) return undefined;
  const where = and(
    eq(registrations.programmeId, programmeId),
    filter.status ? eq(registrations.status, filter.status) : undefined,
  );
  let query = selectParticipants(db, where);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  if (filter.offset !== undefined) query = query.offset(filter.offset);
  const [total] = await db.select({ n: count() }).from(registrations).where(where);
  return { participants: await query, total: total?.n ?? 0 };
}

/** One registration `staff` may see; undefined for another organisation's. */
export async function findParticipant(
  db: Db,
  staff: Staff,
  registrationId: number,
): Promise<Participant | undefined> {
  const [row] = await selectParticipants(
    db,
    and(eq(registrations.id, registrationId), ownedBy(staff, programmes.organisationId)),
  );
  return row;
}

/** Told to a resident whose registration staff cancelled. */
export function cancelledByStaffText(title: string): string {
  return `Pendaftaran Anda di ${title} dibatalkan oleh petugas. Jika ada pertanyaan, ketik BANTUAN untuk bicara dengan petugas, atau DAFTAR untuk melihat program lain.`;
}

export type StaffCancelResult =
  | { result: "cancelled"; programmeId: number }
  | { result: "not_found" }
  /** Already cancelled or completed, or the resident erased their data. */
  | { result: "not_active" };

/** Cancels a resident's registration on staff's behalf; the resident is told. */
export function cancelParticipant(
  db: Db,
  staff: Staff,
  registrationId: number,
  input: { now: Date; offerTtlMs: number },
): Promise<StaffCancelResult> {
  return db.transaction(async (tx) => {
    const participant = await findParticipant(tx, staff, registrationId);
    if (!participant) return { result: "not_found" };
    const { contactId, programmeId } = participant;
    if (contactId === null || !activeStatuses.includes(participant.status)) {
      return { result: "not_active" };
    }
    const cancelled = await cancelRegistration(tx, { contactId, registrationId, ...input });
    if (cancelled.result !== "cancelled") return { result: "not_active" };
    await enqueueMessage(tx, {
      contactId,
      text: cancelledByStaffText(cancelled.title),
      priority: "notice",
      dedupeKey: `registration-cancelled-by-staff:${registrationId}`,
      now: input.now,
    });
    await recordAudit(tx, staff, {
      action: "registration.cancel",
      subjectType: "registration",
      subjectId: registrationId,
      details: { programmeId, previousStatus: participant.status },
    });
    return { result: "cancelled", programmeId };
  });
}
