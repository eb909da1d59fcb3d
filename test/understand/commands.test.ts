import { describe, expect, it } from "vitest";
import { detectCommand, type GlobalCommand } from "../../src/engine/understand/commands.js";

const FORMS: ReadonlyArray<readonly [string, GlobalCommand]> = [
  ...[
    "menu",
    "mulai",
    "start",
    "/start",
    "halo",
    "hai",
    "hallo",
    "p",
    "assalamualaikum",
    "ass",
    "permisi",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "kembali ke menu",
  ].map((t) => [t, "menu"] as const),
  ...[
    "batal",
    "batalkan",
    "btl",
    "cancel",
    "gak jadi",
    "ga jadi",
    "nggak jadi",
    "gajadi",
    "keluar",
  ].map((t) => [t, "batal"] as const),
  ...["ulang", "ulangi", "apa tadi"].map((t) => [t, "ulang"] as const),
  ...["bantuan", "bantu", "tolong", "tlg", "help", "bingung", "admin", "cs", "?"].map(
    (t) => [t, "bantuan"] as const,
  ),
  ...["berhenti", "stop", "unsubscribe", "jangan kirim lagi", "jangan kirim pengumuman lagi"].map(
    (t) => [t, "berhenti"] as const,
  ),
  ...["langganan", "berlangganan", "subscribe", "kirim pengumuman lagi"].map(
    (t) => [t, "langganan"] as const,
  ),
  ...["data saya", "lihat data saya", "data sy"].map((t) => [t, "data_saya"] as const),
  ...["hapus data", "hapus data saya", "hapus akun"].map((t) => [t, "hapus_data"] as const),
];

describe("detectCommand: every form of DESIGN.md, in both modes", () => {
  it.each(FORMS)("%j → %s", (text, expected) => {
    expect(detectCommand(text, "strict")).toBe(expected);
    expect(detectCommand(text, "loose")).toBe(expected);
  });
});

describe("detectCommand strict", () => {
  it.each([
    ["mau batal", "batal"],
    ["saya mau batal aja", "batal"],
    ["BATAL!!!", "batal"],
    ["tolong ulangi dong", "ulang"],
    ["tolong bantu", "bantuan"],
    ["halo min", "menu"],
    ["Assalamu'alaikum wr wb", "menu"],
    ["selamat pagi bu", "menu"],
    ["met siang kak", "menu"],
    ["gk jd", "batal"],
    ["jgn kirim lg", "berhenti"],
    ["stop kirim", "berhenti"],
    ["batalkn", "batal"],
    ["berhnti", "berhenti"],
    ["saya mau lihat data saya", "data_saya"],
    ["tolong hapus data saya", "hapus_data"],
    ["mulai", "menu"],
    ["tolong bantu biaya sekolah anak saya", undefined],
    ["saya mau batal aja soalnya kerja", undefined],
    ["halo saya mau daftar", undefined],
    ["mulai kapan", undefined],
    ["data", undefined],
    ["hapus", undefined],
    ["saya sudah balas", undefined],
    ["", undefined],
  ])("%j → %s", (text, expected) => {
    expect(detectCommand(text, "strict")).toBe(expected);
  });
});

describe("detectCommand loose", () => {
  it.each([
    ["saya mau batal aja", "batal"],
    ["stop kirim", "berhenti"],
    ["stop kirim2 ya", "berhenti"],
    ["halo, mau batal aja", "batal"],
    ["cara hapus data gimana", "hapus_data"],
    ["kirim pengumuman lagi dong", "langganan"],
    ["mulai kirim pengumuman lagi", "langganan"],
    ["bisa bantu saya", "bantuan"],
    ["ulangi pertanyaannya dong", "ulang"],
    ["halo saya mau daftar", undefined],
    ["mulai kapan", undefined],
    ["ulang tahun anak", undefined],
    ["berhenti kerja", undefined],
    ["kapan keluar hasilnya", undefined],
    ["saya sudah balas", undefined],
    ["data diri lengkap", undefined],
    ["saya mau batal ikut pelatihan menjahit", undefined],
  ])("%j → %s", (text, expected) => {
    expect(detectCommand(text, "loose")).toBe(expected);
  });
});
