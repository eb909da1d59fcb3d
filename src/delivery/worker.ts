import type { Registry } from "prom-client";
import type { ChannelAdapter, SendResult } from "../channels/adapter.js";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { retryWhileUnavailable } from "../db/retry.js";
import { databaseErrorForLog, unavailableCode } from "../db/unavailable.js";
import type { Logger } from "../log.js";
import {
  type ClaimedMessage,
  claimDue,
  countNonRepliesSent,
  holdNonReplies,
  releaseClaim,
  releaseOrphanedClaims,
} from "./claim.js";
import { type ClaimGuard, createClaimGuard } from "./claim-guard.js";
import { type Loop, startLoop } from "./loop.js";
import { type DeliveryMetrics, deliveryMetrics } from "./metrics.js";
import { markFailed, reasons, recordOutcome } from "./outcomes.js";
import { type ChannelPacer, createChannelPacer, type Sleep } from "./pacing.js";
import { outboundOf } from "./payload.js";
import {
  defaultQuietHours,
  isQuiet,
  type QuietHours,
  quietEnd,
  witaDay,
  witaDayBounds,
} from "./quiet-hours.js";
import { createSentRecorder } from "./sent-recorder.js";

export interface DeliveryWorkerOptions {
  db: Db;
  /** The channels this worker sends on; rows of other channels are left to other processes. */
  adapters: ReadonlyMap<ChannelName, ChannelAdapter>;
  clock: () => Date;
  log: Logger;
  registry: Registry;
  /** Unique per worker (host, pid, random): the lease holder's name. */
  workerId: string;
  /** How long a claimed row is this worker's before another may take it over. Default 60 s. */
  leaseMs?: number;
  /** Most rows claimed per channel at once (at most one per contact). Default 50. */
  batchSize?: number;
  /** When notices and broadcasts wait; default 21:00–06:00 WITA; null: never. */
  quietHours?: QuietHours | null;
  /** Attempts before a message that keeps failing is given up. Default 8. */
  maxAttempts?: number;
  /** The pacing wait; tests pass one that moves a virtual clock. */
  sleep?: Sleep;
  /** In [0, 1): jitter of pacing and backoff. */
  random?: () => number;
  /** The pause of the `start()` loop when nothing is due. Default 200 ms. */
  idleMs?: number;
}

export interface DeliveryWorker {
  /** Claims and sends until nothing is due now; resolves with how many rows it settled. */
  drain(): Promise<number>;
  /** Drains in a loop, pausing `idleMs` (or until `wake()`) when nothing is due. */
  start(): void;
  /** Drains again at once: the inbound pipeline calls it after a turn commits. */
  wake(): void;
  /** Stops claiming, finishes the sends in flight, ends the loop. */
  stop(): Promise<void>;
}

interface Lane {
  channel: ChannelName;
  adapter: ChannelAdapter;
  pacer: ChannelPacer;
  /** When this lane's notices and broadcasts were last held back in the database, until when. */
  held: { at: number; until: number } | undefined;
  /** Its claims, given back after an outage lost their answer. */
  claims: ClaimGuard;
}

/**
 * Whether rows of this channel are claimed now: when it is ready, or "off" (an adapter only used
 * to send, never started, as in `npm run worker`). A channel starting, waiting for its QR code
 * or disconnected (a WhatsApp session held by another process) gets no claims, so its rows wait
 * without using up their attempts.
 */
function canSend(adapter: ChannelAdapter): boolean {
  const { state } = adapter.status();
  return state === "ready" || state === "off";
}

const realSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** How often the non-replies held back are moved in the database again while held. */
const holdRefreshMs = 60_000;
const maxErrorPauseMs = 30_000;

/** Outcomes are recorded no later than this long before the lease ends: a tenth of it. */
function leaseMargin(leaseMs: number): number {
  return leaseMs / 10;
}

