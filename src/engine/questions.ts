import type { Choice, OutboundMessage } from "../channels/contract.js";
import { kecamatanList, kelurahanOf } from "./areas.js";
import { type AskStep, choiceKinds } from "./flow-schema.js";
import type { Json } from "./json.js";
import type { ChoiceOption } from "./understand/index.js";
import { fillText, lookup } from "./variables.js";

/** The label of the chosen option(s), saved beside the answer as <save>_label. */
export function labelOf(
  step: AskStep,
  answer: Json,
  variables: Readonly<Record<string, Json>>,
): Json {
  const options = optionsOf(step, variables);
  const label = (id: Json) => options.find((option) => option.id === id)?.label ?? null;
  return Array.isArray(answer) ? answer.map(label) : label(answer);
}

/** The options a choice-like question offers, in the order they are numbered. */
export function optionsOf(
  step: AskStep,
  variables: Readonly<Record<string, Json>>,
): ChoiceOption[] {
  if (step.kind === "kecamatan") {
    return kecamatanList.map(({ code, name }) => ({ id: code, label: name }));
  }
  if (step.kind === "kelurahan") {
    const kecamatan = step.kecamatan ? lookup(variables, step.kecamatan) : undefined;
    return kelurahanOf(typeof kecamatan === "string" ? kecamatan : "").map((area) => ({
      id: area.code,
      label: area.name,
      aliases: area.aliases,
    }));
  }
  if (step.options) {
    return step.options.map((option) => ({ ...option, label: fillText(option.label, variables) }));
  }
  const listed = step.options_from ? lookup(variables, step.options_from) : undefined;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((item) =>
    item && typeof item === "object" && !Array.isArray(item) && "id" in item && "label" in item
      ? [{ id: String(item.id), label: String(item.label) }]
      : [],
  );
}

/** How to answer, said under every question and in every re-prompt (BAHASA.md). */
function howToAnswer(step: AskStep, optionCount: number): string {
  if (step.how) return step.how;
  const range = optionCount > 1 ? `angka 1–${optionCount}` : "angka 1";
  const skip = step.optional ? " Ketik LEWATI untuk melewati pertanyaan ini." : "";
  switch (step.kind) {
    case "choice":
      return `Balas dengan ${range}.${skip}`;
    case "multi_choice":
      return `Balas dengan ${range}; boleh lebih dari satu, misalnya: 1, 3.${skip}`;
    case "kecamatan":
    case "kelurahan":
      return `Balas dengan ${range}, atau ketik namanya.${skip}`;
    case "yes_no":
      return `Ketik YA atau TIDAK.${skip}`;
    case "number":
      return `Balas dengan angka, misalnya ${step.example ?? "2"}.${skip}`;
    case "phone":
      return `Tulis nomor HP, misalnya ${step.example ?? "0812 3456 7890"}.${skip}`;
    case "date":
      return `Tulis tanggal, misalnya ${step.example ?? "7 Desember 2026"}.${skip}`;
    case "location":
      return `Kirim lokasi (📎 lalu Lokasi) atau tulis alamat singkat.${skip}`;
    case "photo":
      return `Kirim foto.${skip}`;
    case "text":
      return skip.trim();
  }
}

function withOptions(text: string, options: ChoiceOption[]): string {
  const lines = options.map((option, index) => `${index + 1}. ${option.label}`);
  return `${text}\n\n${lines.join("\n")}`;
}

/** The question as the resident sees it: text, numbered options, how to answer. */
export function renderQuestion(
  step: AskStep,
  variables: Readonly<Record<string, Json>>,
): OutboundMessage {
  const options = optionsOf(step, variables);
  const question = fillText(step.text, variables);
  const body = choiceKinds.has(step.kind) ? withOptions(question, options) : question;
  const how = howToAnswer(step, options.length);
  const message: OutboundMessage = { text: how ? `${body}\n\n${how}` : body };
  const choices = questionChoices(step, options);
  if (choices) message.choices = choices;
  if (step.kind === "phone") message.requestPhone = true;
  return message;
}

function questionChoices(step: AskStep, options: ChoiceOption[]): Choice[] | undefined {
  if (step.kind === "yes_no") {
    return [
      { id: "ya", label: "Ya" },
      { id: "tidak", label: "Tidak" },
    ];
  }
  if (step.kind === "choice" || step.kind === "kecamatan" || step.kind === "kelurahan") {
    return options.map((option, index) => ({ id: String(index + 1), label: option.label }));
  }
  return undefined;
}

export type Misunderstanding = "not_understood" | "fixed_line" | "not_text";

const openers: Record<Misunderstanding, string> = {
  not_understood: "Maaf, saya belum mengerti jawaban Anda.",
  fixed_line: "Itu sepertinya nomor telepon rumah, bukan nomor HP (WhatsApp).",
  not_text: "Maaf, saya hanya bisa membaca pesan teks.",
};

/**
 * The kind re-prompt after an answer the bot could not use: what went wrong, how to answer with
 * an example, and after three tries in a row a way out (MENU, BANTUAN).
 */
export function renderRetry(
  step: AskStep,
  variables: Readonly<Record<string, Json>>,
  attempts: number,
  why: Misunderstanding,
): OutboundMessage {
  const options = optionsOf(step, variables);
  const example = step.kind === "text" && step.example ? `Contoh: ${step.example}` : "";
  const again = choiceKinds.has(step.kind) ? "Ketik ULANG untuk melihat pilihannya lagi." : "";
  const parts = [openers[why], howToAnswer(step, options.length), example, again];
  if (attempts >= 3) {
    parts.push(
      "Jika bingung, ketik MENU untuk kembali ke menu utama atau BANTUAN untuk dibantu petugas.",
    );
  }
  const message: OutboundMessage = { text: parts.filter(Boolean).join("\n") };
  const choices = questionChoices(step, options);
  if (choices) message.choices = choices;
  if (step.kind === "phone") message.requestPhone = true;
  return message;
}
