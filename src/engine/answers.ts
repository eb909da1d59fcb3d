import type { InboundContent } from "../channels/contract.js";
import type { AskStep } from "./flow-schema.js";
import { makassarDate } from "./format.js";
import type { Json } from "./json.js";
import { type Misunderstanding, optionsOf } from "./questions.js";
import {
  canonicalTokens,
  matchChoice,
  matchMultiChoice,
  matchNumber,
  matchYesNo,
  parseDate,
  parsePhone,
  tokens,
} from "./understand/index.js";

export type Answer = { ok: true; value: Json } | { ok: false; why: Misunderstanding };

/** Longest free-text answer stored; longer ones are cut (the resident is not punished). */
export const maxTextAnswerLength = 2000;

const skipWords = new Set(["lewati", "lewat", "skip"]);
/** "No" also skips, except where the question itself is yes/no. */
const noneWords = new Set(["tidak", "tidak ada", "belum ada", "kosong"]);

function isSkip(step: AskStep, text: string): boolean {
  const said = canonicalTokens(tokens(text)).join(" ");
  return skipWords.has(said) || (step.kind !== "yes_no" && noneWords.has(said));
}

const understood = (value: Json): Answer => ({ ok: true, value });
const notUnderstood: Answer = { ok: false, why: "not_understood" };

/** What the resident's message means as an answer to `step`, or why it is not one. */
export function readAnswer(
  step: AskStep,
  content: InboundContent,
  variables: Readonly<Record<string, Json>>,
  now: Date,
): Answer {
  const text =
    content.kind === "text" ? content.text : content.kind === "choice" ? content.choiceId : null;
  if (step.optional && text !== null && isSkip(step, text)) return understood(null);

  switch (step.kind) {
    case "photo":
      return content.kind === "photo" ? understood(content.mediaId) : notUnderstood;
    case "location":
      if (content.kind === "location") {
        return understood({ latitude: content.latitude, longitude: content.longitude });
      }
      return text?.trim() ? understood({ address: text.trim().slice(0, 300) }) : notUnderstood;
    case "phone":
      return readPhone(content, text);
  }
  if (text === null) return { ok: false, why: "not_text" };

  switch (step.kind) {
    case "text": {
      const trimmed = text.trim();
      return trimmed ? understood(trimmed.slice(0, maxTextAnswerLength)) : notUnderstood;
    }
    case "yes_no": {
      const answer = matchYesNo(text);
      return answer ? understood(answer === "yes") : notUnderstood;
    }
    case "number": {
      const number = matchNumber(text);
      return number === undefined ? notUnderstood : understood(number);
    }
    case "date": {
      const date = parseDate(text, makassarDate(now));
      return date ? understood(date) : notUnderstood;
    }
    case "multi_choice": {
      const result = matchMultiChoice(text, optionsOf(step, variables));
      return result.kind === "matched" ? understood(result.ids) : notUnderstood;
    }
    default: {
      const result = matchChoice(text, optionsOf(step, variables));
      return result.kind === "matched" ? understood(result.id) : notUnderstood;
    }
  }
}

function readPhone(content: InboundContent, text: string | null): Answer {
  if (content.kind === "contact") {
    if (!content.isOwn) return notUnderstood;
    const shared = parsePhone(content.phone);
    return shared.kind === "mobile" ? understood(shared.e164) : notUnderstood;
  }
  if (text === null) return { ok: false, why: "not_text" };
  const parsed = parsePhone(text);
  if (parsed.kind === "mobile") return understood(parsed.e164);
  return parsed.kind === "fixed_line" ? { ok: false, why: "fixed_line" } : notUnderstood;
}
