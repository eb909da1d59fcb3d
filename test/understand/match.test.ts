import { describe, expect, it } from "vitest";
import {
  findKeyword,
  matchChoice,
  matchMultiChoice,
  matchNumber,
  matchYesNo,
} from "../../src/engine/understand/match.js";
import { COURSES, DISABILITY_TYPES, GROUPS, KEYWORDS } from "./options.js";

type YesNo = "yes" | "no" | undefined;

describe("matchYesNo", () => {
  it.each<readonly [string, YesNo]>([
    // every ya form of BAHASA.md
    ...[
      "ya",
      "iya",
      "iyaa",
      "y",
      "yy",
      "yes",
      "yup",
      "yoi",
      "ok",
      "oke",
      "okey",
      "okeh",
      "sip",
      "siap",
      "boleh",
      "betul",
      "bener",
      "benar",
      "mau",
      "setuju",
      "lanjut",
      "gas",
      "inggih",
      "nggih",
      "handak",
    ].map((t) => [t, "yes"] as const),
    // every tidak form of BAHASA.md
    ...[
      "tidak",
      "tdk",
      "tak",
      "ga",
      "gak",
      "gk",
      "g",
      "nggak",
      "ngga",
      "enggak",
      "engga",
      "ndak",
      "nda",
      "kagak",
      "gamau",
      "ga mau",
      "jangan",
      "jgn",
      "belum",
      "blm",
      "no",
      "kada",
      "indah",
    ].map((t) => [t, "no"] as const),
    ["iya saya mau", "yes"],
    ["Iyaaa kak 🙏", "yes"],
    ["ya udah lanjut aja", "yes"],
    ["boleh deh", "yes"],
    ["gak dulu deh", "no"],
    ["nggak usah", "no"],
    ["tidak mau", "no"],
    ["belum bisa", "no"],
    ["kada handak", "no"],
    ["indah ai", "no"],
    ["iya, rumah saya di graha indah", "yes"],
    ["ga papa", "yes"],
    ["tidak masalah", "yes"],
    ["tidka", "no"],
    ["setju", "yes"],
    ["ya tidak", undefined],
    ["iya tapi jangan hari senin", undefined],
    ["boleh gak?", undefined],
    ["gak jadi", undefined],
    ["tidak tahu", undefined],
    ["mungkin", undefined],
    ["1", undefined],
    ["2", undefined],
    ["makasih", undefined],
    ["besar", undefined],
    ["rumah saya besar", undefined],
    ["", undefined],
    ["🙏", undefined],
  ])("%j → %s", (text, expected) => {
    expect(matchYesNo(text)).toBe(expected);
  });
});

describe("matchNumber", () => {
  it.each([
    ["3", 3],
    ["3.", 3],
    ["3)", 3],
    ["03", 3],
    ["no 3", 3],
    ["no.3", 3],
    ["nomor 3", 3],
    ["nmr 3", 3],
    ["pilih 3", 3],
    ["yang 3", 3],
    ["yg 3 aja", 3],
    ["saya pilih nomor 3 kak", 3],
    ["tiga", 3],
    ["nomor tiga", 3],
    ["yang ketiga", 3],
    ["ke-2", 2],
    ["sepuluh", 10],
    ["dua belas", 12],
    ["dua puluh", 20],
    ["3️⃣", 3],
    ["0", 0],
    ["3 anak saya sakit", undefined],
    ["tiga anak", undefined],
    ["1 3", undefined],
    ["3 atau 4", undefined],
    ["2026", undefined],
    ["no hp", undefined],
    ["nomor", undefined],
    ["", undefined],
  ])("%j → %s", (text, expected) => {
    expect(matchNumber(text)).toBe(expected);
  });
});

