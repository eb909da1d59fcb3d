import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  assistanceRequests,
  auditLog,
  channelIdentities,
  consentRecords,
  contacts,
  conversations,
  inboundMessages,
  mediaFiles,
  needReports,
  needStatusHistory,
  outboxMessages,
  registrations,
} from "../db/schema/index.js";
import { enqueueMessage } from "./outbox.js";
import { activeStatuses, cancelRegistration } from "./registrations.js";

/** A contact row's personal columns, emptied (erasure, and the contact merged away by linking). */
export const personalDataCleared = {
  name: null,
  phone: null,
  kecamatanCode: null,
  kelurahanCode: null,
  groups: [],
  disabilityTypes: null,
  consentedAt: null,
  announcementsOptedOutAt: null,
  handoverSince: null,
} satisfies Partial<typeof contacts.$inferInsert>;

export interface Farewell {
  /** The identity the erasure was asked through: the farewell goes back there. */
  identityId: number;
  /** The message that asked for the erasure; the farewell is its reply. */
  inboundId: number;
  text: string;
}

export type ErasureResult =
  | { erased: true; successor: { contactId: number; identityId: number } | null }
  | { erased: false };

/**
 * HAPUS DATA (UU 27/2022): removes the resident's personal data and keeps only anonymous counts.
 *
 * Decisions:
 * - The contact row stays (erased_at set, every personal column cleared) so counts stay right;
 *   registrations, need reports and assistance requests stay with contact_id null. Need report
 *   descriptions and photos, and staff messages in their history, are removed: they are the
 *   resident's words or about the resident. Category, area and status remain for statistics.
 * - Active registrations are cancelled first, so a seat held by nobody goes to the waitlist.
 *   Open assistance requests are closed: there is nobody left to reach.
 * - Inbound and outbox rows reference the channel identities, so identities are not deleted.
 *   Their display name and phone are cleared and the external id (a chat id, or a WhatsApp
 *   number) becomes the tombstone `erased:<identity id>`: the (channel, external id) slot is
 *   free, the erased contact cannot be linked to the address any more, and the next message
 *   from that address belongs to a new person.
 * - A farewell cannot be sent through a tombstoned identity. When `farewell` is given, the
 *   address it came from gets a new, empty contact (no consent, no profile) right away, and the
 *   farewell is queued to it; a later message from that address continues as that new person.
 *   If none comes, the minute sweep forgets the address once the farewell is settled
 *   (forgetFarewellAddresses).
 * - The message history of contacts linked into this one (one resident on two apps, see
 *   src/domain/merge.ts) is scrubbed too: it stayed attached to the emptied contact.
 * - The audit log records that an erasure happened and what it touched, as counts only.
 */
export function eraseContact(
  db: Db,
  input: { contactId: number; now: Date; farewell?: Farewell },
): Promise<ErasureResult> {
  return db.transaction(async (tx) => {
    const [contact] = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.id, input.contactId), isNull(contacts.erasedAt)))
      .for("update");
    if (!contact) return { erased: false };
    const { contactId, now } = input;

    const active = await tx
      .select({ id: registrations.id })
      .from(registrations)
      .where(
        and(eq(registrations.contactId, contactId), inArray(registrations.status, activeStatuses)),
      );
    for (const registration of active) {
      await cancelRegistration(tx, { contactId, registrationId: registration.id, now });
    }
    await tx
      .update(registrations)
      .set({ contactId: null, updatedAt: now })
      .where(eq(registrations.contactId, contactId));

    const needs = tx
      .select({ id: needReports.id })
      .from(needReports)
      .where(eq(needReports.contactId, contactId));
    await tx
      .update(needStatusHistory)
      .set({ message: null })
      .where(inArray(needStatusHistory.needId, needs));
    const anonymisedNeeds = await tx
      .update(needReports)
      .set({ contactId: null, description: null, photoMediaId: null })
      .where(eq(needReports.contactId, contactId))
      .returning({ id: needReports.id });

    await tx
      .update(assistanceRequests)
      .set({
        status: "closed",
        closedAt: sql`coalesce(${assistanceRequests.closedAt}, ${now.toISOString()}::timestamptz)`,
        contactId: null,
      })
      .where(eq(assistanceRequests.contactId, contactId));

    const deletedMedia = await tx
      .delete(mediaFiles)
      .where(eq(mediaFiles.contactId, contactId))
      .returning({ id: mediaFiles.id });

    // Contacts linked into this one (src/domain/merge.ts) keep their message history: it is
    // this resident's too.
    const merged = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(eq(contacts.mergedIntoContactId, contactId));
    const historyOf = [contactId, ...merged.map((row) => row.id)];
    await tx
      .update(inboundMessages)
      .set({ text: null, payload: null })
      .where(inArray(inboundMessages.contactId, historyOf));
    await tx
      .update(outboxMessages)
      .set({
        payload: { text: "[dihapus]" },
        lastError: null,
        status: sql`case when ${outboxMessages.status} in ('pending', 'sending') then 'cancelled' else ${outboxMessages.status} end`,
      })
      .where(inArray(outboxMessages.contactId, historyOf));
    await tx.delete(conversations).where(eq(conversations.contactId, contactId));
    await tx.delete(consentRecords).where(eq(consentRecords.contactId, contactId));

    const farewellTo = input.farewell
      ? await addressOf(tx, contactId, input.farewell.identityId)
      : undefined;
    await tx
      .update(channelIdentities)
      .set(tombstone(now))
      .where(eq(channelIdentities.contactId, contactId));
    await tx
      .update(contacts)
      .set({ ...personalDataCleared, erasedAt: now })
      .where(eq(contacts.id, contactId));
    await tx.insert(auditLog).values({
      action: "contact.erased",
      subjectType: "contact",
      subjectId: String(contactId),
      details: {
        registrations_cancelled: active.length,
        need_reports_anonymised: anonymisedNeeds.length,
        media_deleted: deletedMedia.length,
      },
      createdAt: now,
    });

    if (!input.farewell || !farewellTo) return { erased: true, successor: null };
    const successor = await newContactAt(tx, farewellTo, now);
    await enqueueMessage(tx, {
      contactId: successor.contactId,
      identityId: successor.identityId,
      text: input.farewell.text,
      inboundId: input.farewell.inboundId,
      priority: "reply",
      now,
    });
    return { erased: true, successor };
  });
}

