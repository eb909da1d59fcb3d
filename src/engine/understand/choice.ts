/**
 * Which option(s) of a numbered list a message picks. Options are compared by meaning: both the
 * message and the labels are normalised and read through the lexicon.
 */
import { canonicalWords, numberFromWords, sameWord } from "./lexicon.js";
import { isNumberWord, NUMBER_FILLER, numberOf } from "./number.js";

export type ChoiceOption = { id: string; label: string; aliases?: string[] };

export type ChoiceResult =
  | { kind: "matched"; id: string }
  | { kind: "ambiguous"; ids: string[] }
  | { kind: "none" };

export type MultiChoiceResult =
  | { kind: "matched"; ids: string[] }
  | { kind: "none"; unknown: string[] };

/** Words that say nothing about which option is meant. */
const CHOICE_FILLER: ReadonlySet<string> = new Set([
  "saya",
  "mau",
  "pilih",
  "yang",
  "ikut",
  "di",
  "ke",
  "dari",
  "tinggal",
  "ambil",
  "saja",
  "dong",
  "deh",
  "itu",
  "ya",
  "nomor",
]);
const HAS_LETTER = /\p{L}/u;
const MIN_PREFIX = 3;

/** Scores, best first: the strongest kind of match between a message and an option. */
const SCORE = {
  exact: 100,
  compact: 90,
  containsAll: 70,
  prefix: 60,
  subset: 50,
  fuzzyAll: 45,
  fuzzySubset: 30,
  overlap: 20,
} as const;

function content(ws: readonly string[], filler: ReadonlySet<string>): readonly string[] {
  const kept = ws.filter((w) => !filler.has(w));
  return kept.length === 0 ? ws : kept;
}

type Prepared = { id: string; forms: ReadonlyArray<readonly string[]> };

function prepare(options: readonly ChoiceOption[]): Prepared[] {
  return options.map((option) => ({
    id: option.id,
    forms: [option.label, ...(option.aliases ?? [])]
      .map((form) => content(canonicalWords(form), CHOICE_FILLER))
      .filter((form) => form.length > 0),
  }));
}

/** How well the message's (filler-free) words `msg` fit one form of an option; 0 when not. */
function scoreForm(
  all: readonly string[],
  msg: readonly string[],
  form: readonly string[],
): number {
  const joined = msg.join(" ");
  const formJoined = form.join(" ");
  if (joined === formJoined || all.join(" ") === formJoined) return SCORE.exact;
  const compact = msg.join("");
  const formCompact = form.join("");
  if (compact === formCompact) return SCORE.compact;
  // More label words contained means a more specific option: "damai bahagia" beats "damai".
  if (form.every((w) => all.includes(w))) return SCORE.containsAll + Math.min(form.length, 9);
  if (
    joined.length >= MIN_PREFIX &&
    HAS_LETTER.test(joined) &&
    (formJoined.startsWith(joined) || form.some((w) => w.startsWith(joined)))
  ) {
    return SCORE.prefix;
  }
  if (msg.every((w) => form.includes(w))) return SCORE.subset;
  if (sameWord(compact, formCompact) || form.every((f) => msg.some((w) => sameWord(w, f)))) {
    return SCORE.fuzzyAll;
  }
  if (msg.every((w) => form.some((f) => sameWord(w, f)))) return SCORE.fuzzySubset;
  // Some word of the label among other words: "bikin kue" → "Roti & kue".
  if (msg.some((w) => w.length >= MIN_PREFIX && form.some((f) => sameWord(w, f))))
    return SCORE.overlap;
  return 0;
}

function bestOptions(
  all: readonly string[],
  prepared: readonly Prepared[],
): { score: number; ids: string[] } {
  const msg = content(all, CHOICE_FILLER);
  let score = 0;
  let ids: string[] = [];
  for (const option of prepared) {
    let best = 0;
    for (const form of option.forms) best = Math.max(best, scoreForm(all, msg, form));
    if (best === 0 || best < score) continue;
    if (best > score) {
      score = best;
      ids = [];
    }
    ids.push(option.id);
  }
  return { score, ids };
}

