import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { flowsFolder } from "../../src/core.js";
import { actions } from "../../src/domain/actions.js";
import { lineWith } from "./flow-files.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

/** `npm run flows:check [-- folder]` as a user runs it: tsx from the project root. */
function flowsCheck(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(join(projectRoot, "node_modules/.bin/tsx"), ["src/cli/flows.ts", ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

/** `text` with the one occurrence of `from` replaced by `to`. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" is not unique`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

// Each case starts its own tsx process (a few seconds): run them side by side.
describe.concurrent("npm run flows:check", () => {
  it("accepts the shipped flows: exit 0 and how many flows are OK", async () => {
    const ids = readdirSync(flowsFolder)
      .filter((file) => file.endsWith(".yaml"))
      .map((file) => file.replace(".yaml", ""))
      .sort();
    expect(ids).toContain("menu");
    const result = await flowsCheck("check");
    expect(result).toEqual({
      code: 0,
      out: `${ids.length} flows OK: ${ids.join(", ")}\n`,
      err: "",
    });
  });

  const folder = mkdtempSync(join(tmpdir(), "berdaya-flows-check-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("exits 1 with one `path:line: message` line per problem in a broken copy", async () => {
    cpSync(flowsFolder, folder, { recursive: true });
    const jadwal = replaceOnce(
      readFileSync(join(folder, "jadwal.yaml"), "utf8"),
      "next: penutup",
      "next: penutupp",
    );
    writeFileSync(join(folder, "jadwal.yaml"), jadwal);
    const menu = replaceOnce(
      readFileSync(join(folder, "menu.yaml"), "utf8"),
      "action: contact.status",
      "action: contact.statuss",
    );
    writeFileSync(join(folder, "menu.yaml"), menu);

    const result = await flowsCheck("check", folder);

    // Paths are shown relative to where the command runs (the project root).
    const shown = (file: string) => relative(projectRoot, join(folder, file));
    const known = Object.keys(actions).sort().join(", ");
    expect(result).toEqual({
      code: 1,
      out: "",
      err: [
        `${shown("jadwal.yaml")}:${lineWith(jadwal, "next: penutupp")}: step "tampil" goes to "penutupp", which does not exist; use one of: ambil, tampil, penutup`,
        `${shown("jadwal.yaml")}:${lineWith(jadwal, "  penutup:") + 1}: step "penutup" is never reached; remove it or go to it from another step`,
        `${shown("menu.yaml")}:${lineWith(menu, "action: contact.statuss")}: unknown action "contact.statuss"; known actions: ${known}`,
        "",
      ].join("\n"),
    });
  });
});
