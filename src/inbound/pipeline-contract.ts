import type { InboundMessage, OutboundMessage } from "../channels/contract.js";

/** What one inbound message produced. */
export interface TurnResult {
  /** "duplicate": this channel message id was seen before; nothing new was done. */
  status: "processed" | "duplicate";
  /** The replies of this message's turn, in order (for a duplicate: the original replies). */
  replies: OutboundMessage[];
}

/** The inbound pipeline all channels share: store, lock the contact, run the engine, commit. */
export interface InboundPipeline {
  /** Stores and processes the message; resolves with its replies once the turn committed. */
  receive(message: InboundMessage): Promise<TurnResult>;
  /**
   * Resolves as soon as the message is stored (webhooks answer then); the turn runs after.
   * A stored message is never lost: if its turn cannot run now it is processed later.
   */
  accept(
    message: InboundMessage,
  ): Promise<{ status: "stored"; processed: Promise<void> } | { status: "duplicate" }>;
}
