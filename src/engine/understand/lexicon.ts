/**
 * Informal, abbreviated and Banjar words mapped to one canonical spelling, so matchers compare
 * meanings instead of spellings ("gk jd" and "nggak jadi" both read "tidak jadi").
 *
 * Starting list from BAHASA.md, extended with common chat spellings. Deliberately absent:
 * - "indah": Banjar for "tidak mau" but standard Indonesian for "beautiful" (Graha Indah); only
 *   `matchYesNo` reads it as a refusal.
 * - "mulai": a greeting (MENU), never an opt-in to announcements.
 * - "no": "no 3" is a number; `matchYesNo` reads a bare "no" itself.
 * Banjar: "handak"/"hakun" → "mau" (so "kada handak" reads "tidak mau"), "kada" → "tidak",
 * "kadada" → "tidak ada", "bujur" → "benar", "ulun"/"unda" → "saya", "inggih"/"ayuha" → "ya".
 * Javanese: "nggih" → "ya", "mboten"/"ora" → "tidak", "gelem" → "mau".
 *
 * A doubled letter typed for emphasis ("mauu", "siaap", "menuu", "tigaa") is read as the single
 * letter when that gives a word the bot knows ({@link VOCABULARY}); longer runs are already
 * collapsed by `normalise`.
 */
import { closeEnough } from "./fuzzy.js";
import { tokens } from "./normalise.js";

/** Canonical spelling, then its other spellings separated by spaces. */
const GROUPS: ReadonlyArray<readonly [canonical: string, forms: string]> = [
  [
    "ya",
    "y yy yaa iya iyaa iy iyah iye ye yes yess yup yap yoi ok okk oke okey okay okeh sip siap inggih nggih ggih ayuha ayuja",
  ],
  [
    "tidak",
    "tdk tak ga gak gk g gx ngga nggak nggk ngak enggak engga gag ndak nda ndk kagak kaga kada kd tida tidk mboten ora",
  ],
  ["tidak mau", "gamau gmau gkmau ogah emoh moh"],
  ["tidak ada", "kadada gada gaada gkada"],
  ["tidak jadi", "gajadi gjd gakjadi gajd"],
  ["tidak apa apa", "gpp gapapa ngapapa"],
  ["apa apa", "apa-apa"],
  ["ya sudah", "yaudah yaudh yasudah yodah"],
  ["gas", "gaskan gaskeun"],
  ["mau", "mo mw handak hakun gelem hendak pengen pgn pingin ingin"],
  ["jangan", "jgn jngn jangn jng"],
  ["belum", "blm blom belom blum"],
  ["sudah", "sdh udh udah dah sudh uda"],
  ["benar", "bnr bener betol bujur"],
  ["boleh", "blh bole"],
  ["lanjut", "lnjt lanjt next"],
  ["setuju", "stju stj sttju"],
  [
    "terima kasih",
    "makasih makasi maksih mksh mks thx thanks thank tq ty trims trimakasih terimakasih tengkyu tengkiu trmksh",
  ],
  ["saya", "sy aku aq ulun unda gw gue sya"],
  ["anda", "pian ikam kamu"],
  ["saja", "aja aj ajah ja haja"],
  ["lagi", "lg lgi"],
  ["yang", "yg"],
  ["dengan", "dgn dg"],
  ["untuk", "utk untk"],
  ["tolong", "tlg tlng tulung"],
  ["berapa", "brp brapa berpa"],
  ["kapan", "kpn kapn"],
  ["jadwal", "jdwl jadwl"],
  ["tanggal", "tgl tangal"],
  ["daftar", "daptar dftr dafar"],
  ["bagaimana", "gimana gmn bgmn gmana"],
  ["selamat", "slmt slamat met"],
  ["nomor", "nmr nomer nomo"],
  ["jadi", "jd jdi"],
  ["bisa", "bs bsa"],
  ["sekarang", "skrg skrang skg"],
  ["besok", "bsk besuk"],
  ["kirim", "krm kirimin"],
  ["pengumuman", "pengumumannya pngumuman"],
  ["hapus", "hps apus"],
  ["gunung", "gn gng"],
  ["sungai", "sei"],
  ["balikpapan", "bpp bppn balikpapn"],
  ["dulu", "dl dlu"],
  ["juga", "jg jua"],
  ["tapi", "tp tpi"],
  ["sama", "sm ama"],
  ["dari", "dr"],
  ["harus", "hrs"],
  ["orang", "org"],
  ["tahu", "tau tw"],
];