/**
 * The delivery worker (DESIGN.md invariants 2 and 6): claims due outbox rows per channel
 * (`claimDue`), sends them through the channel's adapter, paced (`createChannelPacer`), and
 * records each outcome under its lease (`recordOutcome`). Rows of different contacts go
 * concurrently, up to the batch size; one contact's rows one after the other.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, clock, log, workerId } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 50;
  const quietHours = options.quietHours === undefined ? defaultQuietHours : options.quietHours;
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const idleMs = options.idleMs ?? 200;
  const metrics: DeliveryMetrics = deliveryMetrics(options.registry, db, clock);
  const sentRecorder = createSentRecorder(db, workerId);
  const lanes: Lane[] = [...options.adapters].map(([channel, adapter]) => ({
    channel,
    adapter,
    pacer: createChannelPacer(adapter.capabilities.limits, { clock, sleep, random }),
    held: undefined,
    claims: createClaimGuard(
      (inFlight) => releaseOrphanedClaims(db, workerId, channel, inFlight),
      (released) => log.info({ released, channel }, "gave back rows claimed in an outage"),
    ),
  }));

  let stopping = false;
  const draining = new Set<Promise<number>>();

  /** When capped non-replies may go again: the next WITA day, after its quiet hours. */
  function afterDailyCap(now: Date): Date {
    return quietEnd(quietHours, witaDayBounds(now).end);
  }

  /** Whether notices and broadcasts may go on this lane now; holds them back if not. */
  async function nonRepliesAllowed(lane: Lane): Promise<boolean> {
    const now = clock();
    const cap = lane.adapter.capabilities.limits.dailyCap;
    if (cap !== null && lane.pacer.dailyCountDay() !== witaDay(now)) {
      const { start, end } = witaDayBounds(now);
      const sent = await countNonRepliesSent(db, lane.channel, start, end);
      lane.pacer.setDailyCount(witaDay(now), sent);
    }
    let until: Date | undefined;
    if (isQuiet(quietHours, now)) until = quietEnd(quietHours, now);
    else if (lane.pacer.dailyRemaining() === 0) until = afterDailyCap(now);
    if (!until) return true;
    const { held } = lane;
    if (
      !held ||
      held.until !== until.getTime() ||
      Math.abs(now.getTime() - held.at) >= holdRefreshMs
    ) {
      await holdNonReplies(db, lane.channel, until);
      lane.held = { at: now.getTime(), until: until.getTime() };
    }
    return false;
  }

  /**
   * Records an outcome; while the database is unreachable, tries again until shortly before
   * the claim's lease ends (`leaseEnds`, real time). A send whose outcome was not recorded
   * would be sent again by whoever takes the row over, so a short outage must not cause that.
   */
  function persist<T>(write: () => Promise<T>, leaseEnds: number, claim: ClaimedMessage) {
    return retryWhileUnavailable(write, leaseEnds - leaseMargin(leaseMs), (error, attempt) => {
      if (attempt === 1) {
        log.warn(
          { outboxId: claim.id, database: unavailableCode(error) },
          "database unreachable; recording the outcome again shortly",
        );
      }
    });
  }

  async function send(lane: Lane, claim: ClaimedMessage, leaseEnds: number): Promise<boolean> {
    if (claim.attempts > maxAttempts) {
      // Taken over again and again: whatever sends it brings its worker down. Stop here.
      log.error({ outboxId: claim.id, channel: lane.channel }, "message abandoned after takeovers");
      const reason = reasons.gaveUp(claim.attempts - 1, "pengirim berhenti di tengah pengiriman");
      return persist(() => markFailed(db, claim, workerId, reason), leaseEnds, claim);
    }
    const stored = outboundOf(claim.payload);
    if (!stored.ok) {
      metrics.send(lane.channel, "invalid");
      log.warn({ outboxId: claim.id, channel: lane.channel }, "outbox row has no valid message");
      return persist(
        () => markFailed(db, claim, workerId, reasons.badPayload(stored.problem)),
        leaseEnds,
        claim,
      );
    }
    let result: SendResult;
    try {
      const paced = await lane.pacer.pace(claim.address, claim.priority, () =>
        lane.adapter.send(claim.address, stored.message),
      );
      if (paced.kind === "daily_cap") {
        await persist(
          () => releaseClaim(db, claim, workerId, afterDailyCap(clock())),
          leaseEnds,
          claim,
        );
        return false;
      }
      result = paced.result;
      metrics.send(lane.channel, result.kind);
    } catch (error) {
      // Logged without the message: only which row, and what went wrong.
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      log.warn(
        { outboxId: claim.id, channel: lane.channel, error: { name, message } },
        "channel adapter threw; the message will be retried",
      );
      metrics.send(lane.channel, "error");
      result = { kind: "retry", afterMs: 0, reason: reasons.adapterError };
    }
    const sentAt = clock();
    const settlement = await persist(
      async () =>
        result.kind === "sent"
          ? (await sentRecorder.record(claim, result.platformMessageId, sentAt))
            ? "sent"
            : "lost"
          : recordOutcome(db, claim, result, { workerId, now: clock(), maxAttempts, random }),
      leaseEnds,
      claim,
    );
    if (settlement === "lost") {
      log.warn(
        { outboxId: claim.id, channel: lane.channel },
        "lease ran out before the outcome was recorded; another worker has the row",
      );
    } else if (settlement === "failed" || settlement === "unreachable") {
      log.info({ outboxId: claim.id, channel: lane.channel, settlement }, "message not delivered");
    }
    return settlement === "sent" || settlement === "failed" || settlement === "unreachable";
  }

  async function drainLane(lane: Lane): Promise<number> {
    let settled = 0;
    while (!stopping && canSend(lane.adapter)) {
      const nonReplies = await nonRepliesAllowed(lane);
      const leaseEnds = Date.now() + leaseMs;
      const claims = await claimDue(db, {
        channel: lane.channel,
        workerId,
        now: clock(),
        leaseMs,
        // Every claimed row must get its turn well within the lease, however slow the pace.
        limit: Math.min(batchSize, lane.pacer.capacityWithin(leaseMs / 3)),
        nonReplies,
      });
      if (claims.length === 0) break;
      for (const claim of claims) lane.claims.inFlight.add(claim.id);
      const results = await Promise.allSettled(
        claims.map((claim) =>
          send(lane, claim, leaseEnds).finally(() => lane.claims.inFlight.delete(claim.id)),
        ),
      );
      for (const result of results) {
        if (result.status === "rejected") throw result.reason;
        if (result.value) settled += 1;
      }
    }
    return settled;
  }

  function drainOne(lane: Lane): Promise<number> {
    const run = lane.claims.run(() => drainLane(lane));
    draining.add(run);
    const forget = () => draining.delete(run);
    run.then(forget, forget);
    return run;
  }

  async function drain(): Promise<number> {
    // Every lane finishes before drain() settles, even when one of them fails.
    const results = await Promise.allSettled(lanes.map(drainOne));
    let settled = 0;
    for (const result of results) {
      if (result.status === "rejected") throw result.reason;
      settled += result.value;
    }
    return settled;
  }

  let loops: Loop[] = [];

  return {
    drain,
    start() {
      if (loops.length > 0) return;
      stopping = false;
      // One loop per channel: a slow channel (WhatsApp's pace) never holds up a fast one.
      loops = lanes.map((lane) =>
        startLoop({
          job: () => drainOne(lane),
          idleMs,
          maxErrorPauseMs,
          onError: (error) =>
            log.error(
              { ...databaseErrorForLog(error), channel: lane.channel },
              "delivery failed; trying again shortly",
            ),
        }),
      );
    },
    wake() {
      for (const loop of loops) loop.wake();
    },
    async stop() {
      stopping = true;
      await Promise.all(loops.map((loop) => loop.stop()));
      loops = [];
      await Promise.allSettled([...draining]);
    },
  };
}
