import { eq, sql } from "drizzle-orm";
import { Registry } from "prom-client";
import type {
  ChannelAdapter,
  ChannelLimits,
  ChannelState,
  SendResult,
} from "../../src/channels/adapter.js";
import type { ChannelName, OutboundMessage } from "../../src/channels/contract.js";
import type { Db } from "../../src/db/client.js";
import { outboxMessages } from "../../src/db/schema/index.js";
import {
  createDeliveryWorker,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
} from "../../src/delivery/worker.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { enqueueMessage, type OutboxPriorityName } from "../../src/domain/outbox.js";
import { createLogger } from "../../src/log.js";

/** A clock that only moves when told to, or when the code under test sleeps. */
export interface VirtualTime {
  clock: () => Date;
  /**
   * Moves the clock forward at once, no real waiting: to `milliseconds` after what the sleeper
   * could see (a Date holds whole milliseconds).
   */
  sleep: (milliseconds: number) => Promise<void>;
  advance(milliseconds: number): void;
  set(at: Date): void;
  now(): number;
}

export function virtualTime(start: Date): VirtualTime {
  let now = start.getTime();
  return {
    clock: () => new Date(now),
    sleep: async (milliseconds) => {
      now = Math.max(now, Math.floor(now) + milliseconds);
    },
    advance: (milliseconds) => {
      now += milliseconds;
    },
    set: (at) => {
      now = at.getTime();
    },
    now: () => now,
  };
}

/** A seeded random source (mulberry32), so jitter is the same on every run. */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FakeSend {
  address: string;
  text: string;
  /** Virtual time when the send started. */
  at: number;
}

/** What the fake answers for one send; "throw" makes `send` throw. */
export type Script = (
  address: string,
  message: OutboundMessage,
  attempt: number,
) => SendResult | "throw";

/** Virtual times are fractional milliseconds; differences below this are rounding. */
const epsilon = 1e-3;

export const noLimits: ChannelLimits = {
  perSecond: 1_000_000,
  perChatGapMs: 0,
  minGapMs: 0,
  jitterMs: 0,
  dailyCap: null,
};

export interface FakeChannel {
  readonly adapter: ChannelAdapter;
  /** Every send, in the order it started. */
  readonly sends: FakeSend[];
  /** Every limit the sends broke; empty when delivery paced them right. */
  readonly violations: string[];
  /** Resolves at the next send. */
  nextSend(): Promise<FakeSend>;
}

/**
 * A channel that records what is sent, answers from `script` (sent by default), and checks the
 * limits it declares: messages per second in any 1-second window, the gap per chat, the gap
 * between any two sends, and that one chat never has two sends in flight at once.
 */
