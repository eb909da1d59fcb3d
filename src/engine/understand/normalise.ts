/**
 * Normalisation of a resident's message before matching. It runs on every message, so all
 * regular expressions are compiled once here.
 *
 * Decisions:
 * - A message made only of question marks ("?", "??") normalises to "?" so the command matcher
 *   can read it as BANTUAN; every other "?" is punctuation and is removed.
 * - A hyphen is kept only inside a reduplicated word ("ibu-ibu"), and "ibu2" becomes "ibu-ibu",
 *   so the pair stays one word (and is never mistaken for the honorific "ibu"). Other hyphens,
 *   slashes, dots and commas become spaces ("07/12/2026" → "07 12 2026", "3." → "3").
 * - Apostrophes are removed without a space ("jum'at" → "jumat").
 * - "no3", "no.3", "nomor3", "pilih3", "ke2" are split into the word and the number.
 * - A leading kinship word is kept when a possessive follows it ("ibu saya sakit": "ibu" is the
 *   resident's mother there), unless a comma marks it as a form of address ("Bu, saya mau
 *   daftar"). Short forms of address ("pak", "bu", "kak", "min") are always dropped.
 */

const ONLY_QUESTION_MARKS = /^[\s?？]+$/u;
const APOSTROPHES = /['’‘`´]/gu;
const NUMBER_PREFIX =
  /(?<![\p{L}\p{N}])(no|nmr|nomor|nomer|pilih|pilihan|opsi|ke)(\d+)(?![\p{L}\p{N}])/gu;
const REDUPLICATION_DIGIT = /(?<![\p{L}\p{N}])(\p{L}{2,})2(?![\p{L}\p{N}])/gu;
const NOT_WORD_CHAR = /[^\p{L}\p{N}\s-]+/gu;
const LONE_HYPHEN = /(?<!\p{L})-+|-+(?!\p{L})/gu;
/** Anchored at a word start: unanchored, a long word without a hyphen took quadratic time. */
const HYPHENATED = /(?<!\p{L})\p{L}+(?:-\p{L}+)+/gu;
const REPEATED_LETTERS = /(\p{L})\1{2,}/gu;
const WHITESPACE = /\s+/gu;

const HONORIFICS: ReadonlySet<string> = new Set([
  "pak",
  "bu",
  "bapak",
  "bpk",
  "ibu",
  "kak",
  "kakak",
  "ka",
  "mbak",
  "mba",
  "mas",
  "bang",
  "abang",
  "min",
  "admin",
  "om",
  "tante",
  "dik",
]);

/** Honorifics that are also kinship nouns: "bapak saya" is the resident's father. */
const KINSHIP: ReadonlySet<string> = new Set(["bapak", "ibu", "kakak", "abang", "om", "tante"]);
const POSSESSIVES: ReadonlySet<string> = new Set(["saya", "sy", "aku", "ku", "kami", "ulun"]);
/** A first word followed by punctuation, as in "Bu, saya mau daftar". */
const ADDRESSED = /^[^\p{L}\p{N}]*\p{L}+[,.!:;]/u;

function joinHyphenated(word: string): string {
  const parts = word.split("-");
  return parts.length === 2 && parts[0] === parts[1] ? word : parts.join(" ");
}

function isNoun(words: readonly string[], i: number, addressed: boolean): boolean {
  if (i === 0 && addressed) return false;
  return KINSHIP.has(words[i] ?? "") && POSSESSIVES.has(words[i + 1] ?? "");
}

function dropHonorifics(words: string[], addressed: boolean): string[] {
  let start = 0;
  let end = words.length;
  while (
    end - start > 1 &&
    HONORIFICS.has(words[start] ?? "") &&
    !isNoun(words, start, addressed)
  ) {
    start++;
  }
  while (end - start > 1 && HONORIFICS.has(words[end - 1] ?? "")) end--;
  return start === 0 && end === words.length ? words : words.slice(start, end);
}

/** Lower-cased, punctuation- and emoji-free, honorific-free form of a message. */
export function normalise(text: string): string {
  const lower = text.normalize("NFKC").toLowerCase();
  if (ONLY_QUESTION_MARKS.test(lower)) return lower.includes("?") ? "?" : "";
  const cleaned = lower
    .replace(APOSTROPHES, "")
    .replace(NUMBER_PREFIX, "$1 $2")
    .replace(REDUPLICATION_DIGIT, "$1-$1")
    .replace(NOT_WORD_CHAR, " ")
    .replace(LONE_HYPHEN, " ")
    .replace(HYPHENATED, joinHyphenated)
    .replace(REPEATED_LETTERS, "$1")
    .replace(WHITESPACE, " ")
    .trim();
  if (cleaned === "") return "";
  return dropHonorifics(cleaned.split(" "), ADDRESSED.test(lower)).join(" ");
}

/** The words of the normalised message. */
export function tokens(text: string): string[] {
  const normal = normalise(text);
  return normal === "" ? [] : normal.split(" ");
}
