import { maxMediaBytes } from "../../domain/media.js";
import { parsePhone } from "../../engine/understand/phone.js";
import type { InboundContent, InboundMessage } from "../contract.js";
import { locationContent, sentAt } from "../platform-values.js";
import { chatKind, phoneOfChatId } from "./chat-id.js";
import type { WhatsAppMessageLike } from "./client.js";

/** Why a WhatsApp message is not a resident talking to Berdaya. */
export type IgnoredReason =
  /** Berdaya's own message (fromMe): never answered, or the bot would talk to itself. */
  | "own_message"
  | "group"
  | "status"
  | "newsletter"
  | "broadcast"
  | "unsupported_chat"
  /** Notifications WhatsApp shows in a chat (security code changed, call log, deleted …). */
  | "system";

type Envelope = Omit<InboundMessage, "content">;

/** A message read without effects; a photo still has to be downloaded and stored. */
export type WhatsAppReading =
  | { kind: "ignored"; reason: IgnoredReason }
  | { kind: "message"; envelope: Envelope; content: InboundContent }
  | { kind: "photo"; envelope: Envelope; caption?: string; declaredBytes?: number };

export type WhatsAppInbound =
  | { kind: "ignored"; reason: IgnoredReason }
  | { kind: "inbound"; message: InboundMessage; problem?: string };

/** Message types that are notifications in a chat, not something the resident wrote. */
const systemTypes = new Set([
  "e2e_notification",
  "notification",
  "notification_template",
  "gp2",
  "call_log",
  "ciphertext",
  "protocol",
  "revoked",
  "reaction",
  "broadcast_notification",
  "debug",
  "pinned_message",
]);

/** How a message the bot cannot read is described in the inbound row (staff may see it). */
const otherDescriptions: Record<string, string> = {
  sticker: "stiker",
  video: "video",
  document: "dokumen",
  multi_vcard: "kartu kontak",
  vcard: "kartu kontak",
  poll_creation: "polling",
  groups_v4_invite: "undangan grup",
  list_response: "pilihan daftar",
  buttons_response: "pilihan tombol",
};

const maxNameLength = 100;

/** A runtime check for what a `message` event carries; anything else is dropped. */
export function isWhatsAppMessage(value: unknown): value is WhatsAppMessageLike {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Partial<WhatsAppMessageLike>;
  return (
    typeof message.id === "object" &&
    message.id !== null &&
    typeof message.id._serialized === "string" &&
    typeof message.from === "string" &&
    typeof message.type === "string" &&
    typeof message.downloadMedia === "function"
  );
}

/**
 * Reads a whatsapp-web.js message (pure). Only one-to-one chats from residents count; the
 * sender id is the chat id, the phone is known only for @c.us ids.
 */
export function readWhatsAppMessage(message: WhatsAppMessageLike, now: Date): WhatsAppReading {
  const ignored = ignoredReason(message);
  if (ignored) return { kind: "ignored", reason: ignored };
  const envelope = envelopeOf(message, now);
  const body = typeof message.body === "string" ? message.body : "";
  switch (message.type) {
    case "chat":
      return { kind: "message", envelope, content: { kind: "text", text: body } };
    case "location":
      return {
        kind: "message",
        envelope,
        content: locationContent(message.location?.latitude, message.location?.longitude, "lokasi"),
      };
    case "image": {
      const caption = body.trim();
      const size = message._data?.size;
      return {
        kind: "photo",
        envelope,
        ...(caption ? { caption } : {}),
        ...(typeof size === "number" && Number.isFinite(size) ? { declaredBytes: size } : {}),
      };
    }
    case "ptt":
    case "audio":
      return { kind: "message", envelope, content: { kind: "voice" } };
    case "vcard":
      return { kind: "message", envelope, content: contactOf(body, envelope.phone) };
    default:
      return {
        kind: "message",
        envelope,
        content: { kind: "other", description: otherDescriptions[message.type] ?? message.type },
      };
  }
}

/**
 * Turns a whatsapp-web.js message into the InboundMessage the pipeline takes, downloading a
 * photo (at most maxMediaBytes) and storing it through `savePhoto`. A photo that cannot be
 * had becomes "other" content with a `problem` for the log; the resident is asked again.
 */
