import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
    // A megabyte: room for the database's next files, not only for a tiny one.
    writeFileSync(probe, Buffer.alloc(1024 * 1024));
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
