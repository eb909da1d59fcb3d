import type { Response } from "express";

type Cell = string | number | boolean | Date | null | undefined;

/** Excel runs a cell starting with these as a formula; a leading apostrophe keeps it text. */
const formulaStart = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  const safe = typeof value === "string" && formulaStart.test(text) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV text that Excel opens correctly: UTF-8 with a byte-order mark, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(cell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Sends rows as a CSV download named `filename` (ASCII, e.g. "peserta-MJH01.csv"). */
export function sendCsv(
  res: Response,
  filename: string,
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
): void {
  res.type("text/csv; charset=utf-8").attachment(filename).send(toCsv(header, rows));
}
