/** Answers to a yes/no question ("Ketik YA atau TIDAK"). */
import { canonicalWords, sameWord } from "./lexicon.js";

/** True when `word` is in `set`, or is one typo of a long word of it (and not a real word). */
function inSet(word: string, set: ReadonlySet<string>): boolean {
  if (set.has(word)) return true;
  for (const target of set) if (sameWord(word, target)) return true;
  return false;
}

const YES: ReadonlySet<string> = new Set([
  "ya",
  "mau",
  "boleh",
  "betul",
  "benar",
  "setuju",
  "lanjut",
  /** "Kirim laporan ini?" — "kirim" / "kirim aja". */
  "kirim",
  "gas",
  "bisa",
  "sudah",
  "ada",
  "tentu",
  "pasti",
  "ayo",
  "ayok",
  "yuk",
  "mantap",
]);
const NEGATORS: ReadonlySet<string> = new Set(["tidak", "jangan", "belum"]);
const NO: ReadonlySet<string> = new Set(["no", "nope", "tolak"]);
/** Words that make an answer neither yes nor no. */
const UNSURE: ReadonlySet<string> = new Set(["mungkin", "ragu", "bingung", "entah", "kurang"]);
/** After a negator: "tidak apa apa", "tidak masalah" mean yes. */
const NEGATED_TO_YES: ReadonlySet<string> = new Set(["apa", "papa", "masalah"]);
/** After a negator: "tidak tahu", "tidak yakin" are unsure; "tidak jadi" is BATAL. */
const NEGATED_TO_UNSURE: ReadonlySet<string> = new Set(["tahu", "yakin", "jadi", "ngerti"]);
/** Words around a yes/no that do not change it. */
const YES_NO_FILLER: ReadonlySet<string> = new Set([
  "saya",
  "anda",
  "deh",
  "dong",
  "saja",
  "dulu",
  "kok",
  "sih",
  "nih",
  "lah",
  "kah",
  "ai",
  "pang",
  "banget",
  "sekali",
  "sangat",
  "terima",
  "kasih",
  "itu",
  "juga",
  "pak",
  "bu",
  "kak",
  "min",
  "mas",
  "mbak",
  "hehe",
  "wkwk",
]);

/**
 * "yes", "no" or undefined for an answer to a yes/no question.
 *
 * The first word that is not filler must be a yes or a no ("iya saya mau", "gak dulu deh",
 * "kada handak"); a later word of the opposite meaning makes it undefined ("ya tidak",
 * "iya tapi jangan senin"). A negator before a yes word is one no ("ga mau", "belum bisa").
 * "indah" (Banjar) is a refusal only as the first signal, so "iya, di graha indah" stays yes.
 * "gak jadi" is undefined here: it is BATAL, for the command matcher. "1" and "2" are undefined:
 * the caller adds them when it shows numbered YA/TIDAK options.
 */
export function matchYesNo(text: string): "yes" | "no" | undefined {
  const ws = canonicalWords(text);
  let answer: "yes" | "no" | undefined;
  for (let i = 0; i < ws.length; i++) {
    const word = ws[i] ?? "";
    let signal: "yes" | "no" | undefined;
    if (inSet(word, NEGATORS) || (answer === undefined && word === "indah")) {
      const next = ws[i + 1] ?? "";
      if (NEGATED_TO_UNSURE.has(next)) return undefined;
      if (NEGATED_TO_YES.has(next)) {
        signal = "yes";
        while (NEGATED_TO_YES.has(ws[i + 1] ?? "")) i++;
      } else {
        signal = "no";
        if (inSet(next, YES)) i++;
      }
    } else if (NO.has(word)) {
      signal = "no";
    } else if (inSet(word, YES)) {
      signal = "yes";
    } else if (UNSURE.has(word)) {
      return undefined;
    } else if (!YES_NO_FILLER.has(word) && answer === undefined) {
      return undefined;
    }
    if (signal === undefined) continue;
    if (answer !== undefined && answer !== signal) return undefined;
    answer = signal;
  }
  return answer;
}
