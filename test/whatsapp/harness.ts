import type { Receive } from "../../src/channels/adapter.js";
import {
  createWhatsAppAdapter,
  type WhatsAppAdapter,
} from "../../src/channels/whatsapp/adapter.js";
import type { WhatsAppTiming } from "../../src/channels/whatsapp/timing.js";
import type { Db } from "../../src/db/client.js";
import { leases } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { FakeClient } from "./fake-client.js";
import { ManualTimers } from "./manual-timers.js";

/** Distinct delays, so a test can tell which timer is which. */
export const testTiming: WhatsAppTiming = {
  leaseTtlMs: 60_000,
  leaseRenewMs: 20_000,
  leaseRetryMs: 30_000,
  reconnectMinMs: 5_000,
  reconnectMaxMs: 40_000,
  watchdogMs: 60_000,
  watchdogTimeoutMs: 9_000,
  destroyTimeoutMs: 7_000,
  sendTimeoutMs: 11_000,
  notReadyRetryMs: 31_000,
  sendErrorRetryMs: 15_000,
  receiveRetryMs: 2_000,
};

export interface Harness {
  readonly adapter: WhatsAppAdapter;
  readonly timers: ManualTimers;
  /** Every client the adapter built, in order. */
  readonly clients: FakeClient[];
  /** The newest client. */
  client(): FakeClient;
  /** Parsed log lines. */
  readonly logs: { level: number; msg: string; [key: string]: unknown }[];
  /** Resolves with the first text printed for the operator (QR code, pairing code) that contains `text`. */
  printed(text: string): Promise<string>;
}

/** A WhatsApp adapter over fake clients, manual timers and a log the test can read. */
export function whatsappHarness(
  db: Db,
  options: {
    holderId?: string;
    clock?: () => Date;
    pairingNumber?: string;
    /** Shapes each new client before the adapter initializes it. */
    onClient?: (client: FakeClient) => void;
  } = {},
): Harness {
  const timers = new ManualTimers();
  const clients: FakeClient[] = [];
  const logs: Harness["logs"] = [];
  const outputs: string[] = [];
  const waiting: { text: string; resolve: (output: string) => void }[] = [];
  const adapter = createWhatsAppAdapter({
    db,
    log: createLogger("debug", { write: (line: string) => void logs.push(JSON.parse(line)) }),
    clock: options.clock ?? (() => new Date()),
    dataDir: "/tmp/berdaya-whatsapp-test",
    chromiumPath: "/usr/bin/chromium",
    holderId: options.holderId ?? "proses-a",
    createClient: () => {
      const client = new FakeClient();
      clients.push(client);
      options.onClient?.(client);
      return client;
    },
    ...(options.pairingNumber ? { pairingNumber: options.pairingNumber } : {}),
    timers,
    timing: testTiming,
    output: (output) => {
      outputs.push(output);
      for (const waiter of waiting.filter((w) => output.includes(w.text))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(output);
      }
    },
  });
  return {
    adapter,
    timers,
    clients,
    logs,
    client: () => {
      const client = clients.at(-1);
      if (!client) throw new Error("no client was built");
      return client;
    },
    printed: (text) => {
      const earlier = outputs.find((output) => output.includes(text));
      if (earlier !== undefined) return Promise.resolve(earlier);
      return new Promise((resolve) => waiting.push({ text, resolve }));
    },
  };
}

/**
 * A harness whose adapter holds the lease (any other holder's is removed), started with
 * `receive`, its client authenticated and ready: messages can come in.
 */
export async function readyHarness(
  db: Db,
  receive: Receive,
  options: Parameters<typeof whatsappHarness>[1] = {},
): Promise<Harness> {
  await db.delete(leases);
  const h = whatsappHarness(db, options);
  await h.adapter.start(receive);
  h.client().emit("authenticated");
  h.client().emit("ready");
  return h;
}
