import { and, eq, isNull } from "drizzle-orm";
import type { InboundMessage, OutboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { inboundMessages } from "../db/schema/index.js";
import { databaseErrorForLog, isDatabaseUnavailable } from "../db/unavailable.js";
import { enqueueMessage } from "../domain/outbox.js";
import type { Logger } from "../log.js";
import { Batcher } from "./batcher.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { InboundPipeline, TurnResult } from "./pipeline-contract.js";
import { type StoredInbound, storeInbounds } from "./store.js";
import { repliesTo, runTurns, type TurnOptions } from "./turn.js";

export interface PipelineOptions extends TurnOptions {
  db: Db;
  log: Logger;
  /** Called after turns committed: delivery can send their replies at once. */
  afterTurn?: () => void;
  /** Transactions the pipeline may run at once (PGlite has one connection: 1). */
  concurrentTransactions: number;
}

/** A message to store and answer, or a contact whose stored messages to answer. */
type TurnJob = { message: InboundMessage } | { contactId: number };

interface TurnOutcome {
  /** Undefined for a message stored before (a duplicate), or for a contact's job. */
  stored: StoredInbound | undefined;
  replies: OutboundMessage[];
}

/**
 * Messages one transaction takes at most. Under load, the messages that arrive while the
 * running transactions work go together in the next one: fewer round trips and commits per
 * message. A batch's contacts stay locked until it commits.
 */
const maxBatch = 64;

const apology: OutboundMessage = {
  text: "Maaf, sedang ada gangguan pada layanan kami. Silakan coba lagi beberapa saat lagi, atau ketik MENU.",
};

/**
 * The inbound pipeline (DESIGN.md invariants 1–2). A message is stored (a redelivered id is a
 * no-op); then, with the contact row locked, every unprocessed message of that contact runs
 * through the engine in arrival order, and the new state, the actions' writes and the replies
 * (outbox rows) commit together. `receive` stores and processes in one transaction; `accept`
 * commits the stored message first (webhooks answer then) and processes it in a second one.
 * If a turn fails, the message is stored on its own and the resident gets an apology. Within a
 * process, one sender's messages also queue in memory, so they are stored in the order they
 * came; across processes (PostgreSQL) the row lock keeps turns of one contact from interleaving.
 * Under load, the turns of many residents share a transaction (Batcher): each turn still
 * commits with its message, state, writes and replies; if one of them fails, they are all
 * done again one transaction each, so that only the failing one gets the apology.
 */
export function createInboundPipeline(options: PipelineOptions): InboundPipeline & {
  /** Processes what a crash left stored but unprocessed. */
  recover(): Promise<number>;
} {
  const { db, log, metrics } = options;
  const queue = new KeyedQueue<string>();

  const concurrency = options.concurrentTransactions;
  const stores = new Batcher<InboundMessage, StoredInbound | undefined>({
    concurrency,
    maxBatch,
    failsAll: isDatabaseUnavailable,
    work: (messages) => db.transaction((tx) => storeInbounds(tx, messages)),
  });
  const turns = new Batcher<TurnJob, TurnOutcome>({
    concurrency,
    maxBatch,
    failsAll: isDatabaseUnavailable,
    async work(jobs) {
      const outcomes = await db.transaction((tx) => runBatch(tx, jobs));
      metrics.batchCommitted(jobs.length);
      options.afterTurn?.();
      return outcomes;
    },
  });

  async function runBatch(tx: Db, jobs: readonly TurnJob[]): Promise<TurnOutcome[]> {
    const messages = jobs.flatMap((job) => ("message" in job ? [job.message] : []));
    const storedInOrder = (await storeInbounds(tx, messages)).values();
    const stored = jobs.map((job) => ("message" in job ? storedInOrder.next().value : undefined));
    const contactIds = jobs.flatMap((job, index) => {
      const contactId = "contactId" in job ? job.contactId : stored[index]?.contactId;
      return contactId === undefined ? [] : [contactId];
    });
    const replies = await runTurns(tx, options, contactIds);
    return stored.map((inbound) => ({
      stored: inbound,
      replies: (inbound && replies.get(inbound.id)) ?? [],
    }));
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

  function turnFailed(error: unknown, contactId: number): Promise<void> {
    metrics.turnFailed();
    log.error({ err: error, contactId }, "turn failed; the resident gets an apology");
    return apologise(contactId);
  }

  async function process(contactId: number): Promise<void> {
    try {
      await turns.run({ contactId });
    } catch (error) {
      // No apology for an outage: the messages stay unprocessed, and run when it is back.
      if (isDatabaseUnavailable(error)) throw error;
      return turnFailed(error, contactId);
    }
  }

  async function duplicateOf(message: InboundMessage): Promise<TurnResult> {
    const [original] = await db
      .select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.channel, message.channel),
          eq(inboundMessages.externalId, message.externalId),
        ),
      );
    return { status: "duplicate", replies: original ? await repliesTo(db, original.id) : [] };
  }

  async function receiveInOrder(message: InboundMessage): Promise<TurnResult> {
    let outcome: TurnOutcome;
    try {
      outcome = await turns.run({ message });
    } catch (error) {
      // An outage: nothing was stored; the channel holds the message and delivers it again.
      if (isDatabaseUnavailable(error)) throw error;
      // Nothing was committed. Store the message alone (this fails too if the database is
      // unreachable), then answer kindly as for any failed turn.
      const stored = await stores.run(message);
      if (!stored) return duplicateOf(message);
      await turnFailed(error, stored.contactId);
      return { status: "processed", replies: await repliesTo(db, stored.id) };
    }
    if (!outcome.stored) return duplicateOf(message);
    return { status: "processed", replies: outcome.replies };
  }

  const senderKey = (message: InboundMessage) => `${message.channel}:${message.senderId}`;

  return {
    /** One sender's messages are stored and processed one after the other, in call order. */
    receive: (message) => queue.run(senderKey(message), () => receiveInOrder(message)),

    async accept(message) {
      const stored = await stores.run(message);
      if (!stored) return { status: "duplicate" };
      const processed = queue
        .run(senderKey(message), () => process(stored.contactId))
        .catch((error: unknown) => {
          log.error(
            databaseErrorForLog(error),
            "stored message not processed yet; it is retried later",
          );
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
