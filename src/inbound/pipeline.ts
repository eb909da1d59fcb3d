import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { InboundMessage, OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { contacts, inboundMessages, outboxMessages } from "../db/schema/index.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import type { ActionRegistry } from "../domain/action.js";
import { requestAssistance } from "../domain/assistance.js";
import { ensureIdentity } from "../domain/contacts.js";
import { enqueueMessage } from "../domain/outbox.js";
import type { Json } from "../engine/json.js";
import type { FlowSet } from "../engine/loader.js";
import { type EngineContext, type EngineOutput, step } from "../engine/step.js";
import type { Logger } from "../log.js";
import { loadConversation, saveConversation } from "./conversation-store.js";
import { botAnswersDuringHandover, inHandover } from "./handover.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { InboundPipeline, TurnResult } from "./pipeline-contract.js";
import type { PipelineMetrics } from "./pipeline-metrics.js";

export interface PipelineOptions {
  db: Db;
  flows: FlowSet;
  actions: ActionRegistry;
  organisationName: string;
  idleTimeoutMs: number;
  offerTtlMs: number;
  clock: () => Date;
  log: Logger;
  metrics: PipelineMetrics;
  /** Called after a turn committed: delivery can send its replies at once. */
  afterTurn?: () => void;
  /** Where account-linking codes come from; random by default (see ActionContext). */
  randomCode?: () => string;
}

/** Actions one turn may run; a flow that calls more is going round in circles. */
const maxActionsPerTurn = 20;

const apology: OutboundMessage = {
  text: "Maaf, sedang ada gangguan pada layanan kami. Silakan coba lagi beberapa saat lagi, atau ketik MENU.",
};

type StoredInbound = typeof inboundMessages.$inferSelect;

/**
 * The inbound pipeline (DESIGN.md invariants 1–2). A message is stored first (a redelivered
 * id is a no-op); then, in one transaction with the contact row locked, every unprocessed
 * message of that contact runs through the engine in arrival order, and the new state, the
 * actions' writes and the replies (outbox rows) commit together. Within a process, one
 * sender's messages also queue in memory, so they are stored in the order they came; across
 * processes (PostgreSQL) the row lock keeps turns of one contact from interleaving.
 */
export function createInboundPipeline(options: PipelineOptions): InboundPipeline & {
  /** Processes what a crash left stored but unprocessed. */
  recover(): Promise<number>;
} {
  const { db, log, metrics } = options;
  const queue = new KeyedQueue<string>();

  async function store(message: InboundMessage) {
    return db.transaction(async (tx) => {
      const identity = await ensureIdentity(tx, {
        channel: message.channel,
        externalId: message.senderId,
        now: message.receivedAt,
        ...(message.displayName ? { displayName: message.displayName } : {}),
        ...(message.phone ? { phone: message.phone } : {}),
      });
      const { kind, ...payload } = message.content;
      const [stored] = await tx
        .insert(inboundMessages)
        .values({
          channel: message.channel,
          externalId: message.externalId,
          identityId: identity.identityId,
          contactId: identity.contactId,
          kind,
          text: "text" in payload ? payload.text : null,
          payload: "text" in payload ? null : payload,
          receivedAt: message.receivedAt,
        })
        .onConflictDoNothing()
        .returning({ id: inboundMessages.id, contactId: inboundMessages.contactId });
      return stored;
    });
  }

  async function repliesTo(inboundId: number): Promise<OutboundMessage[]> {
    const rows = await db
      .select({ payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(eq(outboxMessages.inboundId, inboundId))
      .orderBy(asc(outboxMessages.sequence));
    return rows.map((row) => row.payload as unknown as OutboundMessage);
  }

  /**
   * Locks the contact. One that was linked into another (src/domain/merge.ts) while these
   * messages waited hands them to that contact, which is locked and returned instead.
   */
  async function lockResident(tx: Db, contactId: number): Promise<number> {
    for (let hops = 0; hops < 3; hops++) {
      const [row] = await tx
        .select({ mergedInto: contacts.mergedIntoContactId })
        .from(contacts)
        .where(eq(contacts.id, contactId))
        .for("update");
      if (!row?.mergedInto) return contactId;
      await tx
        .update(inboundMessages)
        .set({ contactId: row.mergedInto })
        .where(and(eq(inboundMessages.contactId, contactId), isNull(inboundMessages.processedAt)));
      contactId = row.mergedInto;
    }
    return contactId;
  }

  /**
   * One transaction: lock the contact, run every unprocessed message of it in order. An action
   * may move the resident to another contact (linking two apps): from then on the turn's
   * replies, later messages and the conversation state are that contact's.
   */
  async function turn(lockedContactId: number): Promise<void> {
    await db.transaction(async (tx) => {
      let contactId = await lockResident(tx, lockedContactId);
      const pending = await tx
        .select()
        .from(inboundMessages)
        .where(and(eq(inboundMessages.contactId, contactId), isNull(inboundMessages.processedAt)))
        .orderBy(asc(inboundMessages.id));
      let state = await loadConversation(tx, contactId);
      const handover = pending.length > 0 && (await inHandover(tx, contactId));
      for (const inbound of pending) {
        // Staff are talking to this resident (Percakapan): stored for them, no bot reply.
        if (handover && !botAnswersDuringHandover(inbound, state)) continue;
        const started = performance.now();
        const now = options.clock();
        if (inbound.kind === "voice") {
          // The bot cannot listen; staff can (Percakapan in the console).
          await requestAssistance(tx, { contactId, reason: "pesan_suara", now });
        }
        const output = await converse(tx, inbound, contactId, state, now);
        state = output.state;
        contactId = output.contactId;
        for (const reply of output.replies) {
          await enqueueMessage(tx, {
            ...reply,
            contactId,
            identityId: inbound.identityId,
            inboundId: inbound.id,
            priority: "reply",
            now,
          });
        }
        metrics.turnDone(performance.now() - started);
      }
      if (pending.length > 0) {
        await saveConversation(tx, contactId, state, options.clock());
        await tx
          .update(inboundMessages)
          .set({ processedAt: options.clock() })
          .where(
            inArray(
              inboundMessages.id,
              pending.map((inbound) => inbound.id),
            ),
          );
      }
    });
  }

  /** Runs the engine for one message, and the actions it calls, until it waits. */
  async function converse(
    tx: Db,
    inbound: StoredInbound,
    startContactId: number,
    state: Awaited<ReturnType<typeof loadConversation>>,
    now: Date,
  ): Promise<{ state: EngineOutput["state"]; replies: OutboundMessage[]; contactId: number }> {
    let contactId = startContactId;
    const context: EngineContext = {
      flows: options.flows,
      now,
      idleTimeoutMs: options.idleTimeoutMs,
      organisationName: options.organisationName,
    };
    let output = step(context, state, { type: "message", content: contentOf(inbound) });
    const replies = [...output.replies];
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
        },
        definition.args.parse(args),
      );
      output = step(context, output.state, { type: "action_result", result: result as Json });
      replies.push(...output.replies);
    }
    for (const event of output.events) {
      if (event.type === "unrecognised") metrics.unrecognised(event.flowId, event.stepId);
    }
    return { state: output.state, replies, contactId };
  }

  /** After a turn failed: answer kindly, mark the messages done, keep the conversation. */
  async function apologise(contactId: number): Promise<void> {
    await db.transaction(async (tx) => {
      const pending = await tx
        .update(inboundMessages)
        .set({ processedAt: options.clock() })
        .where(and(eq(inboundMessages.contactId, contactId), isNull(inboundMessages.processedAt)))
        .returning({ id: inboundMessages.id, identityId: inboundMessages.identityId });
      const last = pending.at(-1);
      if (!last) return;
      await enqueueMessage(tx, {
        ...apology,
        contactId,
        identityId: last.identityId,
        inboundId: last.id,
        priority: "reply",
        now: options.clock(),
      });
    });
  }

  async function process(contactId: number): Promise<void> {
    try {
      await turn(contactId);
      options.afterTurn?.();
    } catch (error) {
      // No apology for an outage: the messages stay unprocessed, and run when it is back.
      if (isDatabaseUnavailable(error)) throw error;
      metrics.turnFailed();
      log.error({ err: error, contactId }, "turn failed; the resident gets an apology");
      return apologise(contactId);
    }
  }

  async function receiveInOrder(message: InboundMessage): Promise<TurnResult> {
    const stored = await store(message);
    if (!stored) {
      const [original] = await db
        .select({ id: inboundMessages.id })
        .from(inboundMessages)
        .where(
          and(
            eq(inboundMessages.channel, message.channel),
            eq(inboundMessages.externalId, message.externalId),
          ),
        );
      return { status: "duplicate", replies: original ? await repliesTo(original.id) : [] };
    }
    await process(stored.contactId);
    return { status: "processed", replies: await repliesTo(stored.id) };
  }

  const senderKey = (message: InboundMessage) => `${message.channel}:${message.senderId}`;

  return {
    /** One sender's messages are stored and processed one after the other, in call order. */
    receive: (message) => queue.run(senderKey(message), () => receiveInOrder(message)),

    async accept(message) {
      const stored = await store(message);
      if (!stored) return { status: "duplicate" };
      const processed = queue
        .run(senderKey(message), () => process(stored.contactId))
        .catch((error: unknown) => {
          log.error({ err: error }, "stored message not processed yet; it is retried later");
        });
      return { status: "stored", processed };
    },

    async recover(): Promise<number> {
      const waiting = await db
        .selectDistinct({ contactId: inboundMessages.contactId })
        .from(inboundMessages)
        .where(isNull(inboundMessages.processedAt));
      await Promise.all(waiting.map(({ contactId }) => process(contactId)));
      return waiting.length;
    },
  };
}

function contentOf(inbound: StoredInbound): InboundMessage["content"] {
  if (inbound.kind === "text") return { kind: "text", text: inbound.text ?? "" };
  return { kind: inbound.kind, ...inbound.payload } as InboundMessage["content"];
}
