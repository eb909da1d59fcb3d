import { describe, expect, it } from "vitest";
import { Batcher } from "../../src/inbound/batcher.js";

class Outage extends Error {}

/** Lets everything already queued run (promise callbacks, then I/O and immediates). */
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A batcher whose batches wait until the test lets them finish; it records every batch. */
function recordingBatcher(options: { concurrency: number; maxBatch: number }) {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const batcher = new Batcher<number, string>({
    ...options,
    failsAll: (error) => error instanceof Outage,
    async work(jobs) {
      batches.push([...jobs]);
      await new Promise<void>((resolve) => finish.push(resolve));
      if (jobs.includes(-1)) throw new Outage("database unavailable");
      if (jobs.includes(13)) throw new Error("job 13 fails");
      return jobs.map((job) => `done ${job}`);
    },
  });
  /** Lets the batches that have started by now finish, and the next ones start. */
  async function finishRunning(): Promise<void> {
    await tick();
    for (const resolve of finish.splice(0)) resolve();
    await tick();
  }
  return { batcher, batches, finishRunning };
}

describe("Batcher", () => {
  it("sends jobs queued together as one batch, at most maxBatch, and the rest in the next", async () => {
    const { batcher, batches, finishRunning } = recordingBatcher({ concurrency: 1, maxBatch: 3 });
    const results = Promise.all([1, 2, 3, 4, 5].map((job) => batcher.run(job)));
    await tick();
    expect(batches).toEqual([[1, 2, 3]]);
    await finishRunning();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    await finishRunning();
    expect(await results).toEqual(["done 1", "done 2", "done 3", "done 4", "done 5"]);
  });

  it("starts a job at once when nothing runs, and groups what arrives meanwhile", async () => {
    const { batcher, batches, finishRunning } = recordingBatcher({ concurrency: 1, maxBatch: 64 });
    const first = batcher.run(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4].map((job) => batcher.run(job));
    await tick();
    expect(batches).toEqual([[1]]);
    await finishRunning();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await finishRunning();
    expect(await first).toBe("done 1");
    expect(await Promise.all(later)).toEqual(["done 2", "done 3", "done 4"]);
  });

  it("runs at most `concurrency` batches at the same time", async () => {
    const { batcher, batches, finishRunning } = recordingBatcher({ concurrency: 2, maxBatch: 1 });
    const results = Promise.all([1, 2, 3].map((job) => batcher.run(job)));
    await tick();
    expect(batches).toEqual([[1], [2]]);
    await finishRunning();
    expect(batches).toEqual([[1], [2], [3]]);
    await finishRunning();
    expect(await results).toEqual(["done 1", "done 2", "done 3"]);
  });

  it("does each job of a failed batch alone, so that only the failing job fails", async () => {
    const { batcher, batches, finishRunning } = recordingBatcher({ concurrency: 1, maxBatch: 64 });
    const results = [12, 13, 14].map((job) => batcher.run(job).catch((error: Error) => error));
    for (let round = 0; round < 4; round++) await finishRunning();
    expect(batches).toEqual([[12, 13, 14], [12], [13], [14]]);
    const [twelve, thirteen, fourteen] = await Promise.all(results);
    expect(twelve).toBe("done 12");
    expect(thirteen).toBeInstanceOf(Error);
    expect((thirteen as Error).message).toBe("job 13 fails");
    expect(fourteen).toBe("done 14");
  });

  it("fails every job of a batch at once for an error that would fail each of them (an outage)", async () => {
    const { batcher, batches, finishRunning } = recordingBatcher({ concurrency: 1, maxBatch: 64 });
    const results = [-1, 7].map((job) => batcher.run(job).catch((error: Error) => error));
    await finishRunning();
    const settled = await Promise.all(results);
    expect(batches).toEqual([[-1, 7]]);
    expect(settled.every((error) => error instanceof Outage)).toBe(true);
  });
});