describe("matchChoice", () => {
  it.each([
    ["1", { kind: "matched", id: "jahit" }],
    ["no 4", { kind: "matched", id: "barista" }],
    ["empat", { kind: "matched", id: "barista" }],
    ["sepuluh", { kind: "matched", id: "barbershop" }],
    ["menjahit / tata busana", { kind: "matched", id: "jahit" }],
    ["Barista", { kind: "matched", id: "barista" }],
    ["kopi", { kind: "matched", id: "barista" }],
    ["menj", { kind: "matched", id: "jahit" }],
    ["baris", { kind: "matched", id: "barista" }],
    ["saya mau ikut menjahit", { kind: "matched", id: "jahit" }],
    ["roti kue", { kind: "matched", id: "roti" }],
    ["tata busana", { kind: "matched", id: "jahit" }],
    ["mnjahit", { kind: "matched", id: "jahit" }],
    ["otomotip", { kind: "matched", id: "otomotif" }],
    ["las", { kind: "matched", id: "las" }],
    ["ac", { kind: "matched", id: "ac" }],
    ["bar", { kind: "ambiguous", ids: ["barista", "barbershop"] }],
    ["tata", { kind: "ambiguous", ids: ["jahit", "rambut"] }],
    ["rambut", { kind: "ambiguous", ids: ["rambut", "barbershop"] }],
    ["11", { kind: "none" }],
    ["ba", { kind: "none" }],
    ["masak", { kind: "none" }],
    ["", { kind: "none" }],
  ])("%j → %j", (text, expected) => {
    expect(matchChoice(text, COURSES)).toEqual(expected);
  });

  it("reads a number in a label when it is not an option number", () => {
    expect(matchChoice("60", GROUPS)).toEqual({ kind: "matched", id: "lansia" });
  });
});

describe("matchMultiChoice", () => {
  it.each([
    ["1, 3", ["disabilitas", "prasejahtera"]],
    ["1 dan 3", ["disabilitas", "prasejahtera"]],
    ["1 3", ["disabilitas", "prasejahtera"]],
    ["1,3 dan 5", ["disabilitas", "prasejahtera", "irt"]],
    ["3, 1, 3", ["disabilitas", "prasejahtera"]],
    ["satu dan tiga", ["disabilitas", "prasejahtera"]],
    ["lansia dan disabilitas", ["disabilitas", "lansia"]],
    ["lansia, janda", ["lansia", "pekka"]],
    ["ibu rumah tangga", ["irt"]],
    ["irt sama pkh", ["prasejahtera", "irt"]],
    ["no 2 & no 7", ["lansia", "pencari_kerja"]],
    ["korban phk", ["pencari_kerja"]],
    ["semua", GROUPS.map((g) => g.id)],
  ])("groups: %j → %j", (text, ids) => {
    expect(matchMultiChoice(text, GROUPS)).toEqual({ kind: "matched", ids });
  });

  it.each([
    ["fisik dan sensorik", ["fisik", "sensorik"]],
    ["tuli", ["sensorik"]],
    ["1,4", ["fisik", "sensorik"]],
  ])("disability types: %j → %j", (text, ids) => {
    expect(matchMultiChoice(text, DISABILITY_TYPES)).toEqual({ kind: "matched", ids });
  });

  it.each([
    ["1 dan 15", ["15"]],
    ["lansia dan kucing", ["kucing"]],
    ["", []],
  ])("%j → none, unknown %j", (text, unknown) => {
    expect(matchMultiChoice(text, GROUPS)).toEqual({ kind: "none", unknown });
  });
});

describe("findKeyword", () => {
  it.each([
    ["saya mau daftar", "daftar"],
    ["DAFTAR", "daftar"],
    ["daptar", "daftar"],
    ["dftr kak", "daftar"],
    ["pendaftaran saya", undefined],
    ["kapan pendaftaran dibuka", "kapan"],
    ["mau ikut dong", "mau ikut"],
    ["ikut", "ikut"],
    ["jam brp mulainya", "jam berapa"],
    ["jam berapa", "jam berapa"],
    ["jadwl pelatihan", "pelatihan"],
    ["jadwal", "jadwal"],
    ["registrsi", "registrasi"],
    ["data saya", "data saya"],
    ["data", undefined],
    ["gabungan", undefined],
    ["", undefined],
  ])("%j → %s", (text, expected) => {
    expect(findKeyword(text, KEYWORDS)).toBe(expected);
  });

  it("prefers the more specific phrase whatever the order given", () => {
    expect(findKeyword("saya mau ikut", ["ikut", "mau ikut"])).toBe("mau ikut");
    expect(findKeyword("saya mau ikut", ["mau ikut", "ikut"])).toBe("mau ikut");
  });
});
