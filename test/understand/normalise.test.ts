import { describe, expect, it } from "vitest";
import { normalise, tokens } from "../../src/engine/understand/normalise.js";

describe("normalise", () => {
  it.each([
    ["Iyaaa", "iya"],
    ["okeee", "oke"],
    ["iyaa", "iyaa"],
    ["SIAAAP!!!", "siap"],
    ["Ibu2 di sini", "ibu-ibu di sini"],
    ["hati2 ya", "hati-hati ya"],
    ["anak-anak saya", "anak-anak saya"],
    ["gak-jadi", "gak jadi"],
    ["  banyak    spasi \n baris ", "banyak spasi baris"],
    ["Terima kasih 🙏🙏", "terima kasih"],
    ["👍", ""],
    ["3️⃣", "3"],
    ["３", "3"],
    ["no.3", "no 3"],
    ["No3", "no 3"],
    ["nomor3", "nomor 3"],
    ["pilih2", "pilih 2"],
    ["ke2", "ke 2"],
    ["3.", "3"],
    ["3)", "3"],
    ["07/12/2026", "07 12 2026"],
    ["2026-12-07", "2026 12 07"],
    ["Jum'at", "jumat"],
    ["?", "?"],
    ["???", "?"],
    ["apa ini?", "apa ini"],
    ["pak, iya pak", "iya"],
    ["halo min", "halo"],
    ["min mau tanya", "mau tanya"],
    ["halo kak min", "halo"],
    ["Bu, saya mau daftar", "saya mau daftar"],
    ["ibu saya sakit", "ibu saya sakit"],
    ["pak saya mau tanya", "saya mau tanya"],
    ["Kak saya mau daftar", "saya mau daftar"],
    ["Ibu, saya sudah kirim", "saya sudah kirim"],
    ["bapak saya sudah lansia", "bapak saya sudah lansia"],
    ["admin", "admin"],
    ["pak", "pak"],
    ["ibu ibu", "ibu"],
    ["emas mas", "emas"],
    ["", ""],
    ["   ", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalise(input)).toBe(expected);
  });
});

describe("tokens", () => {
  it.each([
    ["Iya pak, saya MAU!!", ["iya", "pak", "saya", "mau"]],
    ["ibu2 PKK", ["ibu-ibu", "pkk"]],
    ["🙏", []],
    ["?", ["?"]],
  ])("%j → %j", (input, expected) => {
    expect(tokens(input)).toEqual(expected);
  });
});
