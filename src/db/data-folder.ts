import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../log.js";

/** Free space the embedded database needs: room for its next files, not only for a tiny one. */
const neededBytes = 1024 * 1024;

/** What writing a data folder needs, in words an operator acts on, by error code. */
const advice: Record<string, string> = {
  ENOSPC: "the disk is full; free some space",
  EDQUOT: "the disk quota is used up; free some space",
  EACCES: "no permission to write there; choose another folder or fix its owner",
  EPERM: "no permission to write there; choose another folder or fix its owner",
  EROFS: "the disk is read-only; choose a writable folder",
  ENOTDIR: "part of the path is a file, not a folder",
  ENOENT: "the folder cannot be created there (a read-only disk, or a missing drive)",
};

/**
 * Checks that the embedded database's folder can be created and written (a small file written,
 * synced and removed), before PGlite opens it: PGlite itself hangs or fails obscurely on a
 * folder it cannot write. Throws one line naming DATA_DIR, the folder and what to do.
 */
export function checkDataFolder(folder: string): void {
  const probe = join(folder, ".berdaya-write-check");
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(probe, Buffer.alloc(neededBytes));
    const handle = openSync(probe, "r+");
    try {
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    rmSync(probe, { force: true });
  } catch (error) {
    try {
      rmSync(probe, { force: true });
    } catch {
      // nothing was written there
    }
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = advice[code] ?? (error as Error).message;
    throw new Error(`DATA_DIR: cannot write the embedded database in ${folder}: ${why} (${code})`);
  }
}

export type DataFolderSpace = { ok: true } | { ok: false; detail: string };

/**
 * Whether the disk holding the data folder has room for the database's next writes (1 MB, as
 * at start-up). On a full disk PGlite refuses every write that needs new space (SQLSTATE 53100),
 * keeps what it committed, and writes again once there is room.
 */
export async function dataFolderSpace(folder: string): Promise<DataFolderSpace> {
  try {
    const { bavail, bsize } = await statfs(folder);
    const free = bavail * bsize;
    if (free >= neededBytes) return { ok: true };
    return {
      ok: false,
      detail: `disk full: ${Math.floor(free / 1024)} KB free for the embedded database in ${folder}; free some space`,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = advice[code] ?? (error as Error).message;
    return { ok: false, detail: `cannot check the disk of ${folder}: ${why} (${code})` };
  }
}

/**
 * Checks the data folder's disk every `everyMs` and logs one line when it becomes full (what to
 * do, naming DATA_DIR) and one when there is room again, so that an operator reading the log
 * finds the cause among the failed writes. Stop it with the returned function.
 */
export function watchDataFolderSpace(folder: string, log: Logger, everyMs = 5_000): () => void {
  let full = false;
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    const space = await dataFolderSpace(folder);
    checking = false;
    if (!space.ok && !full) {
      log.error(`DATA_DIR: ${space.detail}; until then nothing new is stored (messages wait)`);
    } else if (space.ok && full) {
      log.info(`DATA_DIR: room on the disk of ${folder} again; waiting messages are processed`);
    }
    full = !space.ok;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
