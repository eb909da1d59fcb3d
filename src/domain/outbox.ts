import { sql } from "drizzle-orm";
import type { OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { outboxPriority } from "../db/schema/index.js";
import { jsonRows, numberOf, rowsOf } from "../db/sql-rows.js";

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
  const [result] = await enqueueMessages(tx, [message]);
  if (!result) throw new Error("the outbox answered nothing");
  return result;
}

/**
 * Writes outgoing messages, to one contact or several, in the caller's transaction, in one
 * statement; the results are in the order given. Each goes through its identity, or by default
 * its contact's most recently active reachable one. A contact's sequence numbers come from
 * `contacts.last_outbox_sequence`, taken once for all of its messages (the update also locks the
 * contact row, so two writers for one contact take turns); delivery sends a contact's rows in
 * sequence order. A duplicate dedupe key may leave a gap in the sequence, which delivery ignores.
 */
export async function enqueueMessages(
  tx: Db,
  messages: readonly EnqueueMessage[],
): Promise<EnqueueResult[]> {
  const wanted = messages.map((message, ord) => ({
    ord,
    contact_id: message.contactId,
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
        select * from ${jsonRows(
          wanted,
          sql`ord int, contact_id bigint, identity_id bigint, inbound_id bigint, payload jsonb,
            priority smallint, not_before timestamptz, dedupe_key text, created_at timestamptz`,
        )} as w
      ), picked as (
        select w.ord, w.contact_id, ci.id as identity_id, ci.channel
        from wanted w cross join lateral (
          select id, channel from channel_identities
          where contact_id = w.contact_id
            and case when w.identity_id is null then unreachable_at is null
              else id = w.identity_id end
          order by last_inbound_at desc nulls last, id desc
          limit 1
        ) ci
      ), numbered as (
        select picked.*, row_number() over (partition by contact_id order by ord) as n
        from picked
      ), taken as (
        select contact_id, count(*) as count from picked group by contact_id
      ), bumped as (
        update contacts c set last_outbox_sequence = c.last_outbox_sequence + t.count
        from taken t
        where c.id = t.contact_id and c.erased_at is null
        returning c.id as contact_id, c.last_outbox_sequence - t.count as base
      ), inserted as (
        insert into outbox_messages (contact_id, identity_id, channel, sequence, payload,
          priority, not_before, dedupe_key, inbound_id, created_at)
        select n.contact_id, n.identity_id, n.channel, b.base + n.n, w.payload, w.priority,
          w.not_before, w.dedupe_key, w.inbound_id, w.created_at
        from numbered n join wanted w using (ord) join bumped b on b.contact_id = n.contact_id
        order by n.contact_id, n.n
        on conflict (dedupe_key) do nothing
        returning id, contact_id, sequence
      )
      select w.ord, n.ord is not null as reachable, b.base + n.n as sequence, i.id
      from wanted w
        left join numbered n using (ord)
        left join bumped b on b.contact_id = w.contact_id
        left join inserted i on i.contact_id = w.contact_id and i.sequence = b.base + n.n
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
