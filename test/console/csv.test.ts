import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/console/csv.js";

describe("CSV for Excel", () => {
  it("starts with a byte-order mark and ends lines with CRLF", () => {
    const csv = toCsv(["Nama", "Kelurahan"], [["Siti Aminah", "Gunung Samarinda"]]);
    expect(csv.startsWith("\uFEFFNama,Kelurahan\r\n")).toBe(true);
    expect(csv.endsWith("Siti Aminah,Gunung Samarinda\r\n")).toBe(true);
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(toCsv(["a"], [['Jl. "Mawar", RT 03\nBalikpapan']])).toContain(
      '"Jl. ""Mawar"", RT 03\nBalikpapan"',
    );
  });

  it("keeps text that looks like a formula as text", () => {
    expect(toCsv(["a"], [['=HYPERLINK("x")'], ["+62812"]])).toContain("'+62812");
    expect(toCsv(["a"], [["=1+1"]])).toContain("'=1+1");
  });

  it("writes numbers, empty cells and dates plainly", () => {
    expect(toCsv(["a", "b", "c"], [[3, null, new Date("2026-11-30T00:00:00Z")]])).toContain(
      "3,,2026-11-30T00:00:00.000Z",
    );
  });
});
