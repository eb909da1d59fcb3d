import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { InboundMessage, OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { inboundMessages, outboxMessages } from "../db/schema/index.js";
import { idArray, numberOf, rowsOf } from "../db/sql-rows.js";
import type { ActionContext, ActionRegistry } from "../domain/action.js";
import { requestAssistance } from "../domain/assistance.js";
import { enqueueMessages, outboxPayload } from "../domain/outbox.js";
import type { Json } from "../engine/json.js";
import type { FlowSet } from "../engine/loader.js";
import type { ConversationState } from "../engine/state.js";
import { type EngineContext, step } from "../engine/step.js";
import { loadTurnInputs, type PendingInbound, saveTurns } from "./conversation-store.js";
import { botAnswersDuringHandover } from "./handover.js";
import { paceOf, slowDownNotice } from "./pace.js";
import type { PipelineMetrics } from "./pipeline-metrics.js";
import { settleAll } from "./settle-all.js";
import { TurnScheduler } from "./turn-scheduler.js";

export interface TurnOptions {
  flows: FlowSet;
  actions: ActionRegistry;
  organisationName: string;
  idleTimeoutMs: number;
  offerTtlMs: number;
  /** Messages a resident may send within 10 s before the bot stops answering for a while. */
  floodLimit: number;
  clock: () => Date;
  metrics: PipelineMetrics;
  /** Where account-linking codes come from; random by default (see ActionContext). */
  randomCode?: () => string;
}

/** Actions one turn may run; a flow that calls more is going round in circles. */
const maxActionsPerTurn = 20;

/** The replies one message produced, waiting to be written to the outbox. */
interface Answered {
  inbound: PendingInbound;
  contactId: number;
  replies: OutboundMessage[];
  now: Date;
}

/** One contact's turn: locked, its input read, and what it has answered so far. */
interface Turn {
  /** The contact whose conversation this is; an action may move the resident to another. */
  contactId: number;
  state: ConversationState | null;
  pending: PendingInbound[];
  earlierMs: number[];
  handover: boolean;
  /** Replies not written to the outbox yet. */
  buffered: Answered[];
}

/** The replies of a turn's messages, by inbound id, as the outbox holds them. */
export type RepliesByInbound = Map<number, OutboundMessage[]>;

/**
 * Thrown when turns that share a transaction touch each other's residents (an app linked into
 * another contact): they must run one transaction each instead.
 */
export class TurnsEntangled extends Error {}

/** What the turns that share a transaction share. */
interface Shared {
  tx: Db;
  options: TurnOptions;
  /** The replies written so far, by inbound id. */
  replies: RepliesByInbound;
  /** Messages whose replies an action queued itself (HAPUS DATA's farewell). */
  queuedByAction: Set<number>;
  /** Runs effects that must not overlap another turn's (ActionDefinition.alongsideOthers). */
  alone<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The turns of these contacts, in the caller's transaction: lock each contact, run every
 * unprocessed message of it through the engine in arrival order, write the state, the replies
 * and the processed marks. An action may move the resident to another contact (linking two
 * apps): from then on the turn's replies, later messages and the conversation state are that
 * contact's; that throws TurnsEntangled when other contacts share the transaction.
 *
 * Round trips, whatever the number of contacts: the locks and reads go together, then the
 * actions' own (the turns side by side; actions that must run alone one at a time, last:
 * TurnScheduler), then the writes together. Replies are buffered and written once per turn;
 * only before a later message's actions run are the earlier replies written, so sequence
 * numbers keep the order of old. Contacts are locked in id order, so that two such
 * transactions never wait for each other in a circle.
 */
export async function runTurns(
  tx: Db,
  options: TurnOptions,
  contactIds: readonly number[],
): Promise<RepliesByInbound> {
  const ids = [...new Set(contactIds)].sort((a, b) => a - b);
  const together = ids.length > 1;
  const turns = await openTurns(tx, options, ids);
  const scheduler = new TurnScheduler(turns.length);
  const shared: Shared = {
    tx,
    options,
    replies: new Map(),
    queuedByAction: new Set(),
    alone: (work) => scheduler.alone(work),
  };
  await settleAll(
    turns.map(async (turn) => {
      const startedAs = turn.contactId;
      try {
        await converseAll(shared, turn);
      } finally {
        scheduler.finished();
      }
      if (together && turn.contactId !== startedAs) {
        throw new TurnsEntangled("a resident linked two apps");
      }
    }),
  );
  await endTurns(shared, turns);
  for (const inboundId of shared.queuedByAction) {
    shared.replies.set(inboundId, await repliesTo(tx, inboundId));
  }
  return shared.replies;
}

/** Locks the contacts (in id order) and reads what their turns start from. */
async function openTurns(tx: Db, options: TurnOptions, ids: readonly number[]): Promise<Turn[]> {
  const recent = options.floodLimit + 1;
  // Two statements sent together: the reads start after the locks are held, so they see what
  // the last turn of each contact committed.
  const [locks, inputs] = await Promise.all([
    lockContacts(tx, ids),
    loadTurnInputs(tx, ids, recent),
  ]);
  const turns: Turn[] = [];
  for (const id of ids) {
    let contactId = id;
    let { mergedInto, handover } = locks.get(id) ?? unlocked;
    let input = inputs.get(id);
    if (mergedInto !== null) {
      if (ids.length > 1) throw new TurnsEntangled("a contact was linked into another");
      ({ contactId, handover } = await followMerges(tx, contactId, mergedInto));
      input = (await loadTurnInputs(tx, [contactId], recent)).get(contactId);
    }
    if (!input) throw new Error("the turn input query missed a contact");
    turns.push({ contactId, handover, ...input, buffered: [] });
  }
  return turns;
}

/** Writes the turns' last replies, their conversations and processed marks, together. */
async function endTurns(shared: Shared, turns: readonly Turn[]): Promise<void> {
  const ended = turns.filter((turn) => turn.pending.length > 0);
  if (ended.length === 0) return;
  await settleAll([
    writeReplies(
      shared.tx,
      ended.flatMap((turn) => turn.buffered),
      shared.replies,
    ),
    saveTurns(
      shared.tx,
      ended.map(({ contactId, state, pending }) => ({
        contactId,
        state,
        processedIds: pending.map((inbound) => inbound.id),
      })),
      shared.options.clock(),
    ),
  ]);
}

/** Runs the turn's messages through the engine in order; the last replies stay buffered. */
async function converseAll(shared: Shared, turn: Turn): Promise<void> {
  const { tx, options } = shared;
  const paces = paceOf(
    options.floodLimit,
    turn.earlierMs,
    turn.pending.map((inbound) => inbound.receivedMs),
  );
  for (const [index, inbound] of turn.pending.entries()) {
    // Staff are talking to this resident (Percakapan): stored for them, no bot reply.
    if (turn.handover && !botAnswersDuringHandover(inbound, turn.state)) continue;
    // A flood: stored, not answered; the first such message is told to slow down.
    const pace = paces[index];
    if (pace !== "answer") {
      const notice = pace === "too-fast-first" ? [slowDownNotice] : [];
      turn.buffered.push({
        inbound,
        contactId: turn.contactId,
        replies: notice,
        now: options.clock(),
      });
      options.metrics.tooFast();
      continue;
    }
    if (turn.buffered.length > 0) await writeReplies(tx, turn.buffered, shared.replies);
    turn.buffered = [];
    const started = performance.now();
    const now = options.clock();
    if (inbound.kind === "voice") {
      // The bot cannot listen; staff can (Percakapan in the console).
      const contactId = turn.contactId;
      await shared.alone(() => requestAssistance(tx, { contactId, reason: "pesan_suara", now }));
    }
    const output = await converse(shared, inbound, turn.contactId, turn.state, now);
    turn.state = output.state;
    turn.contactId = output.contactId;
    turn.buffered.push({ inbound, contactId: turn.contactId, replies: output.replies, now });
    if (output.actionQueuedReply) shared.queuedByAction.add(inbound.id);
    options.metrics.turnDone(performance.now() - started);
  }
}

/** Writes buffered replies in one statement; adds the ones queued to `queued`, by inbound id. */
async function writeReplies(
  tx: Db,
  answered: readonly Answered[],
  queued: RepliesByInbound,
): Promise<void> {
  const replies = answered.flatMap(({ inbound, contactId, replies, now }) =>
    replies.map((reply) => ({
      reply,
      inboundId: inbound.id,
      identityId: inbound.identityId,
      contactId,
      now,
    })),
  );
  if (replies.length === 0) return;
  const results = await enqueueMessages(
    tx,
    replies.map(({ reply, ...to }) => ({ ...reply, ...to, priority: "reply" as const })),
  );
  replies.forEach(({ reply, inboundId }, index) => {
    if (!results[index]?.queued) return;
    queued.set(inboundId, [...(queued.get(inboundId) ?? []), outboxPayload(reply)]);
  });
}

/** The replies to one message, as the outbox holds them, in order. */
export async function repliesTo(db: Db, inboundId: number): Promise<OutboundMessage[]> {
  const rows = await db
    .select({ payload: outboxMessages.payload })
    .from(outboxMessages)
    .where(eq(outboxMessages.inboundId, inboundId))
    .orderBy(asc(outboxMessages.sequence));
  return rows.map((row) => row.payload as unknown as OutboundMessage);
}

/** A locked contact: which contact it was linked into, if any (src/domain/merge.ts). */
interface LockedContact {
  /** The contact this one was linked into, if any. */
  mergedInto: number | null;
  /** Staff have taken over the conversation (Percakapan). */
  handover: boolean;
}

/** What a contact without a row (erased meanwhile) counts as. */
const unlocked: LockedContact = { mergedInto: null, handover: false };

/**
 * Locks the contacts' rows, in id order. "No key update": it keeps other turns of a contact out
 * but lets other transactions insert rows that refer to it (a message, stored for the next
 * turn) without waiting.
 */
async function lockContacts(
  tx: Db,
  contactIds: readonly number[],
): Promise<Map<number, LockedContact>> {
  const rows = rowsOf(
    await tx.execute(
      sql`select id, merged_into_contact_id, handover_since is not null as handover
        from contacts where id = any(${idArray(contactIds)}::bigint[])
        order by id for no key update`,
    ),
  );
  return new Map(
    rows.map((row) => [
      numberOf(row.id),
      {
        mergedInto:
          row.merged_into_contact_id == null ? null : numberOf(row.merged_into_contact_id),
        handover: row.handover === true,
      },
    ]),
  );
}

/**
 * A contact that was linked into another while these messages waited hands them to that
 * contact, which is locked and returned instead.
 */
async function followMerges(
  tx: Db,
  from: number,
  mergedInto: number,
): Promise<{ contactId: number; handover: boolean }> {
  let contactId = from;
  let locked: LockedContact = { ...unlocked, mergedInto };
  for (let hops = 0; hops < 3 && locked.mergedInto !== null; hops++) {
    const next: number = locked.mergedInto;
    await tx
      .update(inboundMessages)
      .set({ contactId: next })
      .where(and(eq(inboundMessages.contactId, contactId), isNull(inboundMessages.processedAt)));
    contactId = next;
    locked = (await lockContacts(tx, [contactId])).get(contactId) ?? unlocked;
  }
  return { contactId, handover: locked.handover };
}

/** Runs the engine for one message, and the actions it calls, until it waits. */
async function converse(
  shared: Shared,
  inbound: PendingInbound,
  startContactId: number,
  state: ConversationState | null,
  now: Date,
): Promise<{
  state: ConversationState | null;
  replies: OutboundMessage[];
  contactId: number;
  actionQueuedReply: boolean;
}> {
  const { tx, options } = shared;
  let contactId = startContactId;
  const engine: EngineContext = {
    flows: options.flows,
    now,
    idleTimeoutMs: options.idleTimeoutMs,
    organisationName: options.organisationName,
  };
  let output = step(engine, state, { type: "message", content: contentOf(inbound) });
  const replies = [...output.replies];
  let actionQueuedReply = false;
  for (let calls = 0; output.call; calls++) {
    if (calls >= maxActionsPerTurn) throw new Error("too many actions in one turn");
    const { action, args } = output.call;
    const definition = options.actions[action];
    if (!definition) throw new Error(`unknown action ${action}`);
    const actionContext: ActionContext = {
      tx,
      contactId,
      identityId: inbound.identityId,
      inboundId: inbound.id,
      channel: inbound.channel,
      now,
      organisationName: options.organisationName,
      offerTtlMs: options.offerTtlMs,
      ...(options.randomCode ? { randomCode: options.randomCode } : {}),
      contactMoved: (movedTo) => {
        contactId = movedTo;
      },
      replyQueued: () => {
        actionQueuedReply = true;
      },
    };
    const parsed = definition.args.parse(args);
    const result = await (definition.alongsideOthers
      ? definition.run(actionContext, parsed)
      : shared.alone(() => definition.run(actionContext, parsed)));
    output = step(engine, output.state, { type: "action_result", result: result as Json });
    replies.push(...output.replies);
  }
  for (const event of output.events) {
    if (event.type === "unrecognised") options.metrics.unrecognised(event.flowId, event.stepId);
  }
  return { state: output.state, replies, contactId, actionQueuedReply };
}

function contentOf(inbound: PendingInbound): InboundMessage["content"] {
  if (inbound.kind === "text") return { kind: "text", text: inbound.text ?? "" };
  return { kind: inbound.kind, ...inbound.payload } as InboundMessage["content"];
}
