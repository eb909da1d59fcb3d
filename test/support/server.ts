import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { type BerdayaOptions, type RunningBerdaya, startBerdaya } from "../../src/server.js";
import { noEnvFile } from "./process.js";

/**
 * Berdaya as `npm start` runs it, in this process, on 127.0.0.1 at a free port, with a silent
 * log. `env` holds the settings (the real environment and `.env` are not read); demo data is
 * off unless `SEED_DEMO` says otherwise.
 */
export function startTestServer(
  env: Record<string, string>,
  options: BerdayaOptions = {},
): Promise<RunningBerdaya> {
  const config = loadConfig(
    { HOST: "127.0.0.1", PORT: "1", SEED_DEMO: "false", ...env },
    noEnvFile,
  );
  return startBerdaya({ ...config, port: 0 }, createLogger("silent"), options);
}
