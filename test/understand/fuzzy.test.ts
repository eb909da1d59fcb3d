import { describe, expect, it } from "vitest";
import { closeEnough, withinOneEdit } from "../../src/engine/understand/fuzzy.js";

describe("withinOneEdit", () => {
  it.each([
    ["daftar", "daftar", true],
    ["dafar", "daftar", true],
    ["daftarr", "daftar", true],
    ["daftor", "daftar", true],
    ["dafatr", "daftar", true],
    ["adftar", "daftar", true],
    ["daftra", "daftar", true],
    ["dfatra", "daftar", false],
    ["dftr", "daftar", false],
    ["daftarkan", "daftar", false],
    ["", "a", true],
    ["", "ab", false],
    ["ab", "ba", true],
    ["abc", "cba", false],
  ])("%j ~ %j → %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});

describe("closeEnough", () => {
  it.each([
    ["menjahit", "menjahit", true],
    ["mnjahit", "menjahit", true],
    ["batalkn", "batalkan", true],
    ["batu", "bantu", false],
    ["lama", "lima", false],
    ["sip", "sit", false],
    ["12345", "12346", false],
    ["2026", "2026", true],
    ["pendaftaran", "daftar", false],
  ])("%j ~ %j → %s", (word, target, expected) => {
    expect(closeEnough(word, target)).toBe(expected);
  });
});
