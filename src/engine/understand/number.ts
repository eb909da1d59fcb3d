/** Answers given as a number ("3", "no 3", "tiga"). */
import { canonicalWords, numberFromWords } from "./lexicon.js";

/** Words around a number that do not change it ("no 3", "pilih yang 3 aja"). */
export const NUMBER_FILLER: ReadonlySet<string> = new Set([
  "no",
  "nomor",
  "pilih",
  "pilihan",
  "opsi",
  "angka",
  "yang",
  "ke",
  "saya",
  "mau",
  "ambil",
  "jawab",
  "jawaban",
  "saja",
  "deh",
  "dong",
  "ya",
  "itu",
]);
const DIGITS = /^\d{1,3}$/;

/** The number made by all of `ws` (digits, or number words), if they are exactly one number. */
export function numberOf(ws: readonly string[]): number | undefined {
  const [only] = ws;
  if (ws.length === 1 && only !== undefined && DIGITS.test(only)) return Number(only);
  return numberFromWords(ws);
}

/**
 * The number a message answers with, when the message is only that number (0–999, in digits or
 * words) plus filler words such as "no", "nomor", "pilih", "yang", "saja": "3", "3.", "no 3",
 * "pilih yang ketiga", "dua puluh". A number inside a sentence ("3 anak saya sakit") or several
 * numbers ("1 3") are not an answer.
 */
export function matchNumber(text: string): number | undefined {
  const ws = canonicalWords(text).filter((w) => !NUMBER_FILLER.has(w));
  return ws.length === 0 ? undefined : numberOf(ws);
}

/** True for one word that is a number: digits or a number word. */
export function isNumberWord(w: string): boolean {
  return DIGITS.test(w) || numberFromWords([w]) !== undefined;
}
