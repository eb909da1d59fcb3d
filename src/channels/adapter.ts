import type { ChannelName, InboundMessage, OutboundMessage } from "./contract.js";

/**
 * What a channel declares about itself; callers (delivery, the engine's rendering) rely on this,
 * never on which platform it is (DESIGN.md invariant 4).
 */
export interface ChannelCapabilities {
  /** Choices can be shown as buttons (the numbered options stay in the text). */
  buttons: boolean;
  /** Longer texts are split by the adapter on paragraph boundaries. */
  maxTextLength: number;
  /** Pacing the delivery workers must respect for this channel. */
  limits: ChannelLimits;
}

export interface ChannelLimits {
  /** Messages per second over the whole channel (Telegram: about 30). */
  perSecond: number;
  /** Minimum gap between two messages to one chat, in ms (Telegram: 1000). */
  perChatGapMs: number;
  /** Minimum gap between any two messages, plus up to `jitterMs` random extra (WhatsApp Web). */
  minGapMs: number;
  jitterMs: number;
  /** Most messages a day that are not replies (announcements, reminders); null = no cap. */
  dailyCap: number | null;
}

/** How one send ended, as the adapter classifies the platform's answer. */
export type SendResult =
  | { kind: "sent"; platformMessageId: string }
  /** Try again after `afterMs` (429 retry_after, 5xx, network). */
  | { kind: "retry"; afterMs: number; reason: string }
  /** The resident blocked the bot or the address is gone: stop sending announcements there. */
  | { kind: "unreachable"; reason: string }
  /** The platform refused this message itself (bad request); retrying will not help. */
  | { kind: "invalid"; reason: string };

export type ChannelState =
  | { state: "off" }
  | { state: "starting" }
  | { state: "qr"; qr: string }
  | { state: "authenticated" }
  | { state: "ready" }
  | { state: "disconnected"; reason: string };

/** Where an adapter hands what residents send: the inbound pipeline. */
export type Receive = (message: InboundMessage) => Promise<unknown>;

export interface ChannelAdapter {
  readonly channel: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** Sends to `address` (the identity's external id). Never throws: every outcome is a result. */
  send(address: string, message: OutboundMessage): Promise<SendResult>;
  /** Starts receiving (polling, webhook registration, WhatsApp client). */
  start(receive: Receive): Promise<void>;
  stop(): Promise<void>;
  status(): ChannelState;
}