function choose(
  ws: readonly string[],
  options: readonly ChoiceOption[],
  prepared: readonly Prepared[],
): ChoiceResult {
  if (ws.length === 0) return { kind: "none" };
  const n = numberOf(ws.filter((w) => !NUMBER_FILLER.has(w)));
  const byNumber = n !== undefined && n >= 1 ? options[n - 1] : undefined;
  if (byNumber !== undefined) return { kind: "matched", id: byNumber.id };
  const { ids } = bestOptions(ws, prepared);
  const [only] = ids;
  if (only === undefined) return { kind: "none" };
  return ids.length === 1 ? { kind: "matched", id: only } : { kind: "ambiguous", ids };
}

/**
 * Which one option a message picks: its 1-based number ("2", "no 2", "dua"), its label or an
 * alias, a unique prefix of at least three letters ("menj" → Menjahit), a message containing all
 * words of a label, a message made of words of one label, the same with one typo in words of
 * five letters or more, or (weakest) a message sharing a word with one label ("bikin kue").
 * The strongest kind of match wins; several options fitting equally well are ambiguous.
 */
export function matchChoice(text: string, options: readonly ChoiceOption[]): ChoiceResult {
  return choose(canonicalWords(text), options, prepare(options));
}

const LIST_SEPARATORS = /[,;/&+\n]+/u;
const SEPARATOR_WORDS: ReadonlySet<string> = new Set([
  "dan",
  "serta",
  "atau",
  "sama",
  "juga",
  "dengan",
  "plus",
  "n",
]);
const ALL_WORDS: ReadonlySet<string> = new Set(["semua", "semuanya", "all"]);

/** Splits a message into the groups of words between commas and words like "dan". */
function groups(text: string): string[][] {
  const out: string[][] = [];
  for (const part of text.split(LIST_SEPARATORS)) {
    let group: string[] = [];
    for (const w of canonicalWords(part)) {
      if (SEPARATOR_WORDS.has(w)) {
        if (group.length > 0) out.push(group);
        group = [];
      } else {
        group.push(w);
      }
    }
    if (group.length > 0) out.push(group);
  }
  return out;
}

/**
 * The ids one group of words picks (undefined when not understood). A group of several numbers
 * ("1 3") picks each; a group of several words that does not fit one option ("lansia
 * disabilitas") picks each word's option when every word fits one.
 */
function pickGroup(
  group: readonly string[],
  options: readonly ChoiceOption[],
  prepared: readonly Prepared[],
): Array<string | undefined> {
  const numbers = group.filter((w) => !NUMBER_FILLER.has(w));
  if (numbers.length > 1 && numbers.every(isNumberWord) && numberFromWords(numbers) === undefined) {
    return numbers.map((w) => matchedId(choose([w], options, prepared)));
  }
  const whole = matchedId(choose(group, options, prepared));
  if (whole !== undefined || group.length === 1) return [whole];
  const each = group
    .filter((w) => !CHOICE_FILLER.has(w))
    .map((w) => matchedId(choose([w], options, prepared)));
  return each.length > 0 && each.every((id) => id !== undefined) ? each : [undefined];
}

function matchedId(result: ChoiceResult): string | undefined {
  return result.kind === "matched" ? result.id : undefined;
}

/**
 * Which options a message picks when several may apply: "1, 3", "1 dan 3", "1 3", "1,3 dan 5",
 * "satu dan tiga", "lansia dan disabilitas", "semua". Ids come back once each, in option order.
 * When any part is not understood (or fits several options) the result is `none` with those
 * parts, so the bot can say which part it did not understand.
 */
export function matchMultiChoice(
  text: string,
  options: readonly ChoiceOption[],
): MultiChoiceResult {
  const prepared = prepare(options);
  const whole = canonicalWords(text);
  if (whole.length > 0 && whole.every((w) => ALL_WORDS.has(w))) {
    return { kind: "matched", ids: options.map((o) => o.id) };
  }
  const exact = bestOptions(whole, prepared);
  const [exactId] = exact.ids;
  if (exact.score >= SCORE.compact && exact.ids.length === 1 && exactId !== undefined) {
    return { kind: "matched", ids: [exactId] };
  }
  const picked = new Set<string>();
  const unknown: string[] = [];
  for (const group of groups(text)) {
    for (const id of pickGroup(group, options, prepared)) {
      if (id === undefined) unknown.push(group.join(" "));
      else picked.add(id);
    }
  }
  if (unknown.length > 0 || picked.size === 0) return { kind: "none", unknown };
  return { kind: "matched", ids: options.filter((o) => picked.has(o.id)).map((o) => o.id) };
}
