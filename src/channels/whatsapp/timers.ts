/** A timer started through `Timers`; only the same `Timers` can clear it. */
export type TimerHandle = { readonly timer: unknown };

/**
 * The timers the WhatsApp adapter uses (reconnect backoff, lease renewal, watchdog), injectable
 * so tests run them by hand instead of waiting.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** Node's timers, unref'd: they never keep the process alive on their own. */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => ({ timer: setTimeout(callback, ms).unref() }),
  clearTimeout: (handle) => clearTimeout(handle.timer as NodeJS.Timeout),
  setInterval: (callback, ms) => ({ timer: setInterval(callback, ms).unref() }),
  clearInterval: (handle) => clearInterval(handle.timer as NodeJS.Timeout),
};

/** Resolves with `promise`, or rejects with a TimeoutError after `ms`. */
export function withTimeout<T>(timers: Timers, promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        timers.clearTimeout(handle);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(handle);
        reject(error);
      },
    );
  });
}
