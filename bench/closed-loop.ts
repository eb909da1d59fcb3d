import type { Core } from "../src/core.js";
import { type Correctness, checkGroup, ResidentGroup } from "./residents.js";
import { type Latencies, latencies, withPeakRss } from "./stats.js";

export interface ClosedLoopFigures extends Latencies, Correctness {
  turns: number;
  turnsPerSecond: number;
  peakRssMb: number;
}

let runs = 0;

/**
 * Closed loop: `count` residents start at once, each sending its next message only when the
 * replies to the previous one came back (committed). Latency is per turn: from `receive` to
 * its replies.
 */
export async function closedLoop(
  core: Core,
  count: number,
  expected: readonly string[],
): Promise<ClosedLoopFigures> {
  const group = new ResidentGroup(`closed${++runs}x${count}`, count);
  const times: number[] = [];
  const started = performance.now();
  const { peakRssMb } = await withPeakRss(() =>
    Promise.all(
      Array.from({ length: count }, async (_, index) => {
        for (const message of group.messages(index)) {
          const sent = performance.now();
          await core.pipeline.receive(message);
          times.push(performance.now() - sent);
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    turns: times.length,
    turnsPerSecond: times.length / seconds,
    ...latencies(times),
    peakRssMb,
    ...(await checkGroup(core.database, group, expected)),
  };
}
