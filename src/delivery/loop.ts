/** A job run again and again: at once when woken, after `idleMs` otherwise, slower on errors. */
export interface Loop {
  wake(): void;
  /** Ends the loop after the run in progress; resolves when it has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `job` until stopped. After a run it pauses `idleMs`, or not at all when `wake()` came
 * during the run, or until `wake()`. After failing runs it pauses `idleMs · 2^failures` (at most
 * `maxErrorPauseMs`), so a database outage is not hammered; `wake()` still ends the pause.
 */
export function startLoop(options: {
  job: () => Promise<unknown>;
  idleMs: number;
  maxErrorPauseMs: number;
  onError: (error: unknown) => void;
}): Loop {
  let stopping = false;
  let woken = false;
  let endIdle: (() => void) | undefined;

  function idle(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, milliseconds);
      function done() {
        clearTimeout(timer);
        endIdle = undefined;
        resolve();
      }
      endIdle = done;
    });
  }

  async function run(): Promise<void> {
    let errors = 0;
    while (!stopping) {
      woken = false;
      try {
        await options.job();
        errors = 0;
      } catch (error) {
        errors += 1;
        options.onError(error);
      }
      if (stopping) break;
      if (woken) continue;
      const pause = errors === 0 ? options.idleMs : options.idleMs * 2 ** errors;
      await idle(Math.min(options.maxErrorPauseMs, pause));
    }
  }

  const running = run();
  return {
    wake() {
      woken = true;
      endIdle?.();
    },
    async stop() {
      stopping = true;
      endIdle?.();
      await running;
    },
  };
}
