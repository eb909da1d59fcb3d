import { loadConfigOrExit } from "./config.js";
import { watchDataFolderSpace } from "./db/data-folder.js";
import { createLogger } from "./log.js";
import { startBerdaya } from "./server.js";

/** `npm start`: read the configuration, start everything, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel);
  const berdaya = await startBerdaya(config, log);
  const database =
    config.database.driver === "pglite"
      ? `database bawaan di ${config.database.dataDir}`
      : "PostgreSQL";
  // A disk that fills up while Berdaya runs: one line in the log says so (and /readyz).
  const stopWatching =
    config.database.driver === "pglite"
      ? watchDataFolderSpace(config.database.dataDir, log)
      : () => {};
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    stopWatching();
    await berdaya.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // Only now say it runs: whoever waits for the banner may stop it at once.
  log.info({ url: berdaya.url, database: berdaya.database.driver }, "Berdaya is running");
  console.log(`\nBerdaya berjalan di ${berdaya.url} (${database})`);
  console.log(`  Simulator chat : ${berdaya.url}/simulator`);
  console.log(`  Status         : ${berdaya.url}/readyz\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error && error.message ? error.message : String(error);
  console.error(`Berdaya could not start: ${message}`);
  process.exit(1);
});
