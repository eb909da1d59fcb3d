import type { CallbackQuery, ChatMemberUpdated, Message, Update, User } from "grammy/types";
import type { InboundContent, InboundMessage } from "../contract.js";
import { locationContent, sentAt } from "../platform-values.js";
import { commandText } from "./commands.js";
import { pickPhotoSize } from "./photo-size.js";

/** A photo still to be downloaded (getFile + file download) before it becomes `{kind:"photo"}`. */
export interface PhotoFile {
  kind: "photo_file";
  fileId: string;
  fileSize?: number;
  mimeType: string;
  caption?: string;
}

export type DraftContent = InboundContent | PhotoFile;

/** An InboundMessage whose photo, if any, is not downloaded yet. */
export interface DraftMessage extends Omit<InboundMessage, "content"> {
  content: DraftContent;
}

export type IgnoreReason =
  /** A group, supergroup or channel: Berdaya talks to residents one to one, and stays quiet there. */
  | "not_private"
  | "edited"
  | "from_bot"
  /** A button without callback data (games), or a member change that is neither block nor unblock. */
  | "no_data"
  | "unsupported";

/**
 * What to do with one update. Every plan that concerns a chat names it (`chatId`, the decimal
 * text of the chat id): updates of one chat are handled one after the other.
 */
export type UpdatePlan =
  /** Hand the message to the pipeline; answer the button press, if it was one. */
  | { kind: "message"; chatId: string; message: DraftMessage; callbackQueryId?: string }
  /** The resident blocked (kicked) or unblocked the bot in their private chat. */
  | { kind: "reachability"; chatId: string; reachable: boolean }
  /** Nothing for the pipeline; a pressed button is still answered so its spinner stops. */
  | { kind: "ignore"; reason: IgnoreReason; chatId?: string; callbackQueryId?: string };

export interface PlanOptions {
  /** When the update arrived (button presses carry no date of their own). */
  now: Date;
  /** Largest photo to download; a photo with no size at or under it becomes "other". */
  maxPhotoBytes: number;
}

/** The update types Berdaya asks Telegram for (getUpdates and setWebhook `allowed_updates`). */
export const allowedUpdates = ["message", "callback_query", "my_chat_member"] as const;

/**
 * Maps a Bot API update to what the adapter does with it. Pure: no I/O, no clock. Ids become
 * decimal text here (chat ids can exceed 2^31; the Bot API keeps them within 2^53, so the JSON
 * number is exact and `String(id)` is too) and stay text everywhere after.
 */
export function planUpdate(update: Update, options: PlanOptions): UpdatePlan {
  if (update.message) return planMessage(update.update_id, update.message, options);
  if (update.callback_query) return planCallback(update.update_id, update.callback_query, options);
  if (update.my_chat_member) return planMemberChange(update.my_chat_member);
  if (update.edited_message) return { kind: "ignore", reason: "edited" };
  if (update.channel_post || update.edited_channel_post) {
    return { kind: "ignore", reason: "not_private" };
  }
  return { kind: "ignore", reason: "unsupported" };
}

/** Chat and user ids are integers within 2^53 (Bot API); anything else names nobody. */
const isChatId = (id: unknown): id is number => Number.isSafeInteger(id);

function planMessage(updateId: number, message: Message, options: PlanOptions): UpdatePlan {
  // Every message has a chat with a numeric id; without one there is nobody to answer.
  if (!isChatId(message.chat?.id)) return { kind: "ignore", reason: "unsupported" };
  const chatId = String(message.chat.id);
  if (message.chat.type !== "private") return { kind: "ignore", reason: "not_private", chatId };
  if (message.from?.is_bot) return { kind: "ignore", reason: "from_bot", chatId };
  return {
    kind: "message",
    chatId,
    message: {
      ...envelope(updateId, chatId, message.from, sentAt(message.date, options.now)),
      content: contentOf(message, options.maxPhotoBytes),
    },
  };
}

