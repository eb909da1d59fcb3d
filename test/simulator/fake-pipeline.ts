import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Router } from "express";
import type { InboundMessage, OutboundMessage } from "../../src/channels/contract.js";
import { createHttpApp } from "../../src/http/app.js";
import type { InboundPipeline, TurnResult } from "../../src/inbound/pipeline-contract.js";
import { createLogger } from "../../src/log.js";

/** An InboundPipeline that records what it received and answers with canned replies. */
export class FakePipeline implements InboundPipeline {
  readonly received: InboundMessage[] = [];
  replies: OutboundMessage[] = [];
  failWith: Error | undefined;

  async receive(message: InboundMessage): Promise<TurnResult> {
    this.received.push(message);
    if (this.failWith) throw this.failWith;
    return { status: "processed", replies: this.replies };
  }

  async accept(message: InboundMessage): Promise<{ status: "stored"; processed: Promise<void> }> {
    await this.receive(message);
    return { status: "stored", processed: Promise.resolve() };
  }
}

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The real express app with the given routers, on 127.0.0.1 at a free port. */
export async function serve(routers: Router[]): Promise<TestServer> {
  const app = createHttpApp(routers, createLogger("silent"));
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
        server.closeIdleConnections();
      }),
  };
}
