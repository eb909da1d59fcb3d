import type { OutboundMessage } from "../contract.js";
import type { ChatTransport } from "./transport.js";

export const residentPrefix = "Anda: ";
export const botPrefix = "Berdaya: ";
const indent = " ".repeat(botPrefix.length);

/** One reply as the terminal shows it: "Berdaya: " before the first line, the rest indented. */
export function formatReply(reply: OutboundMessage): string {
  return reply.text
    .split(/\r?\n/)
    .map((line, index) => (index === 0 ? botPrefix + line : line === "" ? "" : indent + line))
    .join("\n");
}

export interface ChatLoopOptions {
  /** The resident's lines, in order (standard input). */
  lines: AsyncIterable<string>;
  transport: ChatTransport;
  /** Prints to standard output (each call is whole lines, ending in "\n"). */
  out(text: string): void;
  /** Prints a problem to standard error. */
  err(text: string): void;
  /**
   * Interactive (a terminal): the resident's line is already on screen after the prompt, so it
   * is not echoed, `prompt` is shown before each line, and a failed send does not end the chat.
   * Otherwise (piped input) each line is echoed as "Anda: …" and the first failure ends it.
   */
  interactive: boolean;
  prompt?(): void;
}

export interface ChatLoopResult {
  sent: number;
  failed: number;
}

/**
 * Reads lines until the end of input and sends each (blank lines skipped) one after the other,
 * printing the resident's line and the bot's replies. Never rejects for a failed send.
 */
export async function runChatLoop(options: ChatLoopOptions): Promise<ChatLoopResult> {
  const { lines, transport, out, err, interactive, prompt } = options;
  const result: ChatLoopResult = { sent: 0, failed: 0 };
  if (interactive) prompt?.();
  for await (const raw of lines) {
    const text = raw.replace(/\r$/, "");
    if (text.trim() === "") {
      if (interactive) prompt?.();
      continue;
    }
    if (!interactive) out(`${residentPrefix}${text}\n`);
    let replies: OutboundMessage[];
    try {
      replies = await transport.send(text);
    } catch (error) {
      result.failed += 1;
      err(`Gagal mengirim, coba lagi: ${(error as Error).message}\n`);
      if (!interactive) break;
      prompt?.();
      continue;
    }
    result.sent += 1;
    const shown = replies.length > 0 ? replies.map(formatReply) : ["(tidak ada balasan)"];
    out(`${shown.join("\n")}\n\n`);
    if (interactive) prompt?.();
  }
  return result;
}
