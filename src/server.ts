import type { Server } from "node:http";
import type { Express } from "express";
import { simulatorRoutes } from "./channels/simulator/routes.js";
import type { Config } from "./config.js";
import { type CoreOptions, openCore } from "./core.js";
import type { Database } from "./db/client.js";
import { checkDatabase } from "./db/health.js";
import { createHttpApp } from "./http/app.js";
import { healthRoutes } from "./http/health.js";
import { homeRoutes } from "./http/home.js";
import type { Logger } from "./log.js";

export interface RunningBerdaya {
  /** Where the HTTP server listens, e.g. http://localhost:3000. */
  readonly url: string;
  readonly database: Database;
  /** Stops accepting requests, finishes in-flight ones, closes the database it opened. */
  stop(): Promise<void>;
}

/** Everything `npm start` runs: the core (database, flows, pipeline) and the HTTP server. */
export async function startBerdaya(
  config: Config,
  log: Logger,
  options: CoreOptions = {},
): Promise<RunningBerdaya> {
  const core = await openCore(config, log, options);
  const app = createHttpApp(
    [
      healthRoutes(
        [{ name: "database", check: () => checkDatabase(core.database.db) }],
        core.registry,
      ),
      homeRoutes({ simulator: config.simulatorEnabled }),
      ...(config.simulatorEnabled ? [simulatorRoutes(core.pipeline)] : []),
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
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return {
    url: `http://${host}:${port}`,
    database: core.database,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await core.close();
    },
  };
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error) => (error ? reject(error) : resolve(server)));
  });
}
