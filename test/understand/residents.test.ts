/**
 * Messages as residents of Balikpapan really write them (typos, slang, Banjar, honorifics,
 * repeated letters, emoji, punctuation), each with what the bot must understand from it in the
 * context where it would be sent. `null` means "not understood": the bot must ask again rather
 * than guess.
 */
import { describe, expect, it } from "vitest";
import { detectCommand } from "../../src/engine/understand/commands.js";
import { parseDate } from "../../src/engine/understand/dates.js";
import {
  findKeyword,
  matchChoice,
  matchMultiChoice,
  matchNumber,
  matchYesNo,
} from "../../src/engine/understand/match.js";
import { parsePhone } from "../../src/engine/understand/phone.js";
import { matchArea } from "../../src/engine/understand/places.js";
import { KELURAHAN } from "./areas.js";
import { COURSES, GROUPS, KEYWORDS } from "./options.js";

/** A Thursday, in Asia/Makassar. */
const TODAY = "2026-12-03";

type Context =
  | "yesno" // answer to "Ketik YA atau TIDAK"
  | "number" // answer to "Balas dengan angka 1–6"
  | "course" // choice among COURSES
  | "groups" // several of GROUPS
  | "strict" // global command while free text is expected
  | "loose" // global command elsewhere
  | "keyword" // KEYWORDS at the main menu
  | "kelurahan" // choice among the 34 kelurahan
  | "phone" // answer to "Nomor WhatsApp Anda?"
  | "date"; // answer to "Tanggal berapa?"

type Expected = string | number | null;

function nameOf(code: string): string {
  return KELURAHAN.find((k) => k.code === code)?.name ?? code;
}

/** What the bot understands from `text` in `context`, as one comparable value. */
function understand(context: Context, text: string): Expected {
  switch (context) {
    case "yesno":
      return matchYesNo(text) ?? null;
    case "number":
      return matchNumber(text) ?? null;
    case "course": {
      const r = matchChoice(text, COURSES);
      if (r.kind === "matched") return r.id;
      return r.kind === "ambiguous" ? `ambiguous:${r.ids.join(",")}` : "none";
    }
    case "groups": {
      const r = matchMultiChoice(text, GROUPS);
      return r.kind === "matched" ? r.ids.join(",") : `none:${r.unknown.join("|")}`;
    }
    case "strict":
    case "loose":
      return detectCommand(text, context) ?? null;
    case "keyword":
      return findKeyword(text, KEYWORDS) ?? null;
    case "kelurahan": {
      const r = matchArea(text, KELURAHAN);
      if (r.kind === "matched") return nameOf(r.code);
      return r.kind === "ambiguous" ? `ambiguous:${r.codes.map(nameOf).join("|")}` : "none";
    }
    case "phone": {
      const r = parsePhone(text);
      return r.kind === "mobile" ? r.e164 : r.kind;
    }
    case "date":
      return parseDate(text, TODAY) ?? null;
  }
}

