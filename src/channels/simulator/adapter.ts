import type { ChannelAdapter, ChannelCapabilities, SendResult } from "../adapter.js";
import { maxTextLength } from "./message.js";

export const simulatorCapabilities: ChannelCapabilities = {
  buttons: true,
  maxTextLength,
  // Nothing to protect on the other side: no pacing.
  limits: { perSecond: 1_000_000, perChatGapMs: 0, minGapMs: 0, jitterMs: 0, dailyCap: null },
};

/**
 * The simulator as a delivery channel. The web page and the terminal chat already show a turn's
 * replies from the HTTP answer, so sending only settles the outbox row: "sent" at once, with
 * ids sim-1, sim-2 … Messages come in through the simulator routes, not through `start`.
 */
export function createSimulatorAdapter(): ChannelAdapter {
  let sent = 0;
  return {
    channel: "simulator",
    capabilities: simulatorCapabilities,
    async send(): Promise<SendResult> {
      sent += 1;
      return { kind: "sent", platformMessageId: `sim-${sent}` };
    },
    async start() {},
    async stop() {},
    status: () => ({ state: "ready" }),
  };
}
