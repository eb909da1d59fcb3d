import { isDatabaseUnavailable } from "./unavailable.js";

/** Pause before the n-th retry (1, 2, …): 250 ms doubling, at most `capMs`. */
export function unavailableBackoffMs(attempt: number, capMs = 5_000): number {
  return Math.min(capMs, 250 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs `write`, and runs it again after a growing pause for as long as it fails because the
 * database is unreachable and the next try could still start before `deadline` (ms since the
 * epoch, real time). Any other error, or the deadline, ends it with the last error. For writes
 * that must not be lost to a short outage, such as recording that a message was sent while
 * its lease still holds.
 */
export async function retryWhileUnavailable<T>(
  write: () => Promise<T>,
  deadline: number,
  onRetry: (error: unknown, attempt: number) => void = () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const pause = unavailableBackoffMs(attempt);
      if (!isDatabaseUnavailable(error) || Date.now() + pause >= deadline) throw error;
      onRetry(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