const MESSAGES: ReadonlyArray<readonly [Context, string, Expected]> = [
  // --- yes / no ------------------------------------------------------------------------------
  ["yesno", "Iyaa kak", "yes"],
  ["yesno", "iyaaaa 🙏🙏", "yes"],
  ["yesno", "Iya pak, saya mau", "yes"],
  ["yesno", "yaa boleh", "yes"],
  ["yesno", "Y", "yes"],
  ["yesno", "ok siap", "yes"],
  ["yesno", "Okeee min 👍", "yes"],
  ["yesno", "sippp", "yes"],
  ["yesno", "siaap laksanakan", "yes"],
  ["yesno", "inggih pak", "yes"],
  ["yesno", "Inggih, ulun handak ikut", "yes"],
  ["yesno", "handak ai", "yes"],
  ["yesno", "hakun", "yes"],
  ["yesno", "bujur", "yes"],
  ["yesno", "mau bangett", "yes"],
  ["yesno", "mauu kak", "yes"],
  ["yesno", "setuju", "yes"],
  ["yesno", "kirim aja", "yes"],
  ["yesno", "ga usah dikirim", "no"],
  ["yesno", "stuju", "yes"],
  ["yesno", "stju kak", "yes"],
  ["yesno", "sy stj", "yes"],
  ["yesno", "lanjutt", "yes"],
  ["yesno", "gass", "yes"],
  ["yesno", "betul sekali bu", "yes"],
  ["yesno", "bener", "yes"],
  ["yesno", "yaudah lanjut aja", "yes"],
  ["yesno", "ayo", "yes"],
  ["yesno", "iya, rumah saya di graha indah", "yes"],
  ["yesno", "gapapa kak", "yes"],
  ["yesno", "Sudah", "yes"],
  ["yesno", "iye", "yes"],
  ["yesno", "Nggak", "no"],
  ["yesno", "gk", "no"],
  ["yesno", "gaak dulu kak", "no"],
  ["yesno", "ga mau", "no"],
  ["yesno", "gamau ah", "no"],
  ["yesno", "tdk", "no"],
  ["yesno", "Tidak, terima kasih", "no"],
  ["yesno", "enggak makasih bu", "no"],
  ["yesno", "kada", "no"],
  ["yesno", "kada handak", "no"],
  ["yesno", "indah", "no"],
  ["yesno", "indah ai pang", "no"],
  ["yesno", "belum", "no"],
  ["yesno", "blm pak", "no"],
  ["yesno", "belum bisa", "no"],
  ["yesno", "jgn dulu", "no"],
  ["yesno", "ndak usah", "no"],
  ["yesno", "kadada", "no"],
  ["yesno", "No", "no"],
  ["yesno", "mboten", "no"],
  ["yesno", "ya tidak", null],
  ["yesno", "iya tapi jangan hari jumat", null],
  ["yesno", "boleh gak?", null],
  ["yesno", "gak jadi", null],
  ["yesno", "ga tau", null],
  ["yesno", "mungkin", null],
  ["yesno", "1", null],
  ["yesno", "graha indah", null],
  ["yesno", "kapan mulainya?", null],
  ["yesno", "makasih kak", null],
  // --- numbers ---------------------------------------------------------------------------------
  ["number", "3", 3],
  ["number", "3.", 3],
  ["number", "3)", 3],
  ["number", "no 3", 3],
  ["number", "No.3 kak", 3],
  ["number", "nomor 3", 3],
  ["number", "Nomer 2", 2],
  ["number", "pilih 3", 3],
  ["number", "yang 3", 3],
  ["number", "yg no 4 aja", 4],
  ["number", "tiga", 3],
  ["number", "Tigaa", 3],
  ["number", "nomor tiga", 3],
  ["number", "yang kedua", 2],
  ["number", "5 pak", 5],
  ["number", "saya pilih 1", 1],
  ["number", "1️⃣", 1],
  ["number", "dua puluh", 20],
  ["number", "3 anak saya sakit", null],
  ["number", "2 orang", null],
  ["number", "1 atau 2", null],
  ["number", "umur 45", null],
  ["number", "081234567890", null],
  ["number", "halo", null],
  // --- course choice ---------------------------------------------------------------------------
  ["course", "1", "jahit"],
  ["course", "satu", "jahit"],
  ["course", "menjahit", "jahit"],
  ["course", "Menjahitt", "jahit"],
  ["course", "mnjahit", "jahit"],
  ["course", "menj", "jahit"],
  ["course", "jahit", "jahit"],
  ["course", "mau ikut jahit kak", "jahit"],
  ["course", "tata busana", "jahit"],
  ["course", "roti", "roti"],
  ["course", "bikin kue", "roti"],
  ["course", "roti dan kue", "roti"],
  ["course", "salon", "rambut"],
  ["course", "kecantikan", "rambut"],
  ["course", "barista", "barista"],
  ["course", "barista kopi", "barista"],
  ["course", "baris", "barista"],
  ["course", "Las 🔥", "las"],
  ["course", "no 5", "las"],
  ["course", "otomotif", "otomotif"],
  ["course", "otomotip", "otomotif"],
  ["course", "bengkel", "otomotif"],
  ["course", "teknisi ac", "ac"],
  ["course", "AC", "ac"],
  ["course", "komputer", "komputer"],
  ["course", "komputr", "komputer"],
  ["course", "administrasi", "komputer"],
  ["course", "housekeeping", "housekeeping"],
  ["course", "barber", "barbershop"],
  ["course", "pangkas rambut", "barbershop"],
  ["course", "cukur", "barbershop"],
  ["course", "bar", "ambiguous:barista,barbershop"],
  ["course", "rambut", "ambiguous:rambut,barbershop"],
  ["course", "11", "none"],
  ["course", "masak", "none"],
  ["course", "yang mana aja", "none"],
  // --- several groups --------------------------------------------------------------------------
  ["groups", "1, 3", "disabilitas,prasejahtera"],
  ["groups", "1 dan 3", "disabilitas,prasejahtera"],
  ["groups", "1 3", "disabilitas,prasejahtera"],
  ["groups", "1,3 dan 5", "disabilitas,prasejahtera,irt"],
  ["groups", "2", "lansia"],
  ["groups", "no 2 sama 5", "lansia,irt"],
  ["groups", "satu dan tiga", "disabilitas,prasejahtera"],
  ["groups", "lansia dan disabilitas", "disabilitas,lansia"],
  ["groups", "lansia", "lansia"],
  ["groups", "Lansia, penerima PKH", "lansia,prasejahtera"],
  ["groups", "ibu rumah tangga", "irt"],
  ["groups", "ibu2 rumah tangga", "irt"],
  ["groups", "janda", "pekka"],
  ["groups", "saya janda, anak putus sekolah", "pekka,putus_sekolah"],
  ["groups", "korban phk", "pencari_kerja"],
  ["groups", "nganggur", "pencari_kerja"],
  ["groups", "kena banjir", "bencana"],
  ["groups", "disabilitas", "disabilitas"],
  ["groups", "disabilitsa", "disabilitas"],
  ["groups", "lainnya", "lainnya"],
  ["groups", "semua", GROUPS.map((g) => g.id).join(",")],
  ["groups", "1 dan 12", "none:12"],
  ["groups", "lansia dan kucing", "none:kucing"],
  // --- global commands while free text is expected ---------------------------------------------
  ["strict", "menu", "menu"],
  ["strict", "MENU", "menu"],
  ["strict", "Menuu", "menu"],
  ["strict", "mulai", "menu"],
  ["strict", "/start", "menu"],
  ["strict", "halo min", "menu"],
  ["strict", "Assalamualaikum", "menu"],
  ["strict", "assalamualaikum wr wb", "menu"],
  ["strict", "asalamualaikum", "menu"],
  ["strict", "Ass kak", "menu"],
  ["strict", "P", "menu"],
  ["strict", "permisi pak", "menu"],
  ["strict", "slmt pagi", "menu"],
  ["strict", "selamat malam bu", "menu"],
  ["strict", "batal", "batal"],
  ["strict", "batalkan aja", "batal"],
  ["strict", "gak jadi", "batal"],
  ["strict", "gajadi deh", "batal"],
  ["strict", "nggak jadi kak", "batal"],
  ["strict", "btl", "batal"],
  ["strict", "cancel", "batal"],
  ["strict", "keluar", "batal"],
  ["strict", "ulang", "ulang"],
  ["strict", "ulangi dong", "ulang"],
  ["strict", "apa tadi?", "ulang"],
  ["strict", "?", "bantuan"],
  ["strict", "??", "bantuan"],
  ["strict", "admin", "bantuan"],
  ["strict", "bingung", "bantuan"],
  ["strict", "bingung kak", "bantuan"],
  ["strict", "help", "bantuan"],
  ["strict", "tlg", "bantuan"],
  ["strict", "cs", "bantuan"],
  ["strict", "STOP", "berhenti"],
  ["strict", "berhenti", "berhenti"],
  ["strict", "jgn kirim lagi", "berhenti"],
  ["strict", "jangan kirim pengumuman lagi ya", "berhenti"],
  ["strict", "langganan", "langganan"],
  ["strict", "kirim pengumuman lagi", "langganan"],
  ["strict", "data saya", "data_saya"],
  ["strict", "data sy", "data_saya"],
  ["strict", "hapus data", "hapus_data"],
  ["strict", "hapus akun saya", "hapus_data"],
  ["strict", "tolong bantu biaya sekolah anak saya", null],
  ["strict", "saya butuh bantuan modal usaha", null],
  ["strict", "Jl. Mulawarman no 12 rt 05", null],
  ["strict", "ibu saya stroke sudah 2 tahun", null],
  ["strict", "data", null],
  ["strict", "hapus", null],
  ["strict", "mulai jam berapa", null],
  ["strict", "Siti Aminah", null],
  // --- global commands elsewhere ---------------------------------------------------------------
  ["loose", "saya mau batal aja", "batal"],
  ["loose", "halo, mau batal aja", "batal"],
  ["loose", "stop kirim", "berhenti"],
  ["loose", "stop kirim2 ya", "berhenti"],
  ["loose", "tolong stop", "berhenti"],
  ["loose", "mau langganan lagi", "langganan"],
  ["loose", "cara hapus data gimana", "hapus_data"],
  ["loose", "lihat data saya", "data_saya"],
  ["loose", "bisa bantu saya", "bantuan"],
  ["loose", "saya bingung kak", "bantuan"],
  ["loose", "mulai", "menu"],
  ["loose", "mulai lagi", "menu"],
  ["loose", "halo saya mau daftar", null],
  ["loose", "mulai kapan", null],
  ["loose", "ulang tahun anak saya", null],
  ["loose", "suami saya berhenti kerja", null],
  ["loose", "kapan keluar hasilnya", null],
  ["loose", "sudah saya balas", null],
  // --- main menu keywords ----------------------------------------------------------------------
  ["keyword", "mau daftar", "daftar"],
  ["keyword", "daftarr", "daftar"],
  ["keyword", "daptar pelatihan", "pelatihan"],
  ["keyword", "saya mau ikut", "mau ikut"],
  ["keyword", "gabung dong", "gabung"],
  ["keyword", "pendaftaran saya", null],
  ["keyword", "pendaftarannya sudah tutup?", null],
  ["keyword", "jadwalnya kapan", "kapan"],
  ["keyword", "jdwl", "jadwal"],
  ["keyword", "jam brp mulai", "jam berapa"],
  ["keyword", "hari apa ya", "hari apa"],
  ["keyword", "tgl berapa", "tanggal"],
  ["keyword", "registrasi", "registrasi"],
  ["keyword", "regis", null],
  ["keyword", "terima kasih", null],
  // --- kelurahan -------------------------------------------------------------------------------
  ["kelurahan", "graha indah", "Graha Indah"],
  ["kelurahan", "Graha Indah, Balikpapan Utara", "Graha Indah"],
  ["kelurahan", "sepinggan", "Sepinggan"],
  ["kelurahan", "sepingan", "Sepinggan"],
  ["kelurahan", "kel. sepinggan raya", "Sepinggan Raya"],
  ["kelurahan", "gn samarinda", "Gunung Samarinda"],
  ["kelurahan", "gunung samarinda baru", "Gunung Samarinda Baru"],
  ["kelurahan", "gn. bahagia", "Gunung Bahagia"],
  ["kelurahan", "gunungbahagia", "Gunung Bahagia"],
  ["kelurahan", "gunung sari ilir", "Gunung Sari Ilir"],
  ["kelurahan", "sungai nangka", "Sungainangka"],
  ["kelurahan", "sei nangka", "Sungainangka"],
  ["kelurahan", "muara rapak", "Muara Rapak"],
  ["kelurahan", "batu ampar", "Batu Ampar"],
  ["kelurahan", "karang joang", "Karang Joang"],
  ["kelurahan", "karangjoang", "Karang Joang"],
  ["kelurahan", "klandasan ilir", "Klandasan Ilir"],
  ["kelurahan", "prapatan pak", "Prapatan"],
  ["kelurahan", "manggar baru", "Manggar Baru"],
  ["kelurahan", "lamaru", "Lamaru"],
  ["kelurahan", "kariangau", "Kariangau"],
  ["kelurahan", "margomulyo", "Margo Mulyo"],
  ["kelurahan", "mekarsari", "Mekar Sari"],
  ["kelurahan", "damai bahagia", "Damai Bahagia"],
  ["kelurahan", "8", "Kariangau"],
  ["kelurahan", "9", "Margo Mulyo"],
  ["kelurahan", "samarinda", "ambiguous:Gunung Samarinda|Gunung Samarinda Baru"],
  [
    "kelurahan",
    "gunung",
    "ambiguous:Gunung Samarinda|Gunung Samarinda Baru|Gunung Sari Ulu|Gunung Sari Ilir|Gunung Bahagia",
  ],
  ["kelurahan", "penajam", "none"],
  ["kelurahan", "40", "none"],
  // --- phone numbers ---------------------------------------------------------------------------
  ["phone", "0812 5432 1098", "+6281254321098"],
  ["phone", "081254321098", "+6281254321098"],
  ["phone", "0812-5432-1098", "+6281254321098"],
  ["phone", "+62 812 5432 1098", "+6281254321098"],
  ["phone", "62812 5432 1098", "+6281254321098"],
  ["phone", "+62 0812 5432 1098", "+6281254321098"],
  ["phone", "no wa saya 0852 4567 8910", "+6285245678910"],
  ["phone", "0542 873 456", "fixed_line"],
  ["phone", "(0542) 7201234", "fixed_line"],
  ["phone", "0812 5432", "invalid"],
  ["phone", "belum punya hp", "invalid"],
  // --- dates -----------------------------------------------------------------------------------
  ["date", "besok", "2026-12-04"],
  ["date", "bsk pagi aja", "2026-12-04"],
  ["date", "lusa", "2026-12-05"],
  ["date", "hari ini", "2026-12-03"],
  ["date", "senin", "2026-12-07"],
  ["date", "hari Senin", "2026-12-07"],
  ["date", "jum'at", "2026-12-04"],
  ["date", "7 desember", "2026-12-07"],
  ["date", "7 Des", "2026-12-07"],
  ["date", "tgl 7", "2026-12-07"],
  ["date", "07/12/2026", "2026-12-07"],
  ["date", "7-12", "2026-12-07"],
  ["date", "14 januari", "2027-01-14"],
  ["date", "minggu depan", null],
  ["date", "kapan aja bisa", null],
];

describe("realistic resident messages", () => {
  it("has at least 200 messages", () => {
    expect(MESSAGES.length).toBeGreaterThanOrEqual(200);
  });

  it.each(MESSAGES)("%s: %j → %j", (context, text, expected) => {
    expect(understand(context, text)).toEqual(expected);
  });
});
