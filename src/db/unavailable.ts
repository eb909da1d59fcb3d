/**
 * Whether an error means the database cannot be reached right now (server down, restarting,
 * network cut, out of connections), as opposed to a bug or bad data. What cannot be stored now
 * is held and tried again, rather than answered with an apology or given up.
 *
 * postgres.js names connection failures by `code` (ECONNREFUSED, CONNECTION_CLOSED, …);
 * PostgreSQL by SQLSTATE (class 08 connection exception, 57P01–57P03 shutting down or starting,
 * 53300 too many connections). Drizzle wraps them (`cause`).
 */
const connectionCodes = new Set([
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
]);

/** The code that shows the database is unreachable ("ECONNREFUSED", "57P01"), else undefined. */
export function unavailableCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 5; depth++) {
    if (typeof current !== "object" || current === null) return undefined;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && (connectionCodes.has(code) || code.startsWith("08"))) {
      return code;
    }
    current = cause;
  }
  return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableCode(error) !== undefined;
}

/**
 * What to log for a failed database call: the code alone when the database is unreachable
 * (Drizzle's message quotes the query and its parameters, which may hold personal data), else
 * the error itself.
 */
export function databaseErrorForLog(error: unknown): { err: unknown } | { database: string } {
  const code = unavailableCode(error);
  return code ? { database: `unreachable (${code})` } : { err: error };
}
