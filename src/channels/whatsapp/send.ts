import type { SendResult } from "../adapter.js";
import type { OutboundMessage } from "../contract.js";
import type { WhatsAppClientLike } from "./client.js";
import { splitText } from "./split-text.js";
import { type Timers, withTimeout } from "./timers.js";

export interface SendOptions {
  maxTextLength: number;
  timers: Timers;
  /** How long one sendMessage may go unanswered before it counts as failed. */
  timeoutMs: number;
  /** Whether the client is ready now; an error while it is not is retried later. */
  isReady(): boolean;
  notReadyRetryMs: number;
  errorRetryMs: number;
}

/**
 * Errors that say the address itself is wrong: no WhatsApp account behind it. "No LID for
 * user" is not one of them: WhatsApp Web throws it for every chat while its LID migration is
 * unfinished, and marking every resident unreachable would stop all announcements.
 */
const addressErrors = [/invalid wid/i, /not a whatsapp user/i, /not registered/i, /wid error/i];

/**
 * Sends `message` as numbered text: WhatsApp Web no longer shows buttons or lists, so `choices`
 * are ignored (their numbers are already in the text), and so is `requestPhone` (WhatsApp knows
 * the number). A text over `maxTextLength` goes out in parts split on paragraphs; if a later part
 * fails, the whole message is retried (the resident may see an earlier part twice, never miss
 * one). A send left unanswered past `timeoutMs` (a dead browser) is retried: it may have gone
 * out, so the resident may get it twice. Never throws.
 */
export async function sendText(
  client: WhatsAppClientLike,
  chatId: string,
  message: OutboundMessage,
  options: SendOptions,
): Promise<SendResult> {
  const text = typeof message.text === "string" ? message.text.trim() : "";
  if (text === "") return { kind: "invalid", reason: "pesan kosong" };
  let first: string | undefined;
  for (const part of splitText(text, options.maxTextLength)) {
    let sent: Awaited<ReturnType<WhatsAppClientLike["sendMessage"]>>;
    try {
      sent = await withTimeout(options.timers, client.sendMessage(chatId, part), options.timeoutMs);
    } catch (error) {
      return classifyError(error, options);
    }
    if (!sent) return { kind: "unreachable", reason: "chat tidak dikenal" };
    first ??= sent.id._serialized;
  }
  return { kind: "sent", platformMessageId: first ?? "" };
}

function classifyError(error: unknown, options: SendOptions): SendResult {
  const text = error instanceof Error ? error.message : String(error);
  if (addressErrors.some((pattern) => pattern.test(text))) {
    return { kind: "unreachable", reason: "bukan nomor WhatsApp" };
  }
  if (!options.isReady()) {
    return { kind: "retry", afterMs: options.notReadyRetryMs, reason: "WhatsApp belum tersambung" };
  }
  return { kind: "retry", afterMs: options.errorRetryMs, reason: `gagal mengirim: ${short(text)}` };
}

/** The error's first line, shortened, with long digit runs (phone numbers) hidden. */
function short(text: string): string {
  const line = (text.split("\n")[0] ?? "").replace(/\d{6,}/g, "…");
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
