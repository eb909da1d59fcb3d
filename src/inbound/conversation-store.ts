import { sql } from "drizzle-orm";
import type { InboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { jsonOf, numberOf, rowsOf } from "../db/sql-rows.js";
import type { ConversationState } from "../engine/state.js";

type Runtime = Pick<ConversationState, "waiting" | "stack" | "suspended" | "page">;

/** A stored message of the resident that no committed turn has processed yet. */
export interface PendingInbound {
  id: number;
  identityId: number;
  channel: InboundMessage["channel"];
  kind: InboundMessage["content"]["kind"];
  text: string | null;
  payload: Record<string, unknown> | null;
  /** When the resident sent it, in milliseconds since the epoch. */
  receivedMs: number;
}

export interface TurnInput {
  /** The resident's conversation as stored, or null when none is in progress. */
  state: ConversationState | null;
  /** Their unprocessed messages, in arrival order. */
  pending: PendingInbound[];
  /** When they sent their last `recent` processed messages (ms), in arrival order. */
  earlierMs: number[];
}

/**
 * Reads, in one statement, what a turn of the (locked) contact starts from; `recent` says how
 * many of their processed messages' times to read (for the flood limit).
 */
export async function loadTurnInput(tx: Db, contactId: number, recent: number): Promise<TurnInput> {
  const [row] = rowsOf(
    await tx.execute(sql`
      select c.flow_id, c.step_id, c.flow_version, c.variables, c.attempts, c.runtime,
        (extract(epoch from c.expires_at) * 1000)::float8 as expires_ms,
        (select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'identityId', i.identity_id,
            'channel', i.channel, 'kind', i.kind, 'text', i.text, 'payload', i.payload,
            'receivedMs', (extract(epoch from i.received_at) * 1000)::float8)
            order by i.id), '[]'::jsonb)
          from inbound_messages i
          where i.contact_id = ${contactId} and i.processed_at is null) as pending,
        (select coalesce(jsonb_agg(e.ms order by e.id), '[]'::jsonb)
          from (select i.id, (extract(epoch from i.received_at) * 1000)::float8 as ms
            from inbound_messages i
            where i.contact_id = ${contactId} and i.processed_at is not null
            order by i.id desc limit ${recent}) e) as earlier
      from (values (1)) as one (x)
        left join conversations c on c.contact_id = ${contactId}`),
  );
  if (!row) throw new Error("the turn input query answered nothing");
  return {
    state: stateOf(row),
    pending: jsonOf(row.pending) as PendingInbound[],
    earlierMs: jsonOf(row.earlier) as number[],
  };
}

function stateOf(row: Record<string, unknown>): ConversationState | null {
  if (!row.flow_id || !row.step_id || row.flow_version === null || row.expires_ms === null) {
    return null;
  }
  const runtime = jsonOf(row.runtime) as Partial<Runtime>;
  return {
    flowId: String(row.flow_id),
    stepId: String(row.step_id),
    flowVersion: numberOf(row.flow_version),
    variables: jsonOf(row.variables) as ConversationState["variables"],
    attempts: numberOf(row.attempts),
    expiresAt: new Date(numberOf(row.expires_ms)).toISOString(),
    waiting: runtime.waiting ?? "answer",
    stack: runtime.stack ?? [],
    ...(runtime.suspended ? { suspended: runtime.suspended } : {}),
    ...(runtime.page ? { page: runtime.page } : {}),
  };
}

/**
 * Ends a turn in one statement, in its transaction: stores the conversation (null: none in
 * progress) and marks the messages the turn processed.
 */
export async function saveTurn(
  tx: Db,
  contactId: number,
  state: ConversationState | null,
  processedIds: readonly number[],
  now: Date,
): Promise<void> {
  const runtime = state
    ? {
        waiting: state.waiting,
        stack: state.stack,
        ...(state.suspended ? { suspended: state.suspended } : {}),
        ...(state.page ? { page: state.page } : {}),
      }
    : {};
  const at = now.toISOString();
  await tx.execute(sql`
    with processed as (
      update inbound_messages set processed_at = ${at}::timestamptz
      where id = any(${`{${processedIds.join(",")}}`}::bigint[])
    )
    insert into conversations as c (contact_id, flow_id, step_id, flow_version, variables,
      attempts, runtime, expires_at, updated_at)
    values (${contactId}, ${state?.flowId ?? null}, ${state?.stepId ?? null},
      ${state?.flowVersion ?? null}::int, ${JSON.stringify(state?.variables ?? {})}::jsonb,
      ${state?.attempts ?? 0}::int, ${JSON.stringify(runtime)}::jsonb,
      ${state?.expiresAt ?? null}::timestamptz, ${at}::timestamptz)
    on conflict (contact_id) do update set flow_id = excluded.flow_id,
      step_id = excluded.step_id, flow_version = excluded.flow_version,
      variables = excluded.variables, attempts = excluded.attempts,
      runtime = excluded.runtime, expires_at = excluded.expires_at,
      updated_at = excluded.updated_at`);
}