const LEXICON: ReadonlyMap<string, readonly string[]> = new Map(
  GROUPS.flatMap(([canonical, forms]) => {
    const words = canonical.split(" ");
    return forms.split(" ").map((form) => [form, words] as const);
  }),
);

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ["nol", 0],
  ["satu", 1],
  ["dua", 2],
  ["tiga", 3],
  ["empat", 4],
  ["lima", 5],
  ["enam", 6],
  ["tujuh", 7],
  ["delapan", 8],
  ["sembilan", 9],
  ["sepuluh", 10],
  ["sebelas", 11],
  ["seratus", 100],
  ["pertama", 1],
  ["kedua", 2],
  ["ketiga", 3],
  ["keempat", 4],
  ["kelima", 5],
  ["keenam", 6],
  ["ketujuh", 7],
  ["kedelapan", 8],
  ["kesembilan", 9],
  ["kesepuluh", 10],
]);

/** Canonical words, number words and the words of the global commands. */
const VOCABULARY: ReadonlySet<string> = new Set([
  ...GROUPS.flatMap(([canonical]) => canonical.split(" ")),
  ...NUMBER_WORDS.keys(),
  ..."menu mulai start halo hai batal batalkan keluar ulang ulangi bantuan bantu bingung help admin berhenti stop langganan data akun setuju lanjut betul".split(
    " ",
  ),
]);

/**
 * Common real words a resident might type that are one letter away from a word the bot listens
 * for ("balas" / "batal", "harus" / "hapus", "besar" / "benar"): never read as typos.
 */
const REAL_WORDS: ReadonlySet<string> = new Set([
  ...VOCABULARY,
  ..."balas batas bantal besar keras pulang tolol mulia malas kabar bekal hampir banyak bantuin beliau tempat kerja bukan tanya kirain sampai berita lapar beras".split(
    " ",
  ),
]);

const DOUBLED_LETTER = /(\p{L})\1/u;
const DOUBLED_LETTERS = /(\p{L})\1+/gu;

/** The canonical spelling(s) of one normalised word; a word not in the lexicon is itself. */
export function canonicalWord(word: string): readonly string[] {
  const known = LEXICON.get(word);
  if (known !== undefined) return known;
  if (!DOUBLED_LETTER.test(word)) return [word];
  const single = word.replace(DOUBLED_LETTERS, "$1");
  return LEXICON.get(single) ?? (VOCABULARY.has(single) ? [single] : [word]);
}

/** Canonical words of a normalised token list ("gk", "jd" → "tidak", "jadi"). */
export function canonicalTokens(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    for (const canonical of canonicalWord(word)) out.push(canonical);
  }
  return out;
}

/** Canonical words of a raw message: normalised, then read through the lexicon. */
export function canonicalWords(text: string): string[] {
  return canonicalTokens(tokens(text));
}

/** True when a typed canonical word stands for `target`: equal, or one typo of it (≥5 letters). */
export function sameWord(typed: string, target: string): boolean {
  return typed === target || (!REAL_WORDS.has(typed) && closeEnough(typed, target));
}

const UNITS: ReadonlyMap<string, number> = new Map(
  [...NUMBER_WORDS].filter(([word, n]) => n >= 1 && n <= 9 && !word.startsWith("ke")),
);

/**
 * The number written in words, when the words are exactly one number between 0 and 100:
 * "tiga", "sebelas", "dua belas", "dua puluh", "dua puluh satu", "ketiga".
 */
export function numberFromWords(words: readonly string[]): number | undefined {
  const [first, second, third] = words;
  if (first === undefined) return undefined;
  if (words.length === 1) return NUMBER_WORDS.get(first);
  const unit = UNITS.get(first);
  if (unit === undefined || words.length > 3) return undefined;
  if (words.length === 2 && second === "belas") return 10 + unit;
  if (second !== "puluh") return undefined;
  if (third === undefined) return unit * 10;
  const last = UNITS.get(third);
  return last === undefined ? undefined : unit * 10 + last;
}
