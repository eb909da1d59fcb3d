import type { Server } from "node:http";
import type { Express } from "express";
import { apiEndpoints } from "./api/endpoints.js";
import { apiRoutes } from "./api/router.js";
import type { ChannelAdapter } from "./channels/adapter.js";
import type { ChannelName } from "./channels/contract.js";
import { createSimulatorAdapter } from "./channels/simulator/adapter.js";
import { simulatorInbox } from "./channels/simulator/inbox.js";
import { simulatorRoutes } from "./channels/simulator/routes.js";
import { createTelegramAdapter } from "./channels/telegram/adapter.js";
import { createWhatsAppAdapter } from "./channels/whatsapp/adapter.js";
import type { WhatsAppClientLike, WhatsAppClientSettings } from "./channels/whatsapp/client.js";
import { processHolderId } from "./channels/whatsapp/lease.js";
import { whatsappPairingRoutes } from "./channels/whatsapp/routes.js";
import type { Config } from "./config.js";
import { consoleRoutes } from "./console/router.js";
import { type CoreOptions, openCore } from "./core.js";
import type { Database } from "./db/client.js";
import { checkDatabase } from "./db/health.js";
import { newWorkerId } from "./delivery/run.js";
import { createSweeper } from "./delivery/sweeper.js";
import { createDeliveryWorker, type DeliveryWorker } from "./delivery/worker.js";
import { dueScheduledBroadcasts } from "./domain/broadcasts/index.js";
import { forgetFarewellAddresses } from "./domain/erasure.js";
import { expireOffers } from "./domain/offers.js";
import { scheduleReminders } from "./domain/reminders.js";
import { createHttpApp } from "./http/app.js";
import { healthRoutes, type ReadinessCheck } from "./http/health.js";
import { homeRoutes } from "./http/home.js";
import type { Logger } from "./log.js";
import { ensureFirstAdmin } from "./staff/first-admin.js";
import { createLoginThrottle } from "./staff/login-throttle.js";

export interface RunningBerdaya {
  /** Where the HTTP server listens, e.g. http://localhost:3000. */
  readonly url: string;
  readonly database: Database;
  /** Stops accepting requests and messages, finishes in-flight work, closes what it opened. */
  stop(): Promise<void>;
}

export interface BerdayaOptions extends CoreOptions {
  /** Builds the WhatsApp client instead of the real Chromium one (tests pass a fake). */
  whatsappClient?: (settings: WhatsAppClientSettings) => WhatsAppClientLike;
  /** How often stored messages whose turn did not run are looked for. Default 5 s. */
  recoveryIntervalMs?: number;
}

/**
 * Everything `npm start` runs: the core (database, flows, pipeline), the channels, the delivery
 * worker and the HTTP server.
 */
