import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScript } from "../support/process.js";
import { mountTmpfs, type Tmpfs } from "../support/tmpfs.js";

const folder = mkdtempSync(join(tmpdir(), "berdaya-datadir-"));
const mounts: Tmpfs[] = [];
afterAll(() => {
  for (const mount of mounts) mount.unmount();
  rmSync(folder, { recursive: true, force: true });
});

function tmpfs(name: string, options: string): string | undefined {
  const mount = mountTmpfs(join(folder, name), options);
  if (mount) mounts.push(mount);
  return mount?.path;
}

async function startIn(dataDir: string) {
  const berdaya = runScript("src/main.ts", { DATA_DIR: dataDir, PORT: "1", LOG_LEVEL: "silent" });
  return { code: await berdaya.exited, stderr: berdaya.stderr() };
}

describe("npm start on a data folder it cannot write", () => {
  it("names DATA_DIR and the problem in one line when the path runs through a file", async () => {
    writeFileSync(join(folder, "a-file"), "");
    const result = await startIn(join(folder, "a-file", "data"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Berdaya could not start: DATA_DIR: cannot write the embedded database in .*a-file\/data\/pglite: part of the path is a file, not a folder \(ENOTDIR\)\n$/,
    );
  }, 60_000);

  const full = tmpfs("full", "size=256k");
  it.skipIf(!full)(
    "says the disk is full",
    async () => {
      if (!full) return;
      // Fill it: whatever is left is smaller than the check writes.
      writeFileSync(join(full, "filler"), Buffer.alloc(240 * 1024));
      const result = await startIn(join(full, "data"));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /DATA_DIR: .*: the disk is full; free some space \(ENOSPC\)\n$/,
      );
      expect(result.stderr.split("\n")).toHaveLength(2);
    },
    60_000,
  );

  const readOnly = tmpfs("read-only", "ro,size=256k");
  it.skipIf(!readOnly)(
    "says the folder cannot be created on a read-only disk",
    async () => {
      if (!readOnly) return;
      const result = await startIn(join(readOnly, "data"));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /DATA_DIR: .*: the folder cannot be created there \(a read-only disk, or a missing drive\) \(ENOENT\)\n$/,
      );
      expect(result.stderr.split("\n")).toHaveLength(2);
    },
    60_000,
  );
});
