import type { ChannelLimits } from "../channels/adapter.js";
import { witaDay } from "./quiet-hours.js";

export type Sleep = (milliseconds: number) => Promise<void>;

export interface PacingEnvironment {
  clock: () => Date;
  sleep: Sleep;
  /** A number in [0, 1): the jitter source. */
  random: () => number;
}

export type PacedSend<T> = { kind: "started"; result: T } | { kind: "daily_cap" };

/**
 * The pacing of one channel, in this process. Sends take their turn one after the other: each
 * waits until every limit allows it, then the send is *started* (not awaited) before the next
 * turn is computed, so sends still overlap on the network but leave in a paced order.
 *
 * - overall rate: a token bucket holding one token, refilled `perSecond` times in a second and
 *   `arrivalSkewMs`, so sends are evenly spaced and no 1-second window holds more than
 *   `perSecond`, even as they arrive;
 * - per chat: at least `perChatGapMs` and `arrivalSkewMs` between two sends to one address;
 * - any two sends: at least `minGapMs` plus a random 0…`jitterMs` (WhatsApp Web);
 * - non-replies (priority > 0): at most `dailyCap` per WITA day; a send over the cap is not
 *   started and answers `daily_cap`. Replies are never capped and do not count.
 *
 * The state lives in memory: pacing is per process. That fits WhatsApp, whose session one
 * process holds; for Telegram, N processes may together send up to N times the rate (run the
 * Telegram workers in one process, or lower the limit).
 */
export interface ChannelPacer {
  pace<T>(address: string, priority: number, send: () => Promise<T>): Promise<PacedSend<T>>;
  /** Non-replies still allowed today (WITA); null when there is no cap. */
  dailyRemaining(): number | null;
  /** How many non-replies were already sent today, e.g. by this process before a restart. */
  setDailyCount(day: string, count: number): void;
  /** The day `setDailyCount` was last given, or null. */
  dailyCountDay(): string | null;
  /** How many sends fit into the next `milliseconds` at the slowest pace (at least 1). */
  capacityWithin(milliseconds: number): number;
}

/**
 * How much later than the next one a send may reach the platform, which counts arrivals, not
 * departures (a busy event loop, a slow connection). The pacer keeps this much room: 30/s
 * leaves one send every 35 ms, so any 1-second window of arrivals holds 30 even when one send
 * is 50 ms late; a 1-second gap per chat becomes 1,050 ms.
 */
export const arrivalSkewMs = 50;

export function createChannelPacer(limits: ChannelLimits, env: PacingEnvironment): ChannelPacer {
  const interval = limits.perSecond > 0 ? (1000 + arrivalSkewMs) / limits.perSecond : 0;
  const perChatGapMs = limits.perChatGapMs > 0 ? limits.perChatGapMs + arrivalSkewMs : 0;
  /** Above 1000 a second (the simulator) the rate is not paced: no timer for a fraction of a ms. */
  const rated = interval >= 1;
  const spaced = limits.minGapMs > 0 || limits.jitterMs > 0;
  /** The token bucket: the earliest time the next send may leave at the overall rate. */
  let nextTokenAt = Number.NEGATIVE_INFINITY;
  /** The earliest time the next send may leave after the last one's gap and jitter. */
  let nextAnyAt = Number.NEGATIVE_INFINITY;
  const lastToChat = new Map<string, number>();
  let day: string | null = null;
  let sentToday = 0;
  let seededDay: string | null = null;
  let turn: Promise<unknown> = Promise.resolve();

  function rollDay(now: Date): void {
    const today = witaDay(now);
    if (today !== day) {
      day = today;
      sentToday = 0;
    }
  }

  function capped(priority: number): boolean {
    if (priority === 0 || limits.dailyCap === null) return false;
    rollDay(env.clock());
    return sentToday >= limits.dailyCap;
  }

  function forgetQuietChats(now: number): void {
    if (lastToChat.size < 10_000) return;
    for (const [address, at] of lastToChat) {
      if (at + perChatGapMs <= now) lastToChat.delete(address);
    }
  }

  async function takeTurn<T>(
    address: string,
    priority: number,
    send: () => Promise<T>,
  ): Promise<PacedSend<Promise<T>>> {
    if (capped(priority)) return { kind: "daily_cap" };
    const now = env.clock().getTime();
    const lastHere = lastToChat.get(address);
    // The exact moment every limit allows, and the whole millisecond the send waits for.
    const slot = Math.max(
      now,
      rated ? nextTokenAt : now,
      nextAnyAt,
      lastHere === undefined ? now : lastHere + perChatGapMs,
    );
    const due = Math.ceil(slot);
    if (due > now) await env.sleep(due - now);
    const at = Math.max(due, env.clock().getTime());
    // On time, the bucket refills from the exact slot (no drift from rounding); late (a slow
    // timer), from the moment it really went, so a late send never leaves two too close.
    nextTokenAt = (at === due ? slot : at) + interval;
    if (spaced) nextAnyAt = at + limits.minGapMs + env.random() * limits.jitterMs;
    if (perChatGapMs > 0) {
      forgetQuietChats(at);
      lastToChat.set(address, at);
    }
    if (priority > 0) {
      rollDay(new Date(at));
      sentToday += 1;
    }
    // Started here, before the next turn is computed; awaited by the caller.
    let started: Promise<T>;
    try {
      started = send();
    } catch (error) {
      started = Promise.reject(error);
    }
    started.catch(() => {});
    return { kind: "started", result: started };
  }

  return {
    async pace(address, priority, send) {
      const mine = turn.then(() => takeTurn(address, priority, send));
      turn = mine.catch(() => {});
      const outcome = await mine;
      if (outcome.kind === "daily_cap") return outcome;
      return { kind: "started", result: await outcome.result };
    },
    dailyRemaining() {
      if (limits.dailyCap === null) return null;
      rollDay(env.clock());
      return Math.max(0, limits.dailyCap - sentToday);
    },
    setDailyCount(forDay, count) {
      rollDay(env.clock());
      seededDay = forDay;
      if (forDay === day) sentToday = Math.max(sentToday, count);
    },
    dailyCountDay: () => seededDay,
    capacityWithin(milliseconds) {
      const slowest = Math.max(interval, limits.minGapMs + limits.jitterMs);
      if (slowest <= 0) return Number.MAX_SAFE_INTEGER;
      return Math.max(1, Math.floor(milliseconds / slowest));
    },
  };
}
