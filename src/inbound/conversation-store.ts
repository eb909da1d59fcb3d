import { sql } from "drizzle-orm";
import type { InboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { idArray, jsonOf, jsonRows, numberOf, rowsOf } from "../db/sql-rows.js";
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
 * Reads, in one statement, what the turns of these (locked) contacts start from, by contact id;
 * `recent` says how many of each one's processed messages' times to read (for the flood limit).
 * "Offset 0" keeps the planner off the index of unprocessed messages: under load it holds
 * thousands of entries of messages processed since the last vacuum, and reading them cost half
 * a millisecond per contact; the contact's own few messages are read instead.
 */
export async function loadTurnInputs(
  tx: Db,
  contactIds: readonly number[],
  recent: number,
): Promise<Map<number, TurnInput>> {
  const rows = rowsOf(
    await tx.execute(sql`
      select k.id as contact_id, c.flow_id, c.step_id, c.flow_version, c.variables, c.attempts,
        c.runtime, (extract(epoch from c.expires_at) * 1000)::float8 as expires_ms,
        (select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'identityId', i.identity_id,
            'channel', i.channel, 'kind', i.kind, 'text', i.text, 'payload', i.payload,
            'receivedMs', (extract(epoch from i.received_at) * 1000)::float8)
            order by i.id), '[]'::jsonb)
          from (select * from inbound_messages where contact_id = k.id offset 0) i
          where i.processed_at is null) as pending,
        (select coalesce(jsonb_agg(e.ms order by e.id), '[]'::jsonb)
          from (select i.id, (extract(epoch from i.received_at) * 1000)::float8 as ms
            from inbound_messages i
            where i.contact_id = k.id and i.processed_at is not null
            order by i.id desc limit ${recent}) e) as earlier
      from unnest(${idArray(contactIds)}::bigint[]) as k (id)
        left join conversations c on c.contact_id = k.id`),
  );
  return new Map(
    rows.map((row) => [
      numberOf(row.contact_id),
      {
        state: stateOf(row),
        pending: jsonOf(row.pending) as PendingInbound[],
        earlierMs: jsonOf(row.earlier) as number[],
      },
    ]),
  );
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

/** What a turn leaves: the conversation (null: none in progress), the messages it processed. */
export interface TurnEnd {
  contactId: number;
  state: ConversationState | null;
  processedIds: readonly number[];
}

/**
 * Ends turns in one statement, in their transaction: stores each one's conversation and marks
 * the messages they processed.
 */
export async function saveTurns(tx: Db, ends: readonly TurnEnd[], now: Date): Promise<void> {
  const conversations = ends.map(({ contactId, state }) => ({
    contact_id: contactId,
    flow_id: state?.flowId ?? null,
    step_id: state?.stepId ?? null,
    flow_version: state?.flowVersion ?? null,
    variables: state?.variables ?? {},
    attempts: state?.attempts ?? 0,
    runtime: state
      ? {
          waiting: state.waiting,
          stack: state.stack,
          ...(state.suspended ? { suspended: state.suspended } : {}),
          ...(state.page ? { page: state.page } : {}),
        }
      : {},
    expires_at: state?.expiresAt ?? null,
  }));
  const at = now.toISOString();
  await tx.execute(sql`
    with processed as (
      update inbound_messages set processed_at = ${at}::timestamptz
      where id = any(${idArray(ends.flatMap((end) => end.processedIds))}::bigint[])
    )
    insert into conversations as c (contact_id, flow_id, step_id, flow_version, variables,
      attempts, runtime, expires_at, updated_at)
    select t.*, ${at}::timestamptz
    from ${jsonRows(
      conversations,
      sql`contact_id bigint, flow_id text, step_id text, flow_version int, variables jsonb,
        attempts int, runtime jsonb, expires_at timestamptz`,
    )} as t
    order by t.contact_id
    on conflict (contact_id) do update set flow_id = excluded.flow_id,
      step_id = excluded.step_id, flow_version = excluded.flow_version,
      variables = excluded.variables, attempts = excluded.attempts,
      runtime = excluded.runtime, expires_at = excluded.expires_at,
      updated_at = excluded.updated_at`);
}
