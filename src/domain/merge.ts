import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  assistanceRequests,
  auditLog,
  channelIdentities,
  consentRecords,
  contacts,
  conversations,
  mediaFiles,
  needReports,
  outboxMessages,
  registrations,
} from "../db/schema/index.js";
import { personalDataCleared } from "./erasure.js";
import { seatHoldingStatuses } from "./programmes.js";
import { activeStatuses, cancelRegistration } from "./registrations.js";

export interface MergeSummary {
  identitiesMoved: number;
  registrationsMoved: number;
  /** Duplicates: the resident was active in the same programme from both apps. */
  registrationsCancelled: number;
  needReportsMoved: number;
}

/**
 * Makes `from` part of `into`: one resident who used two apps (src/domain/linking.ts). Runs in
 * the caller's transaction, with `from` locked by the turn; locks `into`.
 *
 * Decisions:
 * - Every channel identity of `from` moves to `into`: the next message from either app is
 *   `into`'s. Consent records, need reports (with their photos), assistance requests and
 *   registrations move too; outbox rows not sent yet move with new sequence numbers after
 *   `into`'s, so they still go out in order.
 * - Two active registrations for one programme: the better one stays (a seat beats the waitlist,
 *   an earlier waitlist place beats a later one, otherwise `into`'s, which was there first); the
 *   other is cancelled with `cancelRegistration` (a freed seat goes to the waitlist) and kept
 *   without a contact, like an erased resident's, so counts stay right and nobody is shown a
 *   duplicate.
 * - `into`'s profile stays, it was there first; only its empty fields are filled from `from`.
 *   Consent follows the latest answer of either.
 * - `from` keeps its row, emptied like an erased contact (`erased_at`) and marked
 *   `merged_into_contact_id`, so it is never a resident again but a merge is told apart from
 *   HAPUS DATA. Its inbound and outbox history stays attached to it; erasing `into` later also
 *   scrubs that history (src/domain/erasure.ts). Its conversation row is deleted: the turn goes
 *   on as `into` and saves the conversation there, replacing one `into` had left open on the
 *   other app (a resident has one conversation at a time).
 * - An audit row "contact.linked" with ids and counts, no personal data.
 */
export async function mergeContact(
  tx: Db,
  input: { from: number; into: number; now: Date },
): Promise<MergeSummary> {
  const { from, into, now } = input;
  const [source] = await tx.select().from(contacts).where(eq(contacts.id, from));
  const [target] = await tx.select().from(contacts).where(eq(contacts.id, into)).for("update");
  if (!source || !target) throw new Error(`cannot merge contact ${from} into ${into}`);

  const registrationsCancelled = await settleDuplicateRegistrations(tx, input);
  const movedRegistrations = await tx
    .update(registrations)
    .set({ contactId: into })
    .where(eq(registrations.contactId, from))
    .returning({ id: registrations.id });
  const movedNeeds = await tx
    .update(needReports)
    .set({ contactId: into })
    .where(eq(needReports.contactId, from))
    .returning({ id: needReports.id });
  await tx.update(mediaFiles).set({ contactId: into }).where(eq(mediaFiles.contactId, from));
  await tx
    .update(assistanceRequests)
    .set({ contactId: into })
    .where(eq(assistanceRequests.contactId, from));
  await tx
    .update(consentRecords)
    .set({ contactId: into })
    .where(eq(consentRecords.contactId, from));
  await moveUnsentMessages(tx, from, into);
  const movedIdentities = await tx
    .update(channelIdentities)
    .set({ contactId: into })
    .where(eq(channelIdentities.contactId, from))
    .returning({ id: channelIdentities.id });

  const [latestConsent] = await tx
    .select({ granted: consentRecords.granted, recordedAt: consentRecords.recordedAt })
    .from(consentRecords)
    .where(eq(consentRecords.contactId, into))
    .orderBy(desc(consentRecords.recordedAt), desc(consentRecords.id))
    .limit(1);
  const place =
    target.kelurahanCode === null && source.kelurahanCode !== null
      ? { kecamatanCode: source.kecamatanCode, kelurahanCode: source.kelurahanCode }
      : target.kecamatanCode === null && target.kelurahanCode === null
        ? { kecamatanCode: source.kecamatanCode }
        : {};
  const groups =
    target.groups.length === 0 && source.groups.length > 0
      ? { groups: source.groups, disabilityTypes: source.disabilityTypes }
      : {};
  await tx
    .update(contacts)
    .set({
      name: target.name ?? source.name,
      phone: target.phone ?? source.phone,
      ...place,
      ...groups,
      consentedAt: latestConsent?.granted ? latestConsent.recordedAt : null,
      announcementsOptedOutAt: target.announcementsOptedOutAt ?? source.announcementsOptedOutAt,
      handoverSince: target.handoverSince ?? source.handoverSince,
    })
    .where(eq(contacts.id, into));

  await tx.delete(conversations).where(eq(conversations.contactId, from));
  await tx
    .update(contacts)
    .set({ mergedIntoContactId: into })
    .where(eq(contacts.mergedIntoContactId, from));
  await tx
    .update(contacts)
    .set({ ...personalDataCleared, erasedAt: now, mergedIntoContactId: into })
    .where(eq(contacts.id, from));

  const summary: MergeSummary = {
    identitiesMoved: movedIdentities.length,
    registrationsMoved: movedRegistrations.length,
    registrationsCancelled,
    needReportsMoved: movedNeeds.length,
  };
  await tx.insert(auditLog).values({
    action: "contact.linked",
    subjectType: "contact",
    subjectId: String(into),
    details: {
      merged_contact_id: from,
      identities_moved: summary.identitiesMoved,
      registrations_moved: summary.registrationsMoved,
      registrations_cancelled: summary.registrationsCancelled,
      need_reports_moved: summary.needReportsMoved,
    },
    createdAt: now,
  });
  return summary;
}

