import type { ChannelAdapter } from "../channels/adapter.js";
import type { ChannelName } from "../channels/contract.js";
import { createSimulatorAdapter } from "../channels/simulator/adapter.js";
import { createTelegramAdapter } from "../channels/telegram/adapter.js";
import { type Config, loadConfigOrExit } from "../config.js";
import { type Db, openDatabase } from "../db/client.js";
import { runWorker } from "../delivery/run.js";
import { createLogger, type Logger } from "../log.js";

/**
 * The channels this process sends on: the simulator (when enabled) and Telegram (when
 * TELEGRAM_BOT_TOKEN is set). The adapters only send here; receiving stays with `npm start`.
 * WhatsApp rows are sent only by the process that holds the WhatsApp Web session.
 */
function adaptersFor(config: Config, db: Db, log: Logger): Map<ChannelName, ChannelAdapter> {
  const adapters = new Map<ChannelName, ChannelAdapter>();
  if (config.simulatorEnabled) adapters.set("simulator", createSimulatorAdapter());
  if (config.telegram) {
    const telegram = createTelegramAdapter({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      // Never started here, so never polling: the mode only matters for receiving.
      mode: "polling",
      db,
      log: log.child({ channel: "telegram" }),
      limits: {
        perSecond: config.telegram.messagesPerSecond,
        perChatGapMs: config.telegram.chatGapMs,
      },
    });
    adapters.set("telegram", telegram);
  }
  return adapters;
}

/** `npm run worker`: only the delivery workers, against PostgreSQL; stops cleanly on signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.database.driver !== "postgres") {
    console.error(
      "DATABASE_URL: npm run worker needs PostgreSQL; with the embedded database, npm start sends the messages itself",
    );
    process.exit(1);
  }
  if (!config.simulatorEnabled && !config.telegram) {
    console.error("TELEGRAM_BOT_TOKEN: nothing to send on; set it (or SIMULATOR_ENABLED=true)");
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  let worker: Awaited<ReturnType<typeof runWorker>>;
  try {
    worker = await runWorker(config, log, adaptersFor(config, database.db, log), { database });
  } catch (error) {
    await database.close();
    throw error;
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing the messages in flight");
    await worker.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // Only now say it runs: whoever waits for this line may stop it at once.
  log.info({ workerId: worker.workerId, channels: worker.channels }, "delivery worker running");
  console.log(`Pengirim pesan Berdaya berjalan (${worker.channels.join(", ")})`);
}

main().catch((error: unknown) => {
  console.error(`Berdaya worker could not start: ${(error as Error).message}`);
  process.exit(1);
});
