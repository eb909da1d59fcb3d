import type { Core } from "../src/core.js";
import { type Correctness, checkGroup, ResidentGroup, turnsPerResident } from "./residents.js";
import { type Latencies, latencies } from "./stats.js";

export interface OpenLoopFigures extends Latencies, Correctness {
  rate: number;
  turns: number;
}

/** Each resident writes every this many milliseconds, far apart from its own replies. */
const residentGapMs = 250;
let runs = 0;

/**
 * Open loop: messages arrive at `rate` a second whatever happens to earlier ones. Residents
 * (rate / 4 of them, starts spread evenly) each send the registration conversation, one
 * message every 250 ms. Latency runs from the planned arrival to the committed replies, so a
 * backlog counts in full.
 */
export async function openLoop(
  core: Core,
  rate: number,
  expected: readonly string[],
): Promise<OpenLoopFigures> {
  const count = Math.max(1, Math.round((rate * residentGapMs) / 1000));
  const group = new ResidentGroup(`open${++runs}x${rate}`, count);
  const arrivals = Array.from({ length: count }, (_, index) =>
    group.messages(index).map((message, turn) => ({
      message,
      at: (index * residentGapMs) / count + turn * residentGapMs,
    })),
  )
    .flat()
    .sort((a, b) => a.at - b.at);
  const times: number[] = [];
  const turns: Promise<void>[] = [];
  const started = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const release = () => {
      const elapsed = performance.now() - started;
      for (; next < arrivals.length && (arrivals[next]?.at ?? 0) <= elapsed; next++) {
        const { message, at } = arrivals[next] as (typeof arrivals)[number];
        turns.push(
          core.pipeline.receive(message).then(() => {
            times.push(performance.now() - started - at);
          }),
        );
      }
      if (next < arrivals.length) setTimeout(release, 1);
      else resolve();
    };
    release();
  });
  await Promise.all(turns);
  return {
    rate,
    turns: times.length,
    ...latencies(times),
    ...(await checkGroup(core.database, group, expected)),
  };
}

/** Turns one open-loop run sends at `rate`. */
export const openLoopTurns = (rate: number) =>
  Math.max(1, Math.round((rate * residentGapMs) / 1000)) * turnsPerResident;
