import { sql } from "drizzle-orm";
import type { OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { outboxPriority } from "../db/schema/index.js";
import { numberOf, rowsOf } from "../db/sql-rows.js";

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
 * Writes one outgoing message to the outbox, in the caller's transaction (see enqueueMessages).
 */
export async function enqueueMessage(tx: Db, message: EnqueueMessage): Promise<EnqueueResult> {
  const [result] = await enqueueMessages(tx, message.contactId, [message]);
  if (!result) throw new Error("the outbox answered nothing");
  return result;
}

/**
 * Writes outgoing messages to one contact, in the caller's transaction, in one statement; the
 * results are in the order given. Each goes through its identity, or by default the contact's
 * most recently active reachable one. The contact's sequence numbers come from
 * `contacts.last_outbox_sequence`, taken once for all of them (the update also locks the contact
 * row, so two writers for one contact take turns); delivery sends a contact's rows in sequence
 * order. A duplicate dedupe key may leave a gap in the sequence, which delivery ignores.
 */
export async function enqueueMessages(
  tx: Db,
  contactId: number,
  messages: readonly Omit<EnqueueMessage, "contactId">[],
): Promise<EnqueueResult[]> {
  const wanted = messages.map((message, ord) => ({
    ord,
    identity_id: message.identityId ?? null,
    inbound_id: message.inboundId ?? null,
    payload: outboxPayload(message),
    priority: outboxPriority[message.priority],
    not_before: (message.notBefore ?? message.now).toISOString(),
    dedupe_key: message.dedupeKey ?? null,
    created_at: message.now.toISOString(),
  }));
  const rows = rowsOf(
    await tx.execute(sql`
      with wanted as (
        select * from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(
          ord int, identity_id bigint, inbound_id bigint, payload jsonb, priority smallint,
          not_before timestamptz, dedupe_key text, created_at timestamptz)
      ), picked as (
        select w.ord, ci.id as identity_id, ci.channel
        from wanted w cross join lateral (
          select id, channel from channel_identities
          where contact_id = ${contactId}
            and case when w.identity_id is null then unreachable_at is null
              else id = w.identity_id end
          order by last_inbound_at desc nulls last, id desc
          limit 1
        ) ci
      ), numbered as (
        select picked.*, row_number() over (order by ord) as n from picked
      ), bumped as (
        update contacts
        set last_outbox_sequence = last_outbox_sequence + (select count(*) from picked)
        where id = ${contactId} and erased_at is null and exists (select from picked)
        returning last_outbox_sequence - (select count(*) from picked) as base
      ), inserted as (
        insert into outbox_messages (contact_id, identity_id, channel, sequence, payload,
          priority, not_before, dedupe_key, inbound_id, created_at)
        select ${contactId}, n.identity_id, n.channel, b.base + n.n, w.payload, w.priority,
          w.not_before, w.dedupe_key, w.inbound_id, w.created_at
        from numbered n join wanted w using (ord) cross join bumped b
        order by n.n
        on conflict (dedupe_key) do nothing
        returning id, sequence
      )
      select w.ord, n.ord is not null as reachable, b.base + n.n as sequence, i.id
      from wanted w
        left join numbered n using (ord)
        left join bumped b on true
        left join inserted i on i.sequence = b.base + n.n
      order by w.ord`),
  );
  return rows.map((row): EnqueueResult => {
    if (!row.reachable) return { queued: false, reason: "unreachable" };
    if (row.sequence === null) return { queued: false, reason: "erased" };
    if (row.id === null) return { queued: false, reason: "duplicate" };
    return { queued: true, outboxId: numberOf(row.id), sequence: numberOf(row.sequence) };
  });
}

/** The message as the outbox stores it (and delivery and TurnResult read it back). */
export function outboxPayload(message: OutboundMessage): OutboundMessage {
  const payload: OutboundMessage = { text: message.text };
  if (message.choices && message.choices.length > 0) payload.choices = message.choices;
  if (message.requestPhone) payload.requestPhone = true;
  return payload;
}
