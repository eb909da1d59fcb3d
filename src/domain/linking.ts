import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import { type ChannelName, channelLabels } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { channelIdentities, contactLinks, contacts } from "../db/schema/index.js";
import { type MergeSummary, mergeContact } from "./merge.js";
import { enqueueMessage } from "./outbox.js";

/**
 * One resident, several apps. A resident who registered on WhatsApp and later writes on
 * Telegram (or the simulator) giving the same phone number is offered to link the two; the
 * link happens only after they type a code sent to the app they used first, so nobody can take
 * over someone else's data by typing their number. Identities are never merged silently.
 *
 * Decisions:
 * - The code is 6 random digits (node:crypto), valid 15 minutes, at most 5 codes typed per
 *   request (anything without exactly 6 digits is not counted as a try). Only a sha256 of the
 *   code, bound to the pair of contacts, is stored; the code itself is only in the message that
 *   carries it. With a million possible codes the hash hides the code from a casual reader of
 *   the database, not from a determined one: the real protection is the time limit and the tries.
 * - The code goes out with reply priority, not as a notice: notices wait out the quiet hours
 *   (21:00–06:00), and a code asked for at 21:30 would arrive expired. It goes to the target's
 *   most recently used reachable app, the one named to the resident, and never as a reply to the
 *   asking message (that would show the code to whoever typed the number).
 * - At most 3 codes per hour to one resident, so typing someone's number cannot flood them.
 *   A new request replaces the asking contact's earlier ones.
 * - Linking itself is `mergeContact` (src/domain/merge.ts).
 */

export const linkCodeTtlMs = 15 * 60_000;
export const maxCodeAttempts = 5;
export const maxCodesPerHour = 3;

/** Six random digits, "000000"–"999999". */
export function randomLinkCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export interface LinkCandidate {
  contactId: number;
  /** Where the code would go: the candidate's most recently used reachable identity. */
  identityId: number;
  channel: ChannelName;
}

/**
 * Another resident (not erased, not merged, not `contactId`) with this E.164 phone, in their
 * profile or reported by an app, who can still be reached. The most recently active one wins.
 */
export async function findLinkCandidate(
  db: Db,
  input: { contactId: number; phone: string },
): Promise<LinkCandidate | undefined> {
  // Two index lookups: "phone = … or id in (…)" would read every contact.
  const withPhone = db
    .select({ contactId: contacts.id })
    .from(contacts)
    .where(eq(contacts.phone, input.phone))
    .union(
      db
        .select({ contactId: channelIdentities.contactId })
        .from(channelIdentities)
        .where(eq(channelIdentities.phone, input.phone)),
    );
  const [candidate] = await db
    .select({
      contactId: contacts.id,
      identityId: channelIdentities.id,
      channel: channelIdentities.channel,
    })
    .from(contacts)
    .innerJoin(
      channelIdentities,
      and(eq(channelIdentities.contactId, contacts.id), isNull(channelIdentities.unreachableAt)),
    )
    .where(
      and(
        ne(contacts.id, input.contactId),
        isNull(contacts.erasedAt),
        inArray(contacts.id, withPhone),
      ),
    )
    .orderBy(sql`${channelIdentities.lastInboundAt} desc nulls last`, desc(channelIdentities.id))
    .limit(1);
  return candidate;
}

function hashCode(contactId: number, targetContactId: number, code: string): string {
  return createHash("sha256")
    .update(`berdaya-link:${contactId}:${targetContactId}:${code}`)
    .digest("hex");
}

export function linkCodeText(askingChannel: ChannelName, code: string): string {
  return `Kode untuk menghubungkan akun ${channelLabels[askingChannel]} Anda dengan Berdaya: ${code}. Berlaku 15 menit. Jangan berikan kode ini kepada siapa pun. Abaikan pesan ini jika Anda tidak memintanya.`;
}

export type StartLinkResult =
  | { sent: true; channel: ChannelName }
  /** No one to link with, the code limit for that resident is reached, or they can't be reached. */
  | { sent: false };

/** Sends a new code to the resident with this phone, in the caller's transaction. */
export async function startLink(
  tx: Db,
  input: {
    contactId: number;
    /** The app the request came from, named in the code message. */
    channel: ChannelName;
    phone: string;
    now: Date;
    randomCode?: () => string;
  },
): Promise<StartLinkResult> {
  const { contactId, now } = input;
  const candidate = await findLinkCandidate(tx, input);
  if (!candidate) return { sent: false };
  const [recent] = await tx
    .select({ n: count() })
    .from(contactLinks)
    .where(
      and(
        eq(contactLinks.targetContactId, candidate.contactId),
        gt(contactLinks.createdAt, new Date(now.getTime() - 3_600_000)),
      ),
    );
  if ((recent?.n ?? 0) >= maxCodesPerHour) return { sent: false };

  await tx
    .update(contactLinks)
    .set({ expiresAt: now })
    .where(
      and(
        eq(contactLinks.contactId, contactId),
        isNull(contactLinks.linkedAt),
        gt(contactLinks.expiresAt, now),
      ),
    );
  const code = (input.randomCode ?? randomLinkCode)();
  if (!/^\d{6}$/.test(code)) throw new Error("a link code is 6 digits");
  await tx.insert(contactLinks).values({
    contactId,
    targetContactId: candidate.contactId,
    codeHash: hashCode(contactId, candidate.contactId, code),
    expiresAt: new Date(now.getTime() + linkCodeTtlMs),
    createdAt: now,
  });
  const queued = await enqueueMessage(tx, {
    contactId: candidate.contactId,
    identityId: candidate.identityId,
    text: linkCodeText(input.channel, code),
    priority: "reply",
    now,
  });
  return queued.queued ? { sent: true, channel: candidate.channel } : { sent: false };
}

export type ConfirmLinkResult =
  | { result: "linked"; targetContactId: number; summary: MergeSummary }
  | { result: "wrong" }
  /** No request, expired, too many tries, or the other resident is gone. */
  | { result: "expired" };

/**
 * Checks a typed code against the asking contact's latest request. Right, in time and within the
 * tries: the asking contact is merged into the target. Runs in the turn's transaction, which
 * holds the asking contact's lock.
 */
export async function confirmLink(
  tx: Db,
  input: { contactId: number; code: string; now: Date },
): Promise<ConfirmLinkResult> {
  const { contactId, now } = input;
  const [link] = await tx
    .select()
    .from(contactLinks)
    .where(and(eq(contactLinks.contactId, contactId), isNull(contactLinks.linkedAt)))
    .orderBy(desc(contactLinks.createdAt), desc(contactLinks.id))
    .limit(1)
    .for("update");
  if (!link || link.expiresAt <= now || link.attempts >= maxCodeAttempts) {
    return { result: "expired" };
  }
  const code = input.code.replace(/\D/g, "");
  if (code.length !== 6) return { result: "wrong" };
  const attempts = link.attempts + 1;
  await tx.update(contactLinks).set({ attempts }).where(eq(contactLinks.id, link.id));
  const typed = Buffer.from(hashCode(contactId, link.targetContactId, code), "hex");
  if (!timingSafeEqual(typed, Buffer.from(link.codeHash, "hex"))) {
    return { result: attempts >= maxCodeAttempts ? "expired" : "wrong" };
  }
  const [target] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.id, link.targetContactId), isNull(contacts.erasedAt)));
  if (!target) return { result: "expired" };
  const summary = await mergeContact(tx, { from: contactId, into: target.id, now });
  await tx.update(contactLinks).set({ linkedAt: now }).where(eq(contactLinks.id, link.id));
  return { result: "linked", targetContactId: target.id, summary };
}
