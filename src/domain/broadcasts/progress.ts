import { sql } from "drizzle-orm";
import type { ChannelName } from "../../channels/contract.js";
import type { Db } from "../../db/client.js";
import type { OutboxStatus } from "../../db/schema/index.js";
import { numberOf, rowsOf } from "../../db/sql-rows.js";
import { channelOf, displayName, instantOf, outboxStatusOf } from "./rows.js";
import { type BroadcastStatus, findBroadcast } from "./store.js";

export interface BroadcastProgress {
  /** Not sent yet: waiting (maybe for quiet hours or the daily cap) or being sent. */
  queued: number;
  sent: number;
  failed: number;
  unreachable: number;
  cancelled: number;
  total: number;
  /** Settled rows (everything but queued) out of total, rounded down; 100 when there are none. */
  percent: number;
  status: BroadcastStatus;
}

/**
 * How far a broadcast has got. A `sending` broadcast with nothing left queued becomes `done`
 * here (one conditional update, safe when several read it at once). Undefined when the broadcast
 * is not this organisation's.
 */
export async function broadcastProgress(
  db: Db,
  request: { organisationId: number; broadcastId: number },
): Promise<BroadcastProgress | undefined> {
  const broadcast = await findBroadcast(db, request.organisationId, request.broadcastId);
  if (!broadcast) return undefined;
  const counts = new Map<string, number>();
  const rows = rowsOf(
    await db.execute(sql`
      select status, count(*) as n from outbox_messages
      where broadcast_id = ${broadcast.id}::int group by status`),
  );
  for (const row of rows) counts.set(String(row.status), numberOf(row.n));
  const of = (status: OutboxStatus) => counts.get(status) ?? 0;
  const queued = of("pending") + of("sending");
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  let status = broadcast.status;
  if (status === "sending" && queued === 0) {
    const finished = rowsOf(
      await db.execute(sql`
        update broadcasts set status = 'done'
        where id = ${broadcast.id}::int and status = 'sending'
          and not exists (
            select 1 from outbox_messages
            where broadcast_id = ${broadcast.id}::int and status in ('pending', 'sending'))
        returning id`),
    );
    if (finished.length > 0) status = "done";
  }
  return {
    queued,
    sent: of("sent"),
    failed: of("failed"),
    unreachable: of("unreachable"),
    cancelled: of("cancelled"),
    total,
    percent: total === 0 ? 100 : Math.floor(((total - queued) * 100) / total),
    status,
  };
}

export interface BroadcastRecipient {
  outboxId: number;
  contactId: number;
  /** "Warga" when unknown or erased since. No phone numbers. */
  name: string;
  channel: ChannelName;
  status: OutboxStatus;
  /** Why it failed or is waiting, in Indonesian (set by delivery), or null. */
  lastError: string | null;
  sentAt: Date | null;
}

export const maxRecipientsPage = 500;

/**
 * One page of a broadcast's recipients in queue order, optionally only those in `status`
 * (e.g. the failed ones), with the total for paging. Undefined when the broadcast is not this
 * organisation's.
 */
export async function broadcastRecipients(
  db: Db,
  request: {
    organisationId: number;
    broadcastId: number;
    limit: number;
    offset: number;
    status?: OutboxStatus;
  },
): Promise<{ total: number; recipients: BroadcastRecipient[] } | undefined> {
  const broadcast = await findBroadcast(db, request.organisationId, request.broadcastId);
  if (!broadcast) return undefined;
  const limit = Math.min(Math.max(1, Math.trunc(request.limit)), maxRecipientsPage);
  const offset = Math.max(0, Math.trunc(request.offset));
  const onlyStatus = request.status ? sql`and o.status = ${request.status}` : sql``;
  const [counted] = rowsOf(
    await db.execute(sql`
      select count(*) as n from outbox_messages o
      where o.broadcast_id = ${broadcast.id}::int ${onlyStatus}`),
  );
  const rows = rowsOf(
    await db.execute(sql`
      select o.id, o.contact_id, c.name, o.channel, o.status, o.last_error,
        extract(epoch from o.sent_at) * 1000 as sent_at_ms
      from outbox_messages o
      join contacts c on c.id = o.contact_id
      where o.broadcast_id = ${broadcast.id}::int ${onlyStatus}
      order by o.id
      limit ${limit} offset ${offset}`),
  );
  return {
    total: numberOf(counted?.n ?? 0),
    recipients: rows.map((row) => ({
      outboxId: numberOf(row.id),
      contactId: numberOf(row.contact_id),
      name: displayName(row.name),
      channel: channelOf(row.channel),
      status: outboxStatusOf(row.status),
      lastError: typeof row.last_error === "string" ? row.last_error : null,
      sentAt: instantOf(row.sent_at_ms),
    })),
  };
}