export async function startBerdaya(
  config: Config,
  log: Logger,
  { whatsappClient, recoveryIntervalMs, ...options }: BerdayaOptions = {},
): Promise<RunningBerdaya> {
  const clock = options.clock ?? (() => new Date());
  let delivery: DeliveryWorker | undefined;
  const core = await openCore(config, log, {
    ...options,
    setup: (db) =>
      ensureFirstAdmin(
        db,
        {
          organisationName: config.organisationName,
          admin: config.firstAdmin,
          demo: config.seedDemo,
        },
        log,
      ),
    afterTurn: () => delivery?.wake(),
  });
  const db = core.database.db;

  const telegram = config.telegram
    ? createTelegramAdapter({
        token: config.telegram.token,
        apiRoot: config.telegram.apiRoot,
        mode: config.telegram.mode,
        requestTimeoutMs: config.telegram.requestTimeoutMs,
        pollTimeoutSeconds: config.telegram.pollTimeoutSeconds,
        ...(config.publicUrlIsSet ? { publicUrl: config.publicUrl } : {}),
        db,
        log: log.child({ channel: "telegram" }),
        clock,
        limits: {
          perSecond: config.telegram.messagesPerSecond,
          perChatGapMs: config.telegram.chatGapMs,
        },
      })
    : undefined;
  const whatsapp = config.whatsapp.enabled
    ? createWhatsAppAdapter({
        db,
        log: log.child({ channel: "whatsapp" }),
        clock,
        dataDir: config.dataDir,
        chromiumPath: config.whatsapp.chromiumPath,
        holderId: processHolderId(),
        ...(whatsappClient ? { createClient: whatsappClient } : {}),
        ...(config.whatsapp.pairingNumber ? { pairingNumber: config.whatsapp.pairingNumber } : {}),
        limits: {
          minGapMs: config.whatsapp.minGapMs,
          jitterMs: config.whatsapp.jitterMs,
          dailyCap: config.whatsapp.dailyCap,
        },
      })
    : undefined;
  const adapters = new Map<ChannelName, ChannelAdapter>();
  if (config.simulatorEnabled) adapters.set("simulator", createSimulatorAdapter());
  if (telegram) adapters.set("telegram", telegram);
  if (whatsapp) adapters.set("whatsapp", whatsapp);

  const channelChecks: ReadinessCheck[] = [telegram, whatsapp].flatMap((adapter) =>
    adapter
      ? [
          {
            name: adapter.channel,
            // A channel waiting for a QR scan or reconnecting does not make Berdaya unready.
            check: async () => {
              const status = adapter.status();
              const detail =
                status.state === "disconnected" ? `disconnected: ${status.reason}` : status.state;
              return { ok: true, detail };
            },
          },
        ]
      : [],
  );
  // The embedded database's folder on disk (undefined in memory): /readyz checks its free space.
  const dataFolder = core.database.driver === "pglite" ? core.database.client.dataDir : undefined;
  const app = createHttpApp(
    [
      healthRoutes(
        [{ name: "database", check: () => checkDatabase(db, dataFolder) }, ...channelChecks],
        core.registry,
      ),
      homeRoutes({ simulator: config.simulatorEnabled }),
      ...(config.simulatorEnabled
        ? [
            simulatorRoutes(core.pipeline, (residentId, afterId) =>
              simulatorInbox(db, { residentId, afterId, delivered: true }),
            ),
          ]
        : []),
      ...(telegram ? [telegram.webhookRoutes()] : []),
      ...(whatsapp && config.whatsapp.pairingPage ? [whatsappPairingRoutes(whatsapp)] : []),
      apiRoutes(
        {
          db,
          clock,
          log: log.child({ component: "api" }),
          publicUrl: config.publicUrl,
          wakeDelivery: () => delivery?.wake(),
          offerTtlMs: config.offerTtlMs,
        },
        apiEndpoints,
      ),
      consoleRoutes({
        db,
        clock,
        log: log.child({ component: "console" }),
        secureCookies: config.publicUrl.startsWith("https://"),
        throttle: createLoginThrottle(clock),
        flows: core.flows,
        channels: adapters,
        simulatorEnabled: config.simulatorEnabled,
        wakeDelivery: () => delivery?.wake(),
        offerTtlMs: config.offerTtlMs,
      }),
    ],
    log,
  );
  let server: Server;
  try {
    server = await listen(app, config.port, config.host);
  } catch (error) {
    await core.close();
    throw error;
  }

  delivery = createDeliveryWorker({
    db,
    adapters,
    clock,
    log: log.child({ component: "delivery" }),
    registry: core.registry,
    workerId: newWorkerId(),
    quietHours: config.quietHours,
  });
  delivery.start();
  const sweeper = createSweeper({
    clock,
    log: log.child({ component: "sweeper" }),
    sweeps: [
      { name: "reminders", run: (now) => scheduleReminders(db, { now }) },
      { name: "offers", run: (now) => expireOffers(db, { now, offerTtlMs: config.offerTtlMs }) },
      { name: "broadcasts", run: (now) => dueScheduledBroadcasts(db, now) },
      { name: "farewells", run: (now) => forgetFarewellAddresses(db, now) },
    ],
  });
  sweeper.start();
  // Messages stored while their turn could not run (the database went away in between) are
  // processed as soon as it answers again; often, since residents are waiting.
  const recovery = createSweeper({
    clock,
    log: log.child({ component: "recovery" }),
    intervalMs: recoveryIntervalMs ?? 5_000,
    sweeps: [{ name: "inbound", run: () => core.recover() }],
  });
  recovery.start();
  await telegram?.start((message) => core.pipeline.accept(message));
  whatsapp?.onStatus((status) => {
    if (status.state === "ready") delivery?.wake();
  });
  await whatsapp?.start((message) => core.pipeline.receive(message));

  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return {
    url: `http://${host}:${port}`,
    database: core.database,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all([telegram?.stop(), whatsapp?.stop()]);
      await closed;
      await Promise.all([sweeper.stop(), recovery.stop()]);
      await delivery?.stop();
      await core.close();
    },
  };
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error) => (error ? reject(error) : resolve(server)));
  });
}
