import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, runScript } from "../test/support/process.js";
import { medianRun } from "./stats.js";

export interface StartupFigures {
  /** The first start: creates, migrates and seeds the data folder. */
  firstStartSeconds: number;
  /** Median start on the existing data folder, to /readyz 200. */
  startSeconds: number;
  runs: number;
}

/**
 * Start-up time of `npm start` (tsx src/main.ts) on the embedded database: from spawning the
 * process to the first 200 from /readyz, once on an empty data folder, then `runs` times on the
 * folder it left.
 */
export async function measureStartup(runs: number): Promise<StartupFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), "berdaya-bench-"));
  try {
    const firstStartSeconds = await startOnce(dataDir);
    const starts: number[] = [];
    for (let run = 0; run < runs; run++) starts.push(await startOnce(dataDir));
    return { firstStartSeconds, startSeconds: medianRun(starts, (s) => s), runs };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const berdaya = runScript("src/main.ts", {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  });
  try {
    for (;;) {
      if (berdaya.child.exitCode !== null) throw new Error(`Berdaya exited: ${berdaya.stderr()}`);
      const status = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((response) => response.status)
        .catch(() => 0);
      if (status === 200) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    berdaya.child.kill("SIGTERM");
    await berdaya.exited;
  }
}
