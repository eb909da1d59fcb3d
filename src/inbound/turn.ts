import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { InboundMessage, OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { inboundMessages, outboxMessages } from "../db/schema/index.js";
import { rowsOf } from "../db/sql-rows.js";
import type { ActionRegistry } from "../domain/action.js";
import { requestAssistance } from "../domain/assistance.js";
import { enqueueMessages, outboxPayload } from "../domain/outbox.js";
import type { Json } from "../engine/json.js";
import type { FlowSet } from "../engine/loader.js";
import type { ConversationState } from "../engine/state.js";
import { type EngineContext, step } from "../engine/step.js";
import { loadTurnInput, type PendingInbound, saveTurn } from "./conversation-store.js";
import { botAnswersDuringHandover } from "./handover.js";
import { paceOf, slowDownNotice } from "./pace.js";
import type { PipelineMetrics } from "./pipeline-metrics.js";

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

/**
 * One turn, in the caller's transaction: lock the contact, run every unprocessed message of it
 * through the engine in arrival order, write the state, the replies and the processed marks.
 * An action may move the resident to another contact (linking two apps): from then on the
 * turn's replies, later messages and the conversation state are that contact's. Resolves with
 * the replies to `replyTo` (one of the messages), as the outbox holds them.
 *
 * Round trips: the lock and the read go together, then the actions' own, then the writes
 * together. Replies are buffered and written once per turn; only before a later message's
 * actions run are the earlier replies written, so sequence numbers keep the order of old.
 */
export async function runTurn(
  tx: Db,
  options: TurnOptions,
  lockedContactId: number,
  replyTo?: number,
): Promise<OutboundMessage[]> {
  const [locked, input] = await Promise.all([
    lockContact(tx, lockedContactId),
    loadTurnInput(tx, lockedContactId, options.floodLimit + 1),
  ]);
  let contactId = lockedContactId;
  let { state, pending, earlierMs } = input;
  let { handover } = locked;
  if (locked.mergedInto !== null) {
    ({ contactId, handover } = await followMerges(tx, lockedContactId, locked.mergedInto));
    ({ state, pending, earlierMs } = await loadTurnInput(tx, contactId, options.floodLimit + 1));
  }
  if (pending.length === 0) return [];
  const paces = paceOf(
    options.floodLimit,
    earlierMs,
    pending.map((inbound) => inbound.receivedMs),
  );
  const queued = new Map<number, OutboundMessage[]>();
  let buffered: Answered[] = [];
  let replyToQueuedByAction = false;
  for (const [index, inbound] of pending.entries()) {
    // Staff are talking to this resident (Percakapan): stored for them, no bot reply.
    if (handover && !botAnswersDuringHandover(inbound, state)) continue;
    // A flood: stored, not answered; the first such message is told to slow down.
    const pace = paces[index];
    if (pace !== "answer") {
      const replies = pace === "too-fast-first" ? [slowDownNotice] : [];
      buffered.push({ inbound, contactId, replies, now: options.clock() });
      options.metrics.tooFast();
      continue;
    }
    if (buffered.length > 0) await writeReplies(tx, buffered, queued);
    buffered = [];
    const started = performance.now();
    const now = options.clock();
    if (inbound.kind === "voice") {
      // The bot cannot listen; staff can (Percakapan in the console).
      await requestAssistance(tx, { contactId, reason: "pesan_suara", now });
    }
    const output = await converse(tx, options, inbound, contactId, state, now);
    state = output.state;
    contactId = output.contactId;
    buffered.push({ inbound, contactId, replies: output.replies, now });
    if (inbound.id === replyTo) replyToQueuedByAction = output.actionQueuedReply;
    options.metrics.turnDone(performance.now() - started);
  }
  const finished = options.clock();
  await Promise.all([
    writeReplies(tx, buffered, queued),
    saveTurn(
      tx,
      contactId,
      state,
      pending.map((inbound) => inbound.id),
      finished,
    ),
  ]);
  if (replyTo === undefined) return [];
  // An action queued a reply of its own (HAPUS DATA's farewell): read them all back.
  if (replyToQueuedByAction) return repliesTo(tx, replyTo);
  return queued.get(replyTo) ?? [];
}

/**
 * Writes buffered replies, one statement per contact they go to (a second one only after a
 * resident linked two apps), and adds the ones queued to `queued`, by inbound id.
 */
async function writeReplies(
  tx: Db,
  answered: readonly Answered[],
  queued: Map<number, OutboundMessage[]>,
): Promise<void> {
  for (let first = 0; first < answered.length; ) {
    const contactId = answered[first]?.contactId;
    let end = first;
    while (end < answered.length && answered[end]?.contactId === contactId) end++;
    const replies = answered.slice(first, end).flatMap(({ inbound, replies, now }) =>
      replies.map((reply) => ({
        reply,
        inboundId: inbound.id,
        identityId: inbound.identityId,
        now,
      })),
    );
    first = end;
    if (contactId === undefined || replies.length === 0) continue;
    const results = await enqueueMessages(
      tx,
      contactId,
      replies.map(({ reply, ...to }) => ({ ...reply, ...to, priority: "reply" as const })),
    );
    replies.forEach(({ reply, inboundId }, index) => {
      if (!results[index]?.queued) return;
      queued.set(inboundId, [...(queued.get(inboundId) ?? []), outboxPayload(reply)]);
    });
  }
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

/** Locks the contact row; says which contact it was linked into, if any (src/domain/merge.ts). */
interface LockedContact {
  /** The contact this one was linked into, if any. */
  mergedInto: number | null;
  /** Staff have taken over the conversation (Percakapan). */
  handover: boolean;
}

async function lockContact(tx: Db, contactId: number): Promise<LockedContact> {
  const [row] = rowsOf(
    await tx.execute(
      sql`select merged_into_contact_id, handover_since is not null as handover
        from contacts where id = ${contactId} for update`,
    ),
  );
  return {
    mergedInto: row?.merged_into_contact_id == null ? null : Number(row.merged_into_contact_id),
    handover: row?.handover === true,
  };
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
  let locked: LockedContact = { mergedInto, handover: false };
  for (let hops = 0; hops < 3 && locked.mergedInto !== null; hops++) {
    const next: number = locked.mergedInto;
    await tx
      .update(inboundMessages)
      .set({ contactId: next })
      .where(and(eq(inboundMessages.contactId, contactId), isNull(inboundMessages.processedAt)));
    contactId = next;
    locked = await lockContact(tx, contactId);
  }
  return { contactId, handover: locked.handover };
}

/** Runs the engine for one message, and the actions it calls, until it waits. */
async function converse(
  tx: Db,
  options: TurnOptions,
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
  let contactId = startContactId;
  const context: EngineContext = {
    flows: options.flows,
    now,
    idleTimeoutMs: options.idleTimeoutMs,
    organisationName: options.organisationName,
  };
  let output = step(context, state, { type: "message", content: contentOf(inbound) });
  const replies = [...output.replies];
  let actionQueuedReply = false;
  for (let calls = 0; output.call; calls++) {
    if (calls >= maxActionsPerTurn) throw new Error("too many actions in one turn");
    const { action, args } = output.call;
    const definition = options.actions[action];
    if (!definition) throw new Error(`unknown action ${action}`);
    const result = await definition.run(
      {
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
      },
      definition.args.parse(args),
    );
    output = step(context, output.state, { type: "action_result", result: result as Json });
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
