import { EventEmitter } from "node:events";
import pkg from "whatsapp-web.js";
import type {
  SentMessageLike,
  WhatsAppClientLike,
  WhatsAppMediaLike,
} from "../../src/channels/whatsapp/client.js";

/** whatsapp-web.js's own Message class; its constructor is not in the package's types. */
type MessageConstructor = new (client: unknown, data: RawMessage) => pkg.Message;
const { Message, MessageMedia } = pkg as unknown as {
  Message: MessageConstructor;
  MessageMedia: typeof pkg.MessageMedia;
};

/** A message as WhatsApp Web serialises it (what whatsapp-web.js gives `new Message`). */
export interface RawMessage {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string; participant?: string };
  type: string;
  t: number;
  from: string | { server: string; user: string; _serialized: string };
  to: string;
  body?: string;
  notifyName?: string;
  author?: string;
  ack?: number;
  isNewMsg?: boolean;
  broadcast?: boolean;
  isStatusV3?: boolean;
  caption?: string;
  directPath?: string;
  mimetype?: string;
  size?: number;
  lat?: number;
  lng?: number;
  loc?: string;
  duration?: string;
}

/** Berdaya's own number in the tests. */
export const botChat = "6281100000001@c.us";
export const residentChat = "6281234567890@c.us";
export const lidChat = "103884527943872@lid";
/** 2026-11-28 10.00 WITA, as WhatsApp's unix seconds. */
export const sentAt = 1_795_831_200;

let counter = 0;

/** A text from a resident; `overrides` shape other kinds. */
export function rawMessage(overrides: Partial<RawMessage> = {}): RawMessage {
  counter += 1;
  const from = overrides.from ?? residentChat;
  const remote = typeof from === "string" ? from : from._serialized;
  const key = `3EB0${String(counter).padStart(16, "0")}`;
  const fromMe = overrides.id?.fromMe ?? false;
  return {
    type: "chat",
    t: sentAt,
    to: botChat,
    body: "halo",
    notifyName: "Ibu Sari",
    ack: 1,
    isNewMsg: true,
    ...overrides,
    from,
    id: overrides.id ?? { fromMe, remote, id: key, _serialized: `${fromMe}_${remote}_${key}` },
  };
}

/** An image with a caption; WhatsApp Web puts a thumbnail in `body`, the caption apart. */
export function rawImage(overrides: Partial<RawMessage> = {}): RawMessage {
  return rawMessage({
    type: "image",
    body: "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODw==",
    caption: "Jalan depan rumah rusak",
    directPath: "/v/t62.7118-24/12345678_abcdef.enc?ccb=11-4",
    mimetype: "image/jpeg",
    size: 4,
    ...overrides,
  });
}

/** A sticker: also media, but not a photo. */
export function rawSticker(): RawMessage {
  return rawMessage({
    type: "sticker",
    body: "",
    directPath: "/v/t62.15575-24/98765_abc.enc",
    mimetype: "image/webp",
    size: 20_000,
  });
}

/** Builds a real whatsapp-web.js Message over `client`, with a canned media download. */
export function whatsappMessage(
  client: unknown,
  raw: RawMessage,
  media?: { mimetype: string; data: string } | "gone",
): pkg.Message {
  const message = new Message(client, raw);
  if (media !== undefined) {
    message.downloadMedia = async () =>
      media === "gone"
        ? (undefined as unknown as pkg.MessageMedia)
        : new MessageMedia(media.mimetype, media.data);
  }
  return message;
}

/** A whatsapp-web.js Client stand-in: records what the adapter does, emits what tests say. */
export class FakeClient extends EventEmitter implements WhatsAppClientLike {
  initialized = 0;
  destroyed = 0;
  readonly sent: { chatId: string; content: string }[] = [];
  readonly pairingRequests: string[] = [];
  /** What sendMessage does; by default it sends and answers with the new message. */
  onSend: (chatId: string, content: string) => Promise<SentMessageLike | null | undefined> = async (
    chatId,
  ) => ({ id: { _serialized: `true_${chatId}_3EB0SENT${this.sent.length}` } });
  onGetState: () => Promise<string | null> = async () => "CONNECTED";
  info = { wid: { user: "6281100000001" } };
  lastPairingRequest: Promise<string> | undefined;

  async initialize(): Promise<void> {
    this.initialized += 1;
  }

  async destroy(): Promise<void> {
    this.destroyed += 1;
  }

  sendMessage(chatId: string, content: string): Promise<SentMessageLike | null | undefined> {
    this.sent.push({ chatId, content });
    return this.onSend(chatId, content);
  }

  requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    this.lastPairingRequest = Promise.resolve("ABCD1234");
    return this.lastPairingRequest;
  }

  getState(): Promise<string | null> {
    return this.onGetState();
  }

  /** Emits `message` with a real Message, as whatsapp-web.js does for a new message. */
  receive(raw: RawMessage, media?: WhatsAppMediaLike | "gone"): void {
    this.emit("message", whatsappMessage(this, raw, media));
  }
}
