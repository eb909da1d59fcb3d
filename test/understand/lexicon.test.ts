import { describe, expect, it } from "vitest";
import {
  canonicalTokens,
  canonicalWord,
  numberFromWords,
  sameWord,
} from "../../src/engine/understand/lexicon.js";

describe("canonicalWord", () => {
  it.each([
    ["gk", ["tidak"]],
    ["nggak", ["tidak"]],
    ["kada", ["tidak"]],
    ["y", ["ya"]],
    ["inggih", ["ya"]],
    ["oke", ["ya"]],
    ["handak", ["mau"]],
    ["makasih", ["terima", "kasih"]],
    ["mksh", ["terima", "kasih"]],
    ["gajadi", ["tidak", "jadi"]],
    ["jgn", ["jangan"]],
    ["blm", ["belum"]],
    ["tdk", ["tidak"]],
    ["gn", ["gunung"]],
    ["sei", ["sungai"]],
    ["indah", ["indah"]],
    ["mulai", ["mulai"]],
    ["no", ["no"]],
    ["menjahit", ["menjahit"]],
  ])("%j → %j", (word, expected) => {
    expect(canonicalWord(word)).toEqual(expected);
  });

  it("expands a token list", () => {
    expect(canonicalTokens(["gk", "jd", "ikut", "mksh"])).toEqual([
      "tidak",
      "jadi",
      "ikut",
      "terima",
      "kasih",
    ]);
  });
});

describe("sameWord", () => {
  it.each([
    ["batal", "batal", true],
    ["batl", "batal", false],
    ["batall", "batal", true],
    ["balas", "batal", false],
    ["harus", "hapus", false],
    ["besar", "benar", false],
    ["setju", "setuju", true],
    ["ulang", "ulangi", false],
    ["empat", "tempat", false],
  ])("%j for %j → %s", (typed, target, expected) => {
    expect(sameWord(typed, target)).toBe(expected);
  });
});

describe("numberFromWords", () => {
  it.each([
    [["satu"], 1],
    [["sepuluh"], 10],
    [["sebelas"], 11],
    [["dua", "belas"], 12],
    [["sembilan", "belas"], 19],
    [["dua", "puluh"], 20],
    [["dua", "puluh", "satu"], 21],
    [["ketiga"], 3],
    [["pertama"], 1],
    [["dua", "tiga"], undefined],
    [["dua", "puluh", "anak"], undefined],
    [["tiga", "anak"], undefined],
    [["anak"], undefined],
    [[], undefined],
  ])("%j → %s", (words, expected) => {
    expect(numberFromWords(words)).toBe(expected);
  });
});
