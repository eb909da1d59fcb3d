import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

/** One line of the printed table; empty cells stay blank. */
export interface Row {
  database: string;
  case: string;
  rate?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  ceiling?: number;
  correct?: string;
  rss?: number;
  note?: string;
}

const resultsFolder = fileURLToPath(new URL("./results/", import.meta.url));

export function machine(postgres: string | null) {
  const processors = cpus();
  return {
    cpu: processors[0]?.model ?? "unknown",
    cores: processors.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    postgres,
  };
}

/** Prints the table: rates per second, latencies in ms, ratio to the bare-transaction ceiling. */
export function printTable(rows: readonly Row[]): void {
  const fixed = (value: number | undefined, digits: number) =>
    value === undefined ? "" : value.toFixed(digits);
  console.table(
    rows.map((row) => ({
      database: row.database,
      case: row.case,
      "per s": fixed(row.rate, 0),
      "p50 ms": fixed(row.p50, 1),
      "p95 ms": fixed(row.p95, 1),
      "p99 ms": fixed(row.p99, 1),
      "× ceiling": row.ceiling === undefined ? "" : `${Math.round(row.ceiling * 100)} %`,
      correct: row.correct ?? "",
      "peak RSS MB": fixed(row.rss, 0),
      note: row.note ?? "",
    })),
  );
}

/** Writes everything measured to bench/results/<timestamp>.json (gitignored); returns the path. */
export function writeResults(results: Record<string, unknown>): string {
  mkdirSync(resultsFolder, { recursive: true });
  const path = `${resultsFolder}${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
