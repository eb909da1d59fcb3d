/**
 * Whether an error means the database cannot store anything right now (server down, restarting,
 * network cut, out of connections, disk full), as opposed to a bug or bad data. What cannot be
 * stored now is held and tried again, rather than answered with an apology or given up.
 *
 * postgres.js names connection failures by `code` (ECONNREFUSED, CONNECTION_CLOSED, …);
 * PostgreSQL and PGlite by SQLSTATE (class 08 connection exception, 57P01–57P03 shutting down or
 * starting, 53300 too many connections, 53100 disk full: a write that needs new space fails,
 * what was committed stays). Drizzle wraps them (`cause`).
 */
const diskFull = "53100";

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  diskFull,
]);

/**
 * The code that shows the database cannot store anything now ("ECONNREFUSED", "57P01", "53100"),
 * else undefined.
 */
export function unavailableCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 5; depth++) {
    if (typeof current !== "object" || current === null) return undefined;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && (unavailableCodes.has(code) || code.startsWith("08"))) {
      return code;
    }
    current = cause;
  }
  return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableCode(error) !== undefined;
}

/** Why the database cannot store anything now, in a few words: "disk full (53100)". */
export function describeUnavailable(code: string): string {
  return code === diskFull ? `disk full (${code})` : `unreachable (${code})`;
}

/**
 * What to log for a failed database call: why, in a few words, when the database cannot store
 * anything now (Drizzle's message quotes the query, and a stack adds nothing there), else the
 * error itself.
 */
export function databaseErrorForLog(error: unknown): { err: unknown } | { database: string } {
  const code = unavailableCode(error);
  return code ? { database: describeUnavailable(code) } : { err: error };
}
