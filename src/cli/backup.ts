import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadConfigOrExit } from "../config.js";
import { backupDatabase } from "../db/backup.js";

/**
 * `npm run backup [-- file]`: a backup of the configured database, by default
 * `backups/berdaya-<driver>-<time>.{tar.gz,dump}`. Stop Berdaya first on the embedded database.
 */
const config = loadConfigOrExit();
const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
const extension = config.database.driver === "pglite" ? "tar.gz" : "dump";
const file = resolve(
  process.argv[2] ?? `backups/berdaya-${config.database.driver}-${stamp}.${extension}`,
);
try {
  mkdirSync(dirname(file), { recursive: true });
  await backupDatabase(config.database, file);
  console.log(`Cadangan tersimpan: ${file}`);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exit(1);
}