export async function toInboundMessage(
  message: WhatsAppMessageLike,
  deps: { now: Date; savePhoto(bytes: Uint8Array, mimeType: string): Promise<number> },
): Promise<WhatsAppInbound> {
  const reading = readWhatsAppMessage(message, deps.now);
  if (reading.kind === "ignored") return reading;
  if (reading.kind === "message") {
    return { kind: "inbound", message: { ...reading.envelope, content: reading.content } };
  }
  const unusable = (description: string, problem: string): WhatsAppInbound => ({
    kind: "inbound",
    message: { ...reading.envelope, content: { kind: "other", description } },
    problem,
  });
  if (reading.declaredBytes !== undefined && reading.declaredBytes > maxMediaBytes) {
    return unusable("foto terlalu besar", "photo larger than the limit");
  }
  let media: Awaited<ReturnType<WhatsAppMessageLike["downloadMedia"]>>;
  try {
    media = await message.downloadMedia();
  } catch {
    return unusable("foto tidak bisa diunduh", "photo download failed");
  }
  if (!media || typeof media.data !== "string") {
    return unusable("foto tidak bisa diunduh", "photo no longer available");
  }
  const declaredType = typeof media.mimetype === "string" ? media.mimetype : "";
  const mimeType = declaredType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!mimeType.startsWith("image/")) return unusable("foto", "media is not an image");
  // Base64 is 4 characters per 3 bytes: refuse before decoding what cannot fit.
  if (Math.floor((media.data.length * 3) / 4) > maxMediaBytes + 2) {
    return unusable("foto terlalu besar", "photo larger than the limit");
  }
  const bytes = new Uint8Array(Buffer.from(media.data, "base64"));
  if (bytes.byteLength === 0) return unusable("foto tidak bisa diunduh", "photo is empty");
  if (bytes.byteLength > maxMediaBytes) {
    return unusable("foto terlalu besar", "photo larger than the limit");
  }
  const mediaId = await deps.savePhoto(bytes, mimeType);
  return {
    kind: "inbound",
    message: {
      ...reading.envelope,
      content: {
        kind: "photo",
        mediaId,
        ...(reading.caption ? { caption: reading.caption } : {}),
      },
    },
  };
}

function ignoredReason(message: WhatsAppMessageLike): IgnoredReason | undefined {
  if (message.fromMe || message.id.fromMe) return "own_message";
  const kind = chatKind(message.from);
  if (message.isStatus || kind === "status") return "status";
  const remote = typeof message.id.remote === "string" ? message.id.remote : "";
  if (kind === "group" || chatKind(remote) === "group") return "group";
  if (kind === "newsletter") return "newsletter";
  if (message.broadcast || kind === "broadcast") return "broadcast";
  if (kind !== "personal") return "unsupported_chat";
  if (systemTypes.has(message.type)) return "system";
  return undefined;
}

function envelopeOf(message: WhatsAppMessageLike, now: Date): Envelope {
  const phone = phoneOfChatId(message.from);
  const notifyName = message._data?.notifyName;
  const displayName =
    typeof notifyName === "string" ? notifyName.trim().slice(0, maxNameLength) : "";
  return {
    channel: "whatsapp",
    externalId: message.id._serialized,
    senderId: message.from,
    ...(displayName ? { displayName } : {}),
    ...(phone ? { phone } : {}),
    receivedAt: sentAt(message.timestamp, now),
  };
}

/**
 * A shared contact card: its first telephone number, from WhatsApp's `waid` parameter (the
 * number's WhatsApp id) or the number as written. `isOwn` when it is the sender's own number.
 */
function contactOf(vcard: string, senderPhone: string | undefined): InboundContent {
  const telephone = vcard.split(/\r?\n/).find((line) => /^(?:item\d+\.)?TEL\b/i.test(line));
  const waid = telephone ? /waid=(\d{8,15})/i.exec(telephone)?.[1] : undefined;
  let phone = waid ? `+${waid}` : undefined;
  if (!phone && telephone) {
    const written = parsePhone(telephone.slice(telephone.indexOf(":") + 1));
    if (written.kind === "mobile") phone = written.e164;
  }
  if (!phone) return { kind: "other", description: "kartu kontak" };
  return { kind: "contact", phone, isOwn: phone === senderPhone };
}
