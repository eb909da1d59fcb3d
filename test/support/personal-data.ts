import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/sql-rows.js";

/** One value that still holds a piece of personal data. */
export interface Finding {
  /** "table.column" */
  place: string;
  needle: string;
  value: string;
}

/** The columns of every table in the public schema, from information_schema. */
async function publicColumns(db: Db): Promise<Map<string, string[]>> {
  const rows = rowsOf(
    await db.execute(sql`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' order by table_name, ordinal_position`),
  );
  const tables = new Map<string, string[]>();
  for (const row of rows) {
    const table = String(row.table_name);
    tables.set(table, [...(tables.get(table) ?? []), String(row.column_name)]);
  }
  return tables;
}

/**
 * Every column of every table in the public schema (read from information_schema, so a table
 * or column added later is searched too), read as text, searched for each needle
 * (case-insensitive). An empty answer means none of the needles is stored anywhere.
 */
export async function personalDataIn(db: Db, needles: readonly string[]): Promise<Finding[]> {
  const wanted = needles.map((needle) => ({ needle, lower: needle.toLowerCase() }));
  const findings: Finding[] = [];
  for (const [table, columns] of await publicColumns(db)) {
    const asText: SQL[] = columns.map(
      (column, i) => sql`${sql.identifier(column)}::text as ${sql.identifier(`c${i}`)}`,
    );
    const rows = rowsOf(
      await db.execute(sql`select ${sql.join(asText, sql`, `)} from ${sql.identifier(table)}`),
    );
    for (const row of rows) {
      columns.forEach((column, i) => {
        const value = row[`c${i}`];
        if (value === null || value === undefined) return;
        const text = String(value).toLowerCase();
        for (const { needle, lower } of wanted) {
          if (text.includes(lower)) {
            findings.push({ place: `${table}.${column}`, needle, value: String(value) });
          }
        }
      });
    }
  }
  return findings;
}
