/**
 * The rows of `db.execute(sql…)` on either driver: postgres.js answers with an array of rows,
 * PGlite with `{ rows }`. Values differ by driver too (int8 as string or number), so the readers
 * below convert explicitly; instants are best selected as epoch milliseconds.
 */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (typeof result === "object" && result !== null && "rows" in result) {
    const { rows } = result as { rows: unknown };
    if (Array.isArray(rows)) return rows as Record<string, unknown>[];
  }
  throw new TypeError("unexpected result from the database driver");
}

export function numberOf(value: unknown): number {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new TypeError(`expected a number, got ${String(value)}`);
  return number;
}

export function textOf(value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`expected text, got ${typeof value}`);
  return value;
}

/** A jsonb value: postgres.js parses it; a driver that hands back text gets it parsed here. */
export function jsonOf(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** Ids as a parameter cast to `::bigint[]` (an array literal, the same on both drivers). */
export function idArray(ids: readonly number[]): string {
  return `{${ids.join(",")}}`;
}