type ActiveRegistration = {
  id: number;
  programmeId: number;
  status: (typeof activeStatuses)[number];
  waitlistPosition: number | null;
};

/** Lower is better: a seat, then the waitlist by place. */
function rank(registration: ActiveRegistration): [number, number] {
  const seated = seatHoldingStatuses.includes(registration.status);
  return [seated ? 0 : 1, registration.waitlistPosition ?? 0];
}

function better(a: ActiveRegistration, b: ActiveRegistration): boolean {
  const [ra, rb] = [rank(a), rank(b)];
  return ra[0] < rb[0] || (ra[0] === rb[0] && ra[1] < rb[1]);
}

/** Cancels the worse of each pair of active registrations for one programme; returns how many. */
async function settleDuplicateRegistrations(
  tx: Db,
  { from, into, now }: { from: number; into: number; now: Date },
): Promise<number> {
  const active = (contactId: number) =>
    tx
      .select({
        id: registrations.id,
        programmeId: registrations.programmeId,
        status: registrations.status,
        waitlistPosition: registrations.waitlistPosition,
      })
      .from(registrations)
      .where(
        and(eq(registrations.contactId, contactId), inArray(registrations.status, activeStatuses)),
      );
  const kept = new Map((await active(into)).map((r) => [r.programmeId, r]));
  let cancelled = 0;
  for (const registration of await active(from)) {
    const existing = kept.get(registration.programmeId);
    if (!existing) continue;
    const [loser, owner] = better(registration, existing) ? [existing, into] : [registration, from];
    await cancelRegistration(tx, { contactId: owner, registrationId: loser.id, now });
    await tx.update(registrations).set({ contactId: null }).where(eq(registrations.id, loser.id));
    cancelled++;
  }
  return cancelled;
}

/** Moves `from`'s unsent outbox rows to `into`, numbered after `into`'s, in their order. */
async function moveUnsentMessages(tx: Db, from: number, into: number): Promise<void> {
  const unsent = await tx
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.contactId, from), eq(outboxMessages.status, "pending")))
    .orderBy(asc(outboxMessages.sequence));
  for (const row of unsent) {
    const [numbered] = await tx
      .update(contacts)
      .set({ lastOutboxSequence: sql`${contacts.lastOutboxSequence} + 1` })
      .where(eq(contacts.id, into))
      .returning({ sequence: contacts.lastOutboxSequence });
    if (!numbered) throw new Error(`no contact ${into}`);
    await tx
      .update(outboxMessages)
      .set({ contactId: into, sequence: numbered.sequence })
      .where(eq(outboxMessages.id, row.id));
  }
}
