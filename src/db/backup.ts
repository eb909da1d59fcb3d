import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { DatabaseTarget } from "./client.js";

/**
 * Backup and restore of either database (docs/operations.md):
 * - embedded (PGlite): a dump of the data folder (`dumpDataDir`, a gzipped tarball), taken
 *   while Berdaya is stopped (PGlite is one process's database); restored into a data folder
 *   by loading that dump.
 * - PostgreSQL: `pg_dump --format=custom` of DATABASE_URL, consistent while Berdaya runs (one
 *   snapshot); restored with `pg_restore --clean --if-exists --no-owner`. Both tools come with
 *   the PostgreSQL client (`apt-get install postgresql-client`, the server's major version or
 *   newer).
 */

/** Writes a backup of `target` to `file`. */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (target.driver === "postgres") {
    await run("pg_dump", [
      "--format=custom",
      "--no-owner",
      `--file=${file}`,
      `--dbname=${target.url}`,
    ]);
    return;
  }
  if (!target.dataDir || !existsSync(target.dataDir)) {
    throw new Error(`DATA_DIR: no embedded database in ${target.dataDir ?? "memory"} to back up`);
  }
  const client = await PGlite.create({ dataDir: target.dataDir });
  try {
    const dump = await client.dumpDataDir("gzip");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await client.close();
  }
}

/**
 * Restores `file` into `target`. An embedded data folder that already holds a database is moved
 * aside (`<folder>.before-restore-<time>`), never overwritten; PostgreSQL objects of the dump
 * are dropped and recreated, other tables are left alone.
 */
export async function restoreDatabase(
  target: DatabaseTarget,
  file: string,
  now: Date = new Date(),
): Promise<{ movedAside?: string }> {
  if (!existsSync(file)) throw new Error(`${file}: no such backup file`);
  if (target.driver === "postgres") {
    await run("pg_restore", [
      "--clean",
      "--if-exists",
      "--no-owner",
      `--dbname=${target.url}`,
      file,
    ]);
    return {};
  }
  if (!target.dataDir) throw new Error("DATA_DIR: the embedded database needs a data folder");
  let movedAside: string | undefined;
  if (existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0) {
    movedAside = `${target.dataDir}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target.dataDir, movedAside);
  }
  mkdirSync(dirname(target.dataDir), { recursive: true });
  const client = await PGlite.create({
    dataDir: target.dataDir,
    loadDataDir: new Blob([readFileSync(file)]),
  });
  await client.query("select 1");
  await client.close();
  return movedAside ? { movedAside } : {};
}

/** Runs a PostgreSQL client tool; rejects with its first error line, or how to install it. */
function run(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "ENOENT"
            ? `${tool} not found: install the PostgreSQL client (apt-get install postgresql-client)`
            : `${tool}: ${error.message}`,
        ),
      ),
    );
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool} failed: ${stderr.trim().split("\n")[0] ?? `exit ${code}`}`));
    });
  });
}
