import { describe, expect, it } from "vitest";
import { parseDate } from "../../src/engine/understand/dates.js";

/** A Thursday. */
const TODAY = "2026-12-03";

describe("parseDate", () => {
  it.each([
    ["hari ini", "2026-12-03"],
    ["sekarang", "2026-12-03"],
    ["besok", "2026-12-04"],
    ["bsk pagi", "2026-12-04"],
    ["besok jam 9", "2026-12-04"],
    ["lusa", "2026-12-05"],
    ["kemarin", "2026-12-02"],
    ["jumat", "2026-12-04"],
    ["Jum'at", "2026-12-04"],
    ["sabtu", "2026-12-05"],
    ["hari minggu", "2026-12-06"],
    ["minggu", "2026-12-06"],
    ["senin", "2026-12-07"],
    ["senin depan", "2026-12-07"],
    ["kamis", "2026-12-10"],
    ["7 desember", "2026-12-07"],
    ["7 Desember 2026", "2026-12-07"],
    ["7 des 2026", "2026-12-07"],
    ["7 desembr", "2026-12-07"],
    ["07/12/2026", "2026-12-07"],
    ["7/12/26", "2026-12-07"],
    ["7-12", "2026-12-07"],
    ["7.12.2026", "2026-12-07"],
    ["2026-12-25", "2026-12-25"],
    ["tgl 7", "2026-12-07"],
    ["tanggal 3", "2026-12-03"],
    ["tanggal 2", "2027-01-02"],
    ["2 januari", "2027-01-02"],
    ["3 desember", "2026-12-03"],
    ["1 jan", "2027-01-01"],
    ["14 feb", "2027-02-14"],
    ["5 mar", "2027-03-05"],
    ["10 apr", "2027-04-10"],
    ["1 mei", "2027-05-01"],
    ["1 jun", "2027-06-01"],
    ["17 agustus", "2027-08-17"],
    ["17 agu", "2027-08-17"],
    ["17 agt", "2027-08-17"],
    ["17 agus", "2027-08-17"],
    ["9 sep", "2027-09-09"],
    ["9 sept", "2027-09-09"],
    ["28 okt", "2027-10-28"],
    ["10 nov", "2027-11-10"],
    ["10 nopember", "2027-11-10"],
    ["1 jul 2027", "2027-07-01"],
    ["senin 7 desember", "2026-12-07"],
    ["tanggal 7 desember jam 09.00", "2026-12-07"],
    ["29 februari 2028", "2028-02-29"],
  ])("%j → %s", (text, expected) => {
    expect(parseDate(text, TODAY)).toBe(expected);
  });

  it.each([
    "minggu depan",
    "minggu ini",
    "senin lalu",
    "selasa 7 desember",
    "31 februari",
    "29 februari 2027",
    "32 desember",
    "7 13 2026",
    "3 anak",
    "7",
    "desember",
    "kapan saja",
    "",
  ])("%j → undefined", (text) => {
    expect(parseDate(text, TODAY)).toBeUndefined();
  });

  it("crosses month and year ends", () => {
    expect(parseDate("besok", "2026-12-31")).toBe("2027-01-01");
    expect(parseDate("lusa", "2028-02-28")).toBe("2028-03-01");
    expect(parseDate("senin", "2026-12-28")).toBe("2027-01-04");
  });

  it("rejects a malformed today", () => {
    expect(() => parseDate("besok", "03-12-2026")).toThrow(RangeError);
    expect(() => parseDate("besok", "2026-02-30")).toThrow(RangeError);
  });
});
