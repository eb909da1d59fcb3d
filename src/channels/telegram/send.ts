import type { Api } from "grammy";
import type { SendResult } from "../adapter.js";
import type { OutboundMessage } from "../contract.js";
import { classifySendError } from "./classify.js";
import { renderMessage } from "./render.js";
import { timeoutSignal } from "./signal.js";

export interface SendDeps {
  api: Api;
  /** Only to keep it out of error descriptions. */
  token: string;
  /** Longest one sendMessage call may take before it counts as a network failure (retry). */
  timeoutMs: number;
}

/** A Telegram chat id as Berdaya stores it: the exact decimal text of a 64-bit integer. */
const chatIdPattern = /^-?\d{1,20}$/;

/**
 * Sends `message` to the chat `address` as one or more plain-text messages (see renderMessage)
 * and classifies the outcome. Never throws. The chat id travels as text, so no precision is
 * lost; link previews are off (they cost residents data). A long text goes out in parts: if a
 * later part fails, the result is that failure and a retry sends every part again (texts over
 * 4096 characters are rare; the bot's messages aim at one phone screen).
 */
export async function sendTelegramMessage(
  deps: SendDeps,
  address: string,
  message: OutboundMessage,
): Promise<SendResult> {
  if (!chatIdPattern.test(address)) {
    return { kind: "invalid", reason: "address is not a Telegram chat id" };
  }
  if (message.text.trim() === "") return { kind: "invalid", reason: "empty text" };
  try {
    let platformMessageId = "";
    for (const part of renderMessage(message)) {
      const sent = await deps.api.sendMessage(
        address,
        part.text,
        {
          link_preview_options: { is_disabled: true },
          ...(part.replyMarkup ? { reply_markup: part.replyMarkup } : {}),
        },
        timeoutSignal(deps.timeoutMs),
      );
      platformMessageId = String(sent.message_id);
    }
    return { kind: "sent", platformMessageId };
  } catch (error) {
    return classifySendError(error, deps.token);
  }
}
