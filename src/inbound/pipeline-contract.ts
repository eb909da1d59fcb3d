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
  receive(message: InboundMessage): Promise<TurnResult>;
}