/**
 * An identity's address and names removed: the external id (a chat id, or a WhatsApp number)
 * becomes `erased:<identity id>`, which frees the (channel, external id) slot.
 */
function tombstone(now: Date) {
  return {
    externalId: sql`'erased:' || ${channelIdentities.id}`,
    displayName: null,
    phone: null,
    unreachableAt: now,
    keptForFarewell: false,
  };
}

/**
 * The minute sweep's part of HAPUS DATA: an address kept only for the farewell is forgotten
 * once nothing is waiting to be sent to it (sent, failed or withdrawn), unless it wrote again
 * since, in which case it belongs to a new resident. Its empty contact is marked erased.
 * Resolves with how many addresses were forgotten.
 */
export async function forgetFarewellAddresses(db: Db, now: Date): Promise<number> {
  const forgotten = await db
    .update(channelIdentities)
    .set(tombstone(now))
    .where(
      and(
        eq(channelIdentities.keptForFarewell, true),
        sql`not exists (select 1 from ${inboundMessages}
          where ${inboundMessages.identityId} = ${channelIdentities.id})`,
        sql`not exists (select 1 from ${outboxMessages}
          where ${outboxMessages.identityId} = ${channelIdentities.id}
            and ${outboxMessages.status} in ('pending', 'sending'))`,
      ),
    )
    .returning({ contactId: channelIdentities.contactId });
  if (forgotten.length > 0) {
    await db
      .update(contacts)
      .set({ erasedAt: now })
      .where(
        inArray(
          contacts.id,
          forgotten.map((row) => row.contactId),
        ),
      );
  }
  // An address that wrote again is a resident's: it is not kept for a farewell any more.
  await db
    .update(channelIdentities)
    .set({ keptForFarewell: false })
    .where(
      and(
        eq(channelIdentities.keptForFarewell, true),
        sql`exists (select 1 from ${inboundMessages}
          where ${inboundMessages.identityId} = ${channelIdentities.id})`,
      ),
    );
  return forgotten.length;
}

async function addressOf(tx: Db, contactId: number, identityId: number) {
  const [identity] = await tx
    .select({ channel: channelIdentities.channel, externalId: channelIdentities.externalId })
    .from(channelIdentities)
    .where(and(eq(channelIdentities.id, identityId), eq(channelIdentities.contactId, contactId)));
  return identity;
}

async function newContactAt(
  tx: Db,
  address: NonNullable<Awaited<ReturnType<typeof addressOf>>>,
  now: Date,
): Promise<{ contactId: number; identityId: number }> {
  const [contact] = await tx
    .insert(contacts)
    .values({ createdAt: now })
    .returning({ id: contacts.id });
  if (!contact) throw new Error("contact was not inserted");
  const [identity] = await tx
    .insert(channelIdentities)
    .values({
      contactId: contact.id,
      ...address,
      lastInboundAt: now,
      keptForFarewell: true,
      createdAt: now,
    })
    .returning({ id: channelIdentities.id });
  if (!identity) throw new Error("channel identity was not inserted");
  return { contactId: contact.id, identityId: identity.id };
}
