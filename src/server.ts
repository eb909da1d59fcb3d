import type { Server } from "node:http";
import type { Express } from "express";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { checkDatabase } from "./db/health.js";
import { seedAreas, seedDemo } from "./db/seed.js";
import { createHttpApp } from "./http/app.js";
import { healthRoutes } from "./http/health.js";
import type { Logger } from "./log.js";
import { createMetricsRegistry } from "./metrics.js";

export interface RunningBerdaya {
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly database: Database;
  /** Stops accepting requests, finishes in-flight ones, closes the database it opened. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: () => Date;
  /** An already open database (tests); by default the one the configuration names. */
  database?: Database;
}

/** Opens and migrates the database, seeds it, and serves HTTP: everything `npm start` runs. */
export async function startBerdaya(
  config: Config,
  log: Logger,
  { clock = () => new Date(), ...options }: StartOptions = {},
): Promise<RunningBerdaya> {
  const database = options.database ?? (await openDatabase(config.database));
  try {
    await database.migrate();
    await seedAreas(database.db);
    if (config.seedDemo && (await seedDemo(database.db, clock()))) {
      log.info("demo organisations and programmes added");
    }
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }

  const registry = createMetricsRegistry();
  const app = createHttpApp(
    [healthRoutes([{ name: "database", check: () => checkDatabase(database.db) }], registry)],
    log,
  );
  const server = await listen(app, config.port, config.host);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host}:${port}`;

  return {
    url,
    database,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      if (!options.database) await database.close();
    },
  };
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error) => (error ? reject(error) : resolve(server)));
  });
}
