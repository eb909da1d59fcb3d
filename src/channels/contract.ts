import type { ChannelName } from "../db/schema/index.js";

export type { ChannelName };

/** How residents and staff name each app. */
export const channelLabels: Readonly<Record<ChannelName, string>> = {
  simulator: "Simulator",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
};

/** What a resident sent, as every channel adapter delivers it to the inbound pipeline. */
export type InboundContent =
  | { kind: "text"; text: string }
  /** A button press; `choiceId` is the pressed Choice's id. */
  | { kind: "choice"; choiceId: string }
  | { kind: "location"; latitude: number; longitude: number }
  | { kind: "photo"; mediaId: number; caption?: string }
  /** A shared contact card; `isOwn` when it is the sender's own number. */
  | { kind: "contact"; phone: string; isOwn: boolean }
  | { kind: "voice" }
  | { kind: "other"; description: string };

export interface InboundMessage {
  channel: ChannelName;
  /** The platform's message or update id: the dedupe key within the channel. */
  externalId: string;
  /** The sender's address on the channel (chat id, simulator id). */
  senderId: string;
  displayName?: string;
  /** E.164, when the platform tells it (WhatsApp @c.us ids). */
  phone?: string;
  receivedAt: Date;
  content: InboundContent;
}

export interface Choice {
  /** What a button press sends back: the option's number ("1") or, for yes/no, "ya"/"tidak". */
  id: string;
  label: string;
}

/** One message Berdaya sends. Numbered options are always in `text` too. */
export interface OutboundMessage {
  text: string;
  choices?: Choice[];
  /** Ask the platform to offer a "share my phone number" button (Telegram). */
  requestPhone?: boolean;
}
