import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import type { Choice, OutboundMessage } from "../contract.js";
import { splitText } from "./split.js";

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** One `sendMessage` call: plain text (no parse_mode: resident and staff text is untrusted). */
export interface TelegramPart {
  text: string;
  replyMarkup?: ReplyMarkup;
}

/** Telegram's longest message text. */
export const maxTextLength = 4096;
/** Longest button label shown; longer ones end in "…" (the full option is in the text). */
export const maxButtonLabel = 40;
/** Telegram's limit on callback_data, in bytes of UTF-8. */
const maxCallbackDataBytes = 64;
/** Telegram's limit on the buttons of one inline keyboard. */
const maxButtons = 100;

export const sharePhoneLabel = "Kirim nomor HP saya";
const sharePhonePlaceholder = "Atau ketik nomor HP Anda";

/**
 * Turns an OutboundMessage into the `sendMessage` calls that show it, in order. The text is
 * sent as given (numbered options stay in it); a text over 4096 characters is split, and the
 * keyboard goes on the last part. The keyboard:
 * - `requestPhone` → a reply keyboard with one "Kirim nomor HP saya" button (request_contact),
 *   one-time and resized; it wins over `choices` (a message carries one keyboard).
 * - `choices` → an inline keyboard, one button per row, callback_data = the choice id. When an
 *   id is empty or over 64 bytes, or there are more than 100, no keyboard: the text still works.
 * - otherwise `remove_keyboard`, so a phone keyboard left over (the resident typed the number
 *   instead of pressing the button) disappears with the next plain message. Stateless on
 *   purpose: it costs nothing when no keyboard is shown. A message with choices cannot remove
 *   it (one markup per message), but the reply keyboard is one-time anyway.
 */
export function renderMessage(message: OutboundMessage): TelegramPart[] {
  const texts = splitText(message.text, maxTextLength);
  const markup = markupOf(message);
  return texts.map((text, index) =>
    index === texts.length - 1 ? { text, replyMarkup: markup } : { text },
  );
}

function markupOf(message: OutboundMessage): ReplyMarkup {
  if (message.requestPhone) {
    return {
      keyboard: [[{ text: sharePhoneLabel, request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
      input_field_placeholder: sharePhonePlaceholder,
    };
  }
  const choices = message.choices ?? [];
  if (choices.length > 0 && choices.length <= maxButtons && choices.every(fitsCallbackData)) {
    return {
      inline_keyboard: choices.map((choice) => [
        { text: buttonLabel(choice), callback_data: choice.id },
      ]),
    };
  }
  return { remove_keyboard: true };
}

function fitsCallbackData(choice: Choice): boolean {
  const bytes = Buffer.byteLength(choice.id, "utf8");
  return bytes >= 1 && bytes <= maxCallbackDataBytes;
}

/** The label, cut to `maxButtonLabel` characters (code points, so no emoji is broken). */
export function buttonLabel(choice: Choice): string {
  const label = choice.label.trim() === "" ? choice.id : choice.label.trim();
  const characters = Array.from(label);
  if (characters.length <= maxButtonLabel) return label;
  return `${characters
    .slice(0, maxButtonLabel - 1)
    .join("")
    .trimEnd()}…`;
}
