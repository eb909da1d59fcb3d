/**
 * Global commands a resident can type at any point (DESIGN.md): MENU, BATAL, ULANG, BANTUAN,
 * BERHENTI, LANGGANAN, DATA SAYA, HAPUS DATA.
 *
 * Decisions:
 * - "?" alone is BANTUAN: `normalise` keeps a message made only of question marks as "?".
 * - "gak jadi" / "gajadi" is BATAL (and `matchYesNo` leaves it undefined).
 * - "mulai" is MENU, never LANGGANAN; "data" alone and "hapus" alone are nothing.
 * - Some forms count only when the whole message is the form plus filler, even in loose mode
 *   ({@link WHOLE_ONLY}): greetings ("halo saya mau daftar" is left to the flow's keywords),
 *   one-letter forms ("p", "?") and everyday words that are commands only on their own
 *   ("mulai kapan?", "ulang tahun", "berhenti kerja", "kapan keluar hasilnya", "tolong kirim").
 * - When a loose message holds several commands, the longest form wins, then the order of
 *   {@link PRIORITY} ("halo, mau batal aja" is BATAL).
 */
import { canonicalTokens, canonicalWords, sameWord } from "./lexicon.js";
import { tokens } from "./normalise.js";

export type GlobalCommand =
  | "menu"
  | "batal"
  | "ulang"
  | "bantuan"
  | "berhenti"
  | "langganan"
  | "data_saya"
  | "hapus_data";

export type CommandMode = "strict" | "loose";

/** Longest message (in words) in which loose mode looks for a command inside the message. */
export const LOOSE_MAX_WORDS = 4;

const GREETINGS: readonly string[] = [
  "halo",
  "hallo",
  "helo",
  "hello",
  "hai",
  "hi",
  "hei",
  "p",
  "assalamualaikum",
  "assalamualaikum wr wb",
  "assalamualaikum warahmatullahi wabarakatuh",
  "asalamualaikum",
  "assalamu alaikum",
  "ass",
  "askum",
  "permisi",
  "selamat pagi",
  "selamat siang",
  "selamat sore",
  "selamat malam",
];

const FORMS: Readonly<Record<GlobalCommand, readonly string[]>> = {
  hapus_data: ["hapus data", "hapus data saya", "hapus akun", "hapus akun saya"],
  data_saya: ["data saya", "lihat data saya", "data sy", "cek data saya"],
  berhenti: [
    "berhenti",
    "stop",
    "unsubscribe",
    "jangan kirim lagi",
    "jangan kirim pengumuman lagi",
    "tidak usah kirim lagi",
    "tidak usah kirim pengumuman lagi",
    "berhenti langganan",
    "berhenti kirim",
    "berhenti pengumuman",
    "stop kirim",
    "stop pengumuman",
    "stop kirim pengumuman",
  ],
  langganan: ["langganan", "berlangganan", "subscribe", "kirim pengumuman lagi"],
  batal: [
    "batal",
    "batalkan",
    "btl",
    "cancel",
    "gak jadi",
    "ga jadi",
    "nggak jadi",
    "gajadi",
    "keluar",
  ],
  ulang: ["ulang", "ulangi", "apa tadi", "ulangi pertanyaan"],
  bantuan: ["bantuan", "bantu", "tolong", "tlg", "help", "bingung", "admin", "cs", "?"],
  menu: [
    "menu",
    "mulai",
    "mulai lagi",
    "start",
    "kembali",
    "kembali ke menu",
    "ke menu",
    "menu utama",
    ...GREETINGS,
  ],
};

/** Forms that are a command only as the whole message (plus filler), in both modes. */
const WHOLE_ONLY: ReadonlySet<string> = new Set([
  ...GREETINGS,
  "mulai",
  "kembali",
  "keluar",
  "tolong",
  "tlg",
  "ulang",
  "berhenti",
  "?",
]);

/** Order in which commands win when a loose message holds forms of the same length. */
const PRIORITY: readonly GlobalCommand[] = [
  "hapus_data",
  "data_saya",
  "berhenti",
  "langganan",
  "batal",
  "ulang",
  "bantuan",
  "menu",
];

/** Words around a command that do not change it ("saya mau batal aja", "tolong ulangi dong"). */
const FILLER: ReadonlySet<string> = new Set([
  "mau",
  "saya",
  "tolong",
  "dong",
  "saja",
  "min",
  "ya",
  "deh",
  "sih",
  "nih",
  "lah",
  "dulu",
  "please",
  "pls",
  "minta",
  "kak",
  "pak",
  "bu",
  "wr",
  "wb",
]);

type Form = { command: GlobalCommand; words: readonly string[]; wholeOnly: boolean };

const ALL_FORMS: readonly Form[] = PRIORITY.flatMap((command) =>
  FORMS[command].map((form) => ({
    command,
    words: canonicalWords(form),
    wholeOnly: WHOLE_ONLY.has(form),
  })),
);

/** Every word of every form: typed exactly, such a word is never a typo of another ("ulang" is
 * not "ulangi", which would make "ulang tahun" a command in loose mode). */
const FORM_WORDS: ReadonlySet<string> = new Set(ALL_FORMS.flatMap((form) => form.words));

function wordMatches(typed: string, target: string): boolean {
  return typed === target || (!FORM_WORDS.has(typed) && sameWord(typed, target));
}

function matchesAt(ws: readonly string[], start: number, form: readonly string[]): boolean {
  if (start + form.length > ws.length) return false;
  return form.every((w, i) => wordMatches(ws[start + i] ?? "", w));
}

/** True when the words outside `[start, start + length)` are all filler. */
function onlyFillerAround(ws: readonly string[], start: number, length: number): boolean {
  return ws.every((w, i) => (i >= start && i < start + length) || FILLER.has(w));
}

/**
 * The global command a message is, if any.
 * - "strict" (while a free-text answer is expected): the message must be a command form,
 *   optionally with filler words ("mau batal", "tolong ulangi dong"), so "tolong bantu biaya
 *   sekolah anak saya" is not BANTUAN.
 * - "loose": also a message of at most {@link LOOSE_MAX_WORDS} words that contains a command
 *   form ("saya mau batal aja", "stop kirim").
 * One typo is forgiven in words of five letters or more ("batalkn", "berhnti").
 */
export function detectCommand(text: string, mode: CommandMode): GlobalCommand | undefined {
  const typed = tokens(text);
  const ws = canonicalTokens(typed);
  if (ws.length === 0) return undefined;
  const loose = mode === "loose" && typed.length <= LOOSE_MAX_WORDS;
  let best: Form | undefined;
  for (const form of ALL_FORMS) {
    if (best !== undefined && form.words.length <= best.words.length) continue;
    for (let start = 0; start < ws.length; start++) {
      if (!matchesAt(ws, start, form.words)) continue;
      if ((loose && !form.wholeOnly) || onlyFillerAround(ws, start, form.words.length)) {
        best = form;
        break;
      }
    }
  }
  return best?.command;
}
