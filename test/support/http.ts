import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Router } from "express";
import { createHttpApp } from "../../src/http/app.js";
import { createLogger, type Logger } from "../../src/log.js";

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The real express app with the given routers, on 127.0.0.1 at a free port. */
export async function serve(
  routers: Router[],
  log: Logger = createLogger("silent"),
): Promise<TestServer> {
  const app = createHttpApp(routers, log);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, "127.0.0.1", (error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
