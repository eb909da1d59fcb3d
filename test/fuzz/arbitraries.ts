import fc from "fast-check";

/**
 * Generators shared by the fuzz tests, and how they run.
 *
 * Runs are random; a failure prints the seed and path. Replay one with
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/fuzz/<file>`.
 */
export function fuzzRuns(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return {
    numRuns,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}

/** Words residents type (BAHASA.md), honorifics and command words included. */
const residentWords = [
  "ya",
  "setuju",
  "Siti Aminah",
  "iyaaa",
  "gk",
  "kada",
  "inggih",
  "tidak",
  "batal",
  "menu",
  "halo",
  "p",
  "?",
  "daftar",
  "menjahit",
  "jadwal",
  "lapor",
  "hapus data",
  "data saya",
  "berhenti",
  "stop",
  "langganan",
  "ulang",
  "bantuan",
  "bu",
  "pak",
  "ibu2",
  "no3",
  "satu",
  "dua",
  "0812 3456 7890",
  "+62 812-3456-7890",
  "7 desember",
  "besok",
  "07/12/2026",
  "jam 9",
  "Klandasan Ilir",
  "Gn. Samarinda",
  "LAP-000123",
  "TERIMA",
  "HADIR",
];

/** Characters that break naive text handling. */
const oddCharacters = [
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\r\n",
  "\t",
  "\u200b",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u202e",
  "\u2066",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udfff",
  "\ud83d",
  "😀",
  "👩‍👩‍👧",
  "🇮🇩",
  "é",
  "e\u0301",
  "ﬁ",
  "Ⅻ",
  "٣",
  "𝟘",
  "İ",
  "ß",
  "(((((",
  "\\",
  "'",
  '"',
  "%s",
  "{{nama}}",
  "<script>",
  "' or 1=1 --",
];

/** Any UTF-16 code unit, lone surrogates included (what a JS string may hold). */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

/**
 * A message as a resident (or an attacker) might send it: resident words mixed with odd
 * characters, arbitrary code points and arbitrary code units, joined by odd separators.
 */
export const residentText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...residentWords) },
      { weight: 2, arbitrary: fc.constantFrom(...oddCharacters) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
      { weight: 1, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 8 }) },
    ),
    { maxLength: 12 },
  )
  .chain((parts) =>
    fc
      .array(fc.constantFrom(" ", "", ",", ". ", "\n", "  ", "-", "!!"), {
        minLength: parts.length,
        maxLength: parts.length,
      })
      .map((separators) => parts.map((part, i) => `${part}${separators[i]}`).join("")),
  );

/** Long, repetitive input of the kind that makes a backtracking regular expression slow. */
export const pathologicalText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("a", "aa", "no", "ibu-", "1", "?", " ", "-", "😀", "a2", "\u0000", "'"),
    fc.integer({ min: 1_000, max: 20_000 }),
    fc.constantFrom("", "!", "x", "\ud800", "2"),
  )
  .map(([unit, times, end]) => unit.repeat(times) + end);
