import { desc, eq, inArray, or } from "drizzle-orm";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import {
  contacts,
  inboundMessages,
  type OutboxStatus,
  outboxMessages,
} from "../db/schema/index.js";

export type HistoryEntry =
  | {
      direction: "in";
      channel: ChannelName;
      /** text, choice, photo, voice … */
      kind: string;
      /** Null when the message had no text (a photo) or was erased. */
      text: string | null;
      at: Date;
    }
  | {
      direction: "out";
      channel: ChannelName;
      text: string | null;
      status: OutboxStatus;
      lastError: string | null;
      /** Sent as part of an announcement (a broadcast), not as a reply. */
      announcement: boolean;
      at: Date;
    };

/**
 * The latest `limit` messages between Berdaya and the resident, oldest first: what they wrote and
 * what was sent or queued to them, including the history of a contact linked into this one.
 * Outgoing messages are dated when they went out, or when they were queued if they have not.
 * Used by the Warga profile and Percakapan; callers check first that staff may see the resident.
 */
export async function messageHistory(
  db: Db,
  contactId: number,
  limit = 50,
): Promise<HistoryEntry[]> {
  const linked = db
    .select({ id: contacts.id })
    .from(contacts)
    .where(or(eq(contacts.id, contactId), eq(contacts.mergedIntoContactId, contactId)));
  const inbound = await db
    .select({
      channel: inboundMessages.channel,
      kind: inboundMessages.kind,
      text: inboundMessages.text,
      at: inboundMessages.receivedAt,
    })
    .from(inboundMessages)
    .where(inArray(inboundMessages.contactId, linked))
    .orderBy(desc(inboundMessages.receivedAt), desc(inboundMessages.id))
    .limit(limit);
  const outbound = await db
    .select({
      channel: outboxMessages.channel,
      payload: outboxMessages.payload,
      status: outboxMessages.status,
      lastError: outboxMessages.lastError,
      broadcastId: outboxMessages.broadcastId,
      at: outboxMessages.createdAt,
      sentAt: outboxMessages.sentAt,
    })
    .from(outboxMessages)
    .where(inArray(outboxMessages.contactId, linked))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(limit);
  const entries: HistoryEntry[] = [
    ...inbound.reverse().map((row) => ({ direction: "in" as const, ...row })),
    ...outbound.reverse().map(({ payload, sentAt, at, broadcastId, ...row }) => ({
      direction: "out" as const,
      ...row,
      text: typeof payload.text === "string" ? payload.text : null,
      announcement: broadcastId !== null,
      at: sentAt ?? at,
    })),
  ];
  // Stable sort: a reply stored in the same instant as the message it answers stays after it.
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-limit);
}
