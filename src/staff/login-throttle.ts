/**
 * Failed logins allowed before each further try must wait: per email (someone guessing one
 * account), and more per address (a whole office behind one address shares it).
 */
const freeFailures = { email: 5, address: 20 } as const;
const forgetAfterMs = 15 * 60_000;
const maxWaitMs = 15 * 60_000;
/** Bounds memory when someone tries very many emails. */
const maxTracked = 10_000;

export interface LoginAttempt {
  email: string;
  address: string;
}

interface Failures {
  count: number;
  lastAt: number;
}

/**
 * Slows down password guessing: past the free failures, each further try must wait twice as
 * long as the one before (1 s, 2 s, 4 s … up to 15 minutes); 15 quiet minutes forget it all.
 * Kept in memory: a restart forgets, which is acceptable for a single console process.
 */
export function createLoginThrottle(clock: () => Date = () => new Date()) {
  const failures = new Map<string, Failures>();
  const keysOf = (attempt: LoginAttempt) =>
    [
      [`email:${attempt.email.trim().toLowerCase()}`, freeFailures.email],
      [`address:${attempt.address}`, freeFailures.address],
    ] as const;

  function waitFor(key: string, free: number, now: number): number {
    const entry = failures.get(key);
    if (!entry || now - entry.lastAt > forgetAfterMs || entry.count < free) return 0;
    const wait = Math.min(1_000 * 2 ** (entry.count - free), maxWaitMs);
    return Math.max(0, entry.lastAt + wait - now);
  }

  function forgetOld(now: number): void {
    for (const [key, entry] of failures) {
      if (now - entry.lastAt > forgetAfterMs) failures.delete(key);
    }
  }

  return {
    /** Milliseconds to wait before this attempt may be checked (0: check it now). */
    retryAfterMs(attempt: LoginAttempt): number {
      const now = clock().getTime();
      return Math.max(0, ...keysOf(attempt).map(([key, free]) => waitFor(key, free, now)));
    },
    failed(attempt: LoginAttempt): void {
      const now = clock().getTime();
      if (failures.size > maxTracked) forgetOld(now);
      for (const [key] of keysOf(attempt)) {
        const entry = failures.get(key);
        const fresh = !entry || now - entry.lastAt > forgetAfterMs;
        failures.set(key, { count: fresh ? 1 : entry.count + 1, lastAt: now });
      }
    },
    /** A right password clears that email's failures (not the address's). */
    succeeded(attempt: LoginAttempt): void {
      failures.delete(keysOf(attempt)[0][0]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
