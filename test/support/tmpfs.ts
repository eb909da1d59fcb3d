import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

export interface Tmpfs {
  readonly path: string;
  unmount(): void;
}

/**
 * Mounts a small tmpfs of our own at `path` with mount `options` ("size=256k", "ro,size=64m"):
 * a disk a test can fill or make read-only without touching the machine's. Root only: undefined
 * where mounting is not allowed, so the tests using it are skipped there.
 */
export function mountTmpfs(path: string, options: string): Tmpfs | undefined {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return { path, unmount: () => execFileSync("umount", [path]) };
}
