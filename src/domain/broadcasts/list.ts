import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { jsonOf, numberOf, rowsOf } from "../../db/sql-rows.js";
import { instantOf } from "./rows.js";
import type { BroadcastStatus } from "./store.js";

export interface BroadcastSummary {
  id: number;
  organisationId: number;
  title: string;
  text: string;
  audience: unknown;
  status: BroadcastStatus;
  scheduledAt: Date | null;
  createdAt: Date;
  /** Outbox rows: all, and those not settled yet (pending or being sent). */
  total: number;
  queued: number;
}

const statuses: readonly BroadcastStatus[] = ["draft", "scheduled", "sending", "done", "cancelled"];

function statusOf(value: unknown): BroadcastStatus {
  const status = statuses.find((name) => name === value);
  if (!status) throw new TypeError(`unknown broadcast status ${String(value)}`);
  return status;
}

/**
 * One page of broadcasts, newest first, with how many rows each queued and how many are still
 * waiting. `organisationId` undefined: every organisation's (administrators).
 */
export async function listBroadcasts(
  db: Db,
  request: { organisationId: number | undefined; limit: number; offset: number },
): Promise<{ total: number; broadcasts: BroadcastSummary[] }> {
  const scope =
    request.organisationId === undefined
      ? sql`true`
      : sql`b.organisation_id = ${request.organisationId}::int`;
  const [counted] = rowsOf(
    await db.execute(sql`select count(*) as n from broadcasts b where ${scope}`),
  );
  const rows = rowsOf(
    await db.execute(sql`
      select b.id, b.organisation_id, b.title, b.text, b.audience, b.status,
        extract(epoch from b.scheduled_at) * 1000 as scheduled_ms,
        extract(epoch from b.created_at) * 1000 as created_ms,
        (select count(*) from outbox_messages o where o.broadcast_id = b.id) as total,
        (select count(*) from outbox_messages o
          where o.broadcast_id = b.id and o.status in ('pending', 'sending')) as queued
      from broadcasts b
      where ${scope}
      order by b.created_at desc, b.id desc
      limit ${request.limit} offset ${request.offset}`),
  );
  return {
    total: numberOf(counted?.n ?? 0),
    broadcasts: rows.map((row) => ({
      id: numberOf(row.id),
      organisationId: numberOf(row.organisation_id),
      title: String(row.title),
      text: String(row.text),
      audience: jsonOf(row.audience),
      status: statusOf(row.status),
      scheduledAt: instantOf(row.scheduled_ms),
      createdAt: instantOf(row.created_ms) ?? new Date(0),
      total: numberOf(row.total),
      queued: numberOf(row.queued),
    })),
  };
}
