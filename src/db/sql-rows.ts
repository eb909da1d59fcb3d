import { type SQL, sql } from "drizzle-orm";

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

/**
 * Rows sent as one JSON array, as a relation to select from (`columns`: `ord int, …`). Not
 * jsonb_to_recordset: the planner takes that for 100 rows and joins it to a big table by reading
 * all of it (a batch's identities, contacts); it takes this form for 10, and looks each row up
 * through an index.
 */
export function jsonRows(rows: readonly object[], columns: SQL): SQL {
  return sql`(select r.*
    from unnest(array(select jsonb_array_elements(${JSON.stringify(rows)}::jsonb))) as e (row)
      cross join lateral jsonb_to_record(e.row) as r (${columns}))`;
}
