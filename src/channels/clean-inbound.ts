import type { InboundPipeline } from "../inbound/pipeline-contract.js";
import type { InboundContent, InboundMessage } from "./contract.js";

/**
 * What any channel hands the pipeline is made safe to store and to show, in one place.
 *
 * Decisions:
 * - A resident's text (message, caption) is kept up to 4,096 UTF-16 code units (Telegram's own
 *   limit; one phone screen is ~600); the rest is cut, never splitting an emoji's surrogate
 *   pair. The resident still gets the reply the first 4,096 characters earn: no error.
 * - NUL and the other C0/C1 control characters are removed (PostgreSQL `text` and `jsonb`
 *   refuse NUL); tab and line breaks stay, "\r\n" becomes "\n".
 * - A lone UTF-16 surrogate (invalid Unicode; `jsonb` refuses it) becomes U+FFFD.
 * - Bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069) are
 *   removed: they can make a name read backwards in the staff console. The plain marks
 *   U+200E/U+200F and joiners (emoji sequences) stay.
 * - Names are kept up to 100 characters; ids and other short fields up to 256.
 */
export const maxInboundTextLength = 4096;
export const maxDisplayNameLength = 100;
const maxFieldLength = 256;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const lineBreak = /\r\n?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** `text` without what cannot be stored or safely shown, at most `maxLength` code units. */
export function cleanText(text: string, maxLength: number): string {
  const clean = text
    .replace(loneSurrogate, "\uFFFD")
    .replace(lineBreak, "\n")
    .replace(controlCharacters, "")
    .replace(bidiControls, "");
  if (clean.length <= maxLength) return clean;
  const cut = clean.slice(0, maxLength);
  // Do not leave the first half of a surrogate pair at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

const field = (value: string) => cleanText(value, maxFieldLength);

function cleanContent(content: InboundContent): InboundContent {
  switch (content.kind) {
    case "text":
      return { kind: "text", text: cleanText(content.text, maxInboundTextLength) };
    case "photo":
      return content.caption === undefined
        ? content
        : { ...content, caption: cleanText(content.caption, maxInboundTextLength) };
    case "choice":
      return { kind: "choice", choiceId: field(content.choiceId) };
    case "contact":
      return { ...content, phone: field(content.phone) };
    case "other":
      return { kind: "other", description: field(content.description) };
    default:
      return content;
  }
}

/** The message as the pipeline may store it (see the decisions above). */
export function cleanInbound(message: InboundMessage): InboundMessage {
  const displayName =
    message.displayName === undefined
      ? undefined
      : cleanText(message.displayName, maxDisplayNameLength).trim();
  const { displayName: _, phone, ...rest } = message;
  return {
    ...rest,
    externalId: field(message.externalId),
    senderId: field(message.senderId),
    ...(displayName ? { displayName } : {}),
    ...(phone === undefined ? {} : { phone: field(phone) }),
    content: cleanContent(message.content),
  };
}

/** `pipeline`, receiving only cleaned messages: every channel goes through it. */
export function cleaningPipeline<P extends InboundPipeline>(pipeline: P): P {
  return {
    ...pipeline,
    receive: (message) => pipeline.receive(cleanInbound(message)),
    accept: (message) => pipeline.accept(cleanInbound(message)),
  };
}
