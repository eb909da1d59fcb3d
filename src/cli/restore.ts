import { resolve } from "node:path";
import { loadConfigOrExit } from "../config.js";
import { restoreDatabase } from "../db/backup.js";

/** `npm run restore -- file`: restores a backup made by `npm run backup`. Stop Berdaya first. */
const config = loadConfigOrExit();
const given = process.argv[2];
if (!given) {
  console.error("Usage: npm run restore -- <backup file>");
  process.exit(1);
}
try {
  const { movedAside } = await restoreDatabase(config.database, resolve(given));
  if (movedAside) console.log(`Data lama dipindahkan ke ${movedAside}`);
  console.log(`Cadangan dipulihkan dari ${resolve(given)}`);
} catch (error) {
  console.error(`Restore failed: ${(error as Error).message}`);
  process.exit(1);
}
