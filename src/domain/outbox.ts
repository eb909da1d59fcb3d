import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { channelIdentities, contacts, outboxMessages, outboxPriority } from "../db/schema/index.js";

export type OutboxPriorityName = keyof typeof outboxPriority;

export interface EnqueueMessage extends OutboundMessage {
  contactId: number;
  /** reply (to what the resident just wrote), notice (reminders, seat offers) or broadcast. */
  priority: OutboxPriorityName;
  now: Date;
  /** Not sent before this instant (reminders); defaults to `now`. */
  notBefore?: Date;
  /** One row per key, ever: a second enqueue with the same key is a no-op. */
  dedupeKey?: string;
  /** Send through this identity; by default the contact's most recently active reachable one. */
  identityId?: number;
  /** The inbound message this replies to. */
  inboundId?: number;
}

export type EnqueueResult =
  | { queued: true; outboxId: number; sequence: number }
  /**
   * `erased`: the resident erased their data (HAPUS DATA), nothing is sent to them any more.
   * `unreachable`: no channel identity that can still be reached.
   * `duplicate`: a row with this dedupe key already exists.
   */
  | { queued: false; reason: "erased" | "unreachable" | "duplicate" };

/**
 * Writes one outgoing message to the outbox, in the caller's transaction. The contact's next
 * sequence number comes from `contacts.last_outbox_sequence` (the update also locks the contact
 * row, so two writers for one contact take turns); delivery sends a contact's rows in sequence
 * order. A duplicate dedupe key may leave a gap in the sequence, which delivery ignores.
 */
export async function enqueueMessage(tx: Db, message: EnqueueMessage): Promise<EnqueueResult> {
  const identity = await pickIdentity(tx, message.contactId, message.identityId);
  if (!identity) return { queued: false, reason: "unreachable" };
  const [numbered] = await tx
    .update(contacts)
    .set({ lastOutboxSequence: sql`${contacts.lastOutboxSequence} + 1` })
    .where(and(eq(contacts.id, message.contactId), isNull(contacts.erasedAt)))
    .returning({ sequence: contacts.lastOutboxSequence });
  if (!numbered) return { queued: false, reason: "erased" };
  const [row] = await tx
    .insert(outboxMessages)
    .values({
      contactId: message.contactId,
      identityId: identity.id,
      channel: identity.channel,
      sequence: numbered.sequence,
      payload: payloadOf(message),
      priority: outboxPriority[message.priority],
      notBefore: message.notBefore ?? message.now,
      dedupeKey: message.dedupeKey ?? null,
      inboundId: message.inboundId ?? null,
      createdAt: message.now,
    })
    .onConflictDoNothing({ target: outboxMessages.dedupeKey })
    .returning({ id: outboxMessages.id });
  if (!row) return { queued: false, reason: "duplicate" };
  return { queued: true, outboxId: row.id, sequence: numbered.sequence };
}

function payloadOf(message: OutboundMessage): Record<string, unknown> {
  const payload: Record<string, unknown> = { text: message.text };
  if (message.choices && message.choices.length > 0) payload.choices = message.choices;
  if (message.requestPhone) payload.requestPhone = true;
  return payload;
}

async function pickIdentity(tx: Db, contactId: number, identityId: number | undefined) {
  const [identity] = await tx
    .select({ id: channelIdentities.id, channel: channelIdentities.channel })
    .from(channelIdentities)
    .where(
      identityId === undefined
        ? and(eq(channelIdentities.contactId, contactId), isNull(channelIdentities.unreachableAt))
        : and(eq(channelIdentities.contactId, contactId), eq(channelIdentities.id, identityId)),
    )
    .orderBy(sql`${channelIdentities.lastInboundAt} desc nulls last`, desc(channelIdentities.id))
    .limit(1);
  return identity;
}
