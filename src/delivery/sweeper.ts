import { databaseErrorForLog } from "../db/unavailable.js";
import type { Logger } from "../log.js";

/** A periodic job: schedule reminders, expire offers, start scheduled announcements. */
export interface Sweep {
  name: string;
  run(now: Date): Promise<unknown>;
}

export interface Sweeper {
  /** Runs every sweep once, one after the other; a failing sweep is logged, the others run. */
  runOnce(): Promise<void>;
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the sweeps every `intervalMs` (default one minute). Each sweep is idempotent and safe
 * with several processes (they lock what they change), so every process may run them.
 */
export function createSweeper(options: {
  sweeps: readonly Sweep[];
  clock: () => Date;
  log: Logger;
  intervalMs?: number;
}): Sweeper {
  const intervalMs = options.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function runOnce(): Promise<void> {
    for (const sweep of options.sweeps) {
      try {
        await sweep.run(options.clock());
      } catch (error) {
        options.log.error(
          { ...databaseErrorForLog(error), sweep: sweep.name },
          "sweep failed; it runs again later",
        );
      }
    }
  }

  return {
    runOnce,
    start() {
      timer = setInterval(() => {
        running ??= runOnce().finally(() => {
          running = undefined;
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
