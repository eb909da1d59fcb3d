/** Failed logins allowed per email or address before each further try must wait. */
const freeFailures = 5;
const forgetAfterMs = 15 * 60_000;
const maxWaitMs = 15 * 60_000;

interface Failures {
  count: number;
  lastAt: number;
}

/**
 * Slows down password guessing: after 5 failed logins for an email or from an address, each
 * further try must wait twice as long as the one before (1 s, 2 s, 4 s … up to 15 minutes).
 * Kept in memory: a restart forgets, which is acceptable for a single console process.
 */
export function createLoginThrottle(clock: () => Date = () => new Date()) {
  const failures = new Map<string, Failures>();

  function waitFor(key: string, now: number): number {
    const entry = failures.get(key);
    if (!entry || now - entry.lastAt > forgetAfterMs) return 0;
    if (entry.count < freeFailures) return 0;
    const wait = Math.min(1_000 * 2 ** (entry.count - freeFailures), maxWaitMs);
    return Math.max(0, entry.lastAt + wait - now);
  }

  return {
    /** Milliseconds to wait before another try with these keys (0: try now). */
    retryAfterMs(keys: readonly string[]): number {
      const now = clock().getTime();
      return Math.max(0, ...keys.map((key) => waitFor(key, now)));
    },
    failed(keys: readonly string[]): void {
      const now = clock().getTime();
      for (const key of keys) {
        const entry = failures.get(key);
        const fresh = !entry || now - entry.lastAt > forgetAfterMs;
        failures.set(key, { count: fresh ? 1 : entry.count + 1, lastAt: now });
      }
    },
    succeeded(keys: readonly string[]): void {
      for (const key of keys) failures.delete(key);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