export function fakeChannel(options: {
  channel: ChannelName;
  clock: () => Date;
  limits?: Partial<ChannelLimits>;
  script?: Script;
  status?: () => ChannelState;
}): FakeChannel {
  const limits = { ...noLimits, ...options.limits };
  const sends: FakeSend[] = [];
  const violations: string[] = [];
  const inFlight = new Set<string>();
  const attempts = new Map<string, number>();
  const waiting: ((send: FakeSend) => void)[] = [];
  let sentCount = 0;

  function check(address: string, at: number): void {
    if (inFlight.has(address)) violations.push(`two sends in flight to ${address}`);
    const lastHere = sends.findLast((send) => send.address === address);
    if (lastHere && at - lastHere.at < limits.perChatGapMs - epsilon) {
      violations.push(`chat ${address}: ${at - lastHere.at} ms after the previous send`);
    }
    const last = sends.at(-1);
    if (last && at - last.at < limits.minGapMs - epsilon) {
      violations.push(`${at - last.at} ms between two sends, less than ${limits.minGapMs}`);
    }
    let inWindow = 0;
    const windowStart = at - 1000 + epsilon;
    for (let i = sends.length - 1; i >= 0 && (sends[i]?.at ?? 0) > windowStart; i--) inWindow++;
    if (inWindow + 1 > limits.perSecond) {
      violations.push(`${inWindow + 1} sends within one second at ${at}`);
    }
  }

  const adapter: ChannelAdapter = {
    channel: options.channel,
    capabilities: { buttons: true, maxTextLength: 4096, limits },
    async send(address, message) {
      const at = options.clock().getTime();
      check(address, at);
      const send = { address, text: message.text, at };
      sends.push(send);
      for (const resolve of waiting.splice(0)) resolve(send);
      inFlight.add(address);
      const attempt = (attempts.get(message.text) ?? 0) + 1;
      attempts.set(message.text, attempt);
      try {
        // Let other sends start before this one ends, as on a network.
        await new Promise((resolve) => setImmediate(resolve));
        const answer = options.script?.(address, message, attempt) ?? {
          kind: "sent",
          platformMessageId: `fake-${++sentCount}`,
        };
        if (answer === "throw") throw new Error("connection reset");
        return answer;
      } finally {
        inFlight.delete(address);
      }
    },
    async start() {},
    async stop() {},
    status: options.status ?? (() => ({ state: "ready" })),
  };
  return {
    adapter,
    sends,
    violations,
    nextSend: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

export const silentLog = createLogger("silent");

/** A worker over `channels`, in virtual time, with quiet hours off unless given. */
export function workerFor(
  db: Db,
  time: VirtualTime,
  channels: FakeChannel[],
  options: Partial<DeliveryWorkerOptions> = {},
): DeliveryWorker {
  return createDeliveryWorker({
    db,
    adapters: new Map(channels.map((fake) => [fake.adapter.channel, fake.adapter])),
    clock: time.clock,
    sleep: time.sleep,
    random: seededRandom(),
    log: silentLog,
    registry: new Registry(),
    workerId: `test-${Math.random().toString(36).slice(2, 8)}`,
    quietHours: null,
    ...options,
  });
}

/** A resident on `channel` with the given address. */
export async function residentOn(db: Db, channel: ChannelName, address: string, now: Date) {
  return ensureIdentity(db, { channel, externalId: address, now });
}

export async function enqueue(
  db: Db,
  contactId: number,
  text: string,
  now: Date,
  priority: OutboxPriorityName = "reply",
  notBefore?: Date,
): Promise<number> {
  const result = await enqueueMessage(db, {
    contactId,
    text,
    priority,
    now,
    ...(notBefore ? { notBefore } : {}),
  });
  if (!result.queued) throw new Error(`not queued: ${result.reason}`);
  return result.outboxId;
}

/** Settles whatever earlier tests left unsent, so each test drains only its own rows. */
export async function clearOutbox(db: Db): Promise<void> {
  await db.execute(
    sql`update outbox_messages set status = 'cancelled' where status in ('pending', 'sending')`,
  );
}

/**
 * Writes `contacts` × `perContact` due reply rows on `channel` in a few statements, each with
 * the text "rowId,contactId,sequence". Returns how many rows it wrote.
 */
export async function seedOutbox(
  db: Db,
  options: { prefix: string; contacts: number; perContact: number; channel: ChannelName; at: Date },
): Promise<number> {
  const at = sql`${options.at.toISOString()}::timestamptz`;
  await db.execute(sql`
    with made as (
      insert into contacts (last_outbox_sequence, created_at)
      select ${options.perContact}, ${at} from generate_series(1, ${options.contacts})
      returning id
    ), identities as (
      insert into channel_identities (contact_id, channel, external_id, created_at)
      select id, ${options.channel}, ${options.prefix} || '-' || id, ${at} from made
      returning id, contact_id
    )
    insert into outbox_messages (contact_id, identity_id, channel, sequence, payload, not_before)
    select i.contact_id, i.id, ${options.channel}, s, '{"text": "-"}'::jsonb, ${at}
    from identities i, generate_series(1, ${options.perContact}) s
  `);
  await db.execute(sql`
    update outbox_messages o
    set payload = jsonb_build_object('text', o.id || ',' || o.contact_id || ',' || o.sequence)
    from channel_identities i
    where i.id = o.identity_id and i.external_id like ${`${options.prefix}-%`}
  `);
  return options.contacts * options.perContact;
}

export async function rowOf(db: Db, id: number) {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}
