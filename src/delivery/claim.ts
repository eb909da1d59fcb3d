import { type SQL, sql } from "drizzle-orm";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { channelNames } from "../db/schema/index.js";
import { idArray, jsonOf, numberOf, rowsOf, textOf } from "../db/sql-rows.js";

/** An outbox row this worker holds the lease on, with the address to send it to. */
export interface ClaimedMessage {
  id: number;
  contactId: number;
  identityId: number;
  channel: ChannelName;
  sequence: number;
  priority: number;
  /** Including this one. With `workerId`, the lease token every outcome update checks. */
  attempts: number;
  /** The OutboundMessage as stored (checked before it is sent). */
  payload: unknown;
  /** The identity's external id: the chat to send to. */
  address: string;
}

export interface ClaimRequest {
  channel: ChannelName;
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
  /**
   * Whether notices and broadcasts (priority > 0) may go now; false during quiet hours or when
   * the channel's daily cap is used up, and then they neither go nor hold up later replies.
   */
  nonReplies: boolean;
}

const at = (instant: Date): SQL => sql`${instant.toISOString()}::timestamptz`;

/**
 * Claims due rows of one channel in one statement: `FOR UPDATE SKIP LOCKED` so concurrent
 * workers (any number of processes on PostgreSQL) never take the same row, and a lease
 * (`leased_by`, `lease_until`) so a crashed worker's rows are taken over when it ends.
 *
 * Per-contact order: of a contact's unsettled rows on the channel, only the *head* may be
 * claimed: the one with the lowest `sequence` among those in the way. In the way are: a row being
 * sent; a due row that may go now; and a reply being retried, even before its retry time (a
 * retry never lets later replies overtake). Not in the way: a row scheduled for later (a
 * reminder), a notice or broadcast held back by quiet hours or the daily cap, a notice or
 * broadcast waiting for a retry. The head is claimed when it is pending, or sending with its
 * lease run out. So a contact has at most one row in flight per channel, and its messages go
 * out one by one in `sequence` order. (Order is kept per channel: a contact's Telegram replies
 * do not wait for an undeliverable WhatsApp queue.)
 *
 * Claiming sets status `sending`, the lease and `attempts + 1`. The rows come back in priority,
 * `not_before`, id order.
 */
export async function claimDue(db: Db, request: ClaimRequest): Promise<ClaimedMessage[]> {
  if (request.limit <= 0) return [];
  const now = at(request.now);
  const leaseUntil = at(new Date(request.now.getTime() + request.leaseMs));
  const nonReplies = request.nonReplies ? sql`true` : sql`false`;
  const result = await db.execute(sql`
    with heads as (
      select distinct on (contact_id) id
      from outbox_messages
      where channel = ${request.channel}
        and status in ('pending', 'sending')
        and (status = 'sending'
          or (priority = 0 and (attempts > 0 or not_before <= ${now}))
          or (priority > 0 and ${nonReplies} and not_before <= ${now}))
      order by contact_id, sequence
    ), picked as materialized (
      select o.id
      from outbox_messages o
      join heads h on h.id = o.id
      where o.not_before <= ${now}
        and (o.status = 'pending'
          or (o.status = 'sending' and (o.lease_until is null or o.lease_until <= ${now})))
      order by o.priority, o.not_before, o.id
      limit ${request.limit}
      for update of o skip locked
    )
    update outbox_messages m
    set status = 'sending',
        leased_by = ${request.workerId},
        lease_until = ${leaseUntil},
        attempts = m.attempts + 1
    from picked, channel_identities i
    where m.id = picked.id and i.id = m.identity_id
    returning m.id, m.contact_id, m.identity_id, m.channel, m.sequence, m.priority,
      m.attempts, m.payload, i.external_id,
      extract(epoch from m.not_before) * 1000 as not_before_ms
  `);
  return rowsOf(result)
    .map((row) => ({
      claimed: {
        id: numberOf(row.id),
        contactId: numberOf(row.contact_id),
        identityId: numberOf(row.identity_id),
        channel: channelOf(row.channel),
        sequence: numberOf(row.sequence),
        priority: numberOf(row.priority),
        attempts: numberOf(row.attempts),
        payload: jsonOf(row.payload),
        address: textOf(row.external_id),
      },
      notBefore: numberOf(row.not_before_ms),
    }))
    .sort(
      (a, b) =>
        a.claimed.priority - b.claimed.priority ||
        a.notBefore - b.notBefore ||
        a.claimed.id - b.claimed.id,
    )
    .map((row) => row.claimed);
}

function channelOf(value: unknown): ChannelName {
  const channel = channelNames.find((name) => name === value);
  if (!channel) throw new TypeError(`unknown channel ${String(value)}`);
  return channel;
}

/**
 * Gives a claimed row back unsent, as if it had not been claimed (`attempts` back down), due
 * again at `notBefore`. Only while this worker still holds the lease. Used for a non-reply the
 * daily cap stopped after it was claimed.
 */
export async function releaseClaim(
  db: Db,
  claim: ClaimedMessage,
  workerId: string,
  notBefore: Date,
): Promise<boolean> {
  const result = await db.execute(sql`
    update outbox_messages
    set status = 'pending', leased_by = null, lease_until = null,
        attempts = attempts - 1, not_before = ${at(notBefore)}
    where id = ${claim.id} and status = 'sending'
      and leased_by = ${workerId} and attempts = ${claim.attempts}
    returning id
  `);
  return rowsOf(result).length > 0;
}

/**
 * Gives back, unsent, the rows leased to this worker that it is not sending (`inFlight` are the
 * ones it is): a claim the database committed while its answer was lost to a dropped connection
 * would otherwise wait out its lease. The worker calls it only when no claim of its own on the
 * channel is under way. Returns how many rows it gave back.
 */
export async function releaseOrphanedClaims(
  db: Db,
  workerId: string,
  channel: ChannelName,
  inFlight: readonly number[],
): Promise<number> {
  const result = await db.execute(sql`
    update outbox_messages
    set status = 'pending', leased_by = null, lease_until = null,
        attempts = greatest(attempts - 1, 0)
    where status = 'sending' and leased_by = ${workerId} and channel = ${channel}
      and not (id = any(${idArray(inFlight)}::bigint[]))
    returning id
  `);
  return rowsOf(result).length;
}

/**
 * Moves the channel's pending notices and broadcasts that would be due before `until` to
 * `until` (the end of quiet hours, or the next WITA day when the daily cap is used up), so they
 * wait as scheduled rows: they hold up nobody's replies, and every worker sees it.
 */
export async function holdNonReplies(db: Db, channel: ChannelName, until: Date): Promise<void> {
  // Rows another worker is claiming right now are skipped (never waited for: no deadlock).
  await db.execute(sql`
    update outbox_messages
    set not_before = ${at(until)}
    where id in (
      select id from outbox_messages
      where channel = ${channel} and status = 'pending' and priority > 0
        and not_before < ${at(until)}
      for update skip locked
    )
  `);
}

/** Notices and broadcasts sent on `channel` in [from, to): what the daily cap counts. */
export async function countNonRepliesSent(
  db: Db,
  channel: ChannelName,
  from: Date,
  to: Date,
): Promise<number> {
  const result = await db.execute(sql`
    select count(*) as sent
    from outbox_messages
    where channel = ${channel} and priority > 0 and status = 'sent'
      and sent_at >= ${at(from)} and sent_at < ${at(to)}
  `);
  return numberOf(rowsOf(result)[0]?.sent ?? 0);
}