function planCallback(updateId: number, query: CallbackQuery, options: PlanOptions): UpdatePlan {
  const chat = query.message?.chat;
  // In a private chat the chat id is the user id; a button under an old message may come without it.
  const id = chat?.id ?? query.from?.id;
  if (!isChatId(id)) return { kind: "ignore", reason: "unsupported" };
  const chatId = String(id);
  if (chat && chat.type !== "private") {
    return { kind: "ignore", reason: "not_private", chatId, callbackQueryId: query.id };
  }
  if (typeof query.data !== "string" || query.data === "") {
    return { kind: "ignore", reason: "no_data", chatId, callbackQueryId: query.id };
  }
  return {
    kind: "message",
    chatId,
    callbackQueryId: query.id,
    message: {
      ...envelope(updateId, chatId, query.from, options.now),
      content: { kind: "choice", choiceId: query.data },
    },
  };
}

function planMemberChange(change: ChatMemberUpdated): UpdatePlan {
  const chatId = String(change.chat.id);
  if (change.chat.type !== "private") return { kind: "ignore", reason: "not_private", chatId };
  const status = change.new_chat_member.status;
  if (status === "kicked") return { kind: "reachability", chatId, reachable: false };
  if (status === "member") return { kind: "reachability", chatId, reachable: true };
  return { kind: "ignore", reason: "no_data", chatId };
}

function envelope(
  updateId: number,
  chatId: string,
  from: User | undefined,
  receivedAt: Date,
): Omit<DraftMessage, "content"> {
  const displayName = from
    ? [from.first_name, from.last_name].filter((part) => part && part.trim() !== "").join(" ")
    : "";
  return {
    channel: "telegram",
    // The update id, not the message id: a button press has no message id of its own, and a
    // redelivered update carries the same update id.
    externalId: String(updateId),
    senderId: chatId,
    ...(displayName ? { displayName } : {}),
    receivedAt,
  };
}

const imageTypes = new Set(["image/jpeg", "image/png", "image/webp"]);

function contentOf(message: Message, maxPhotoBytes: number): DraftContent {
  if (typeof message.text === "string") {
    return { kind: "text", text: commandText(message.text) ?? message.text };
  }
  const caption =
    typeof message.caption === "string" && message.caption ? { caption: message.caption } : {};
  if (Array.isArray(message.photo) && message.photo.length > 0) {
    const size = pickPhotoSize(message.photo, maxPhotoBytes);
    if (!size) return { kind: "other", description: "photo_too_large" };
    if (typeof size.file_id !== "string") return { kind: "other", description: "unsupported" };
    return {
      kind: "photo_file",
      fileId: size.file_id,
      ...(size.file_size === undefined ? {} : { fileSize: size.file_size }),
      mimeType: "image/jpeg",
      ...caption,
    };
  }
  const document = message.document;
  if (
    typeof document?.file_id === "string" &&
    document.mime_type &&
    imageTypes.has(document.mime_type)
  ) {
    // A photo sent "as a file" keeps its quality and type; same size cap.
    if (document.file_size !== undefined && document.file_size > maxPhotoBytes) {
      return { kind: "other", description: "photo_too_large" };
    }
    return {
      kind: "photo_file",
      fileId: document.file_id,
      ...(document.file_size === undefined ? {} : { fileSize: document.file_size }),
      mimeType: document.mime_type,
      ...caption,
    };
  }
  if (typeof message.contact?.phone_number === "string") {
    return {
      kind: "contact",
      phone: message.contact.phone_number,
      // Only the resident's own number counts (the "Kirim nomor HP saya" button shares it).
      isOwn: message.contact.user_id !== undefined && message.contact.user_id === message.from?.id,
    };
  }
  if (message.location) {
    return locationContent(message.location.latitude, message.location.longitude, "location");
  }
  if (message.voice) return { kind: "voice" };
  return { kind: "other", description: describeOther(message) };
}

/** A short English tag for what was sent (never its content). */
function describeOther(message: Message): string {
  if (message.sticker) return "sticker";
  if (message.animation) return "animation";
  if (message.video_note) return "video_note";
  if (message.video) return "video";
  if (message.audio) return "audio";
  if (message.document) return "document";
  if (message.poll) return "poll";
  if (message.dice) return "dice";
  return "unsupported";
}
