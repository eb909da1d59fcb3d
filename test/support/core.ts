import { afterAll, beforeAll } from "vitest";
import type { InboundMessage } from "../../src/channels/contract.js";
import { type Core, openCore } from "../../src/core.js";
import type { Database } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { coreConfig, telegramNow } from "../telegram/support.js";

/**
 * Berdaya's core (demo programmes, the clock at `telegramNow`) on the test file's database,
 * opened before its tests and closed after them; call the answer inside a test.
 */
export function coreForTests(database: () => Database): () => Core {
  let core: Core | undefined;
  beforeAll(async () => {
    core = await openCore(coreConfig(), createLogger("silent"), {
      database: database(),
      clock: () => telegramNow,
    });
  });
  afterAll(async () => {
    await core?.close();
  });
  return () => {
    if (!core) throw new Error("the core is opened in beforeAll");
    return core;
  };
}

/** A text from a simulator resident, as the channel hands it to the pipeline. */
export function simulatorText(
  senderId: string,
  externalId: string,
  text: string,
  receivedAt: Date = telegramNow,
): InboundMessage {
  return {
    channel: "simulator",
    externalId,
    senderId,
    receivedAt,
    content: { kind: "text", text },
  };
}
