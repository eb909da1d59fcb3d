import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatPhone,
  formatRupiah,
  formatTime,
  makassarDate,
  makassarTimeToInstant,
} from "../src/engine/format.js";

describe("formatDateTime / formatDate / formatTime", () => {
  it.each([
    ["2026-12-07T01:00:00Z", "Senin, 7 Desember 2026 pukul 09.00 WITA"],
    ["2026-12-06T16:00:00Z", "Senin, 7 Desember 2026 pukul 00.00 WITA"],
    ["2026-12-06T15:59:00Z", "Minggu, 6 Desember 2026 pukul 23.59 WITA"],
    ["2027-01-01T03:30:00Z", "Jumat, 1 Januari 2027 pukul 11.30 WITA"],
    ["2026-02-28T08:05:00Z", "Sabtu, 28 Februari 2026 pukul 16.05 WITA"],
    ["2026-07-15T04:00:00Z", "Rabu, 15 Juli 2026 pukul 12.00 WITA"],
    ["2026-03-17T23:00:00Z", "Rabu, 18 Maret 2026 pukul 07.00 WITA"],
    ["2026-12-10T00:00:00Z", "Kamis, 10 Desember 2026 pukul 08.00 WITA"],
    ["2026-12-08T02:00:00Z", "Selasa, 8 Desember 2026 pukul 10.00 WITA"],
  ])("%s → %s", (iso, expected) => {
    const instant = new Date(iso);
    expect(formatDateTime(instant)).toBe(expected);
    expect(formatDate(instant)).toBe(expected.slice(0, expected.indexOf(" pukul")));
    expect(formatTime(instant)).toBe(expected.slice(expected.indexOf("pukul ") + 6));
  });

  it("rejects an invalid date", () => {
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("formatRupiah", () => {
  it.each([
    [50000, "Rp50.000"],
    [0, "Rp0"],
    [999, "Rp999"],
    [1000, "Rp1.000"],
    [1250000, "Rp1.250.000"],
    [1234567890, "Rp1.234.567.890"],
    [49999.6, "Rp50.000"],
    [-5000, "-Rp5.000"],
  ])("%d → %s", (amount, expected) => {
    expect(formatRupiah(amount)).toBe(expected);
  });

  it("rejects a non-finite amount", () => {
    expect(() => formatRupiah(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("makassarDate", () => {
  it.each([
    ["2026-12-06T15:59:59Z", "2026-12-06"],
    ["2026-12-06T16:00:00Z", "2026-12-07"],
    ["2026-12-31T16:00:00Z", "2027-01-01"],
    ["2026-01-01T00:00:00Z", "2026-01-01"],
  ])("%s → %s", (iso, expected) => {
    expect(makassarDate(new Date(iso))).toBe(expected);
  });
});

describe("makassarTimeToInstant", () => {
  it.each([
    ["2026-12-07", "09:00", "2026-12-07T01:00:00.000Z"],
    ["2026-12-07", "00:00", "2026-12-06T16:00:00.000Z"],
    ["2027-01-01", "07:30", "2026-12-31T23:30:00.000Z"],
    ["2026-06-15", "23:59", "2026-06-15T15:59:00.000Z"],
  ])("%s %s → %s", (date, time, iso) => {
    expect(makassarTimeToInstant(date, time).toISOString()).toBe(iso);
  });

  it("round-trips with makassarDate and formatTime", () => {
    const instant = makassarTimeToInstant("2026-12-07", "08:15");
    expect(makassarDate(instant)).toBe("2026-12-07");
    expect(formatTime(instant)).toBe("08.15 WITA");
  });

  it.each([
    ["2026-02-30", "09:00"],
    ["2026-12-07", "24:00"],
    ["2026-12-07", "9:00"],
    ["07-12-2026", "09:00"],
  ])("rejects %s %s", (date, time) => {
    expect(() => makassarTimeToInstant(date, time)).toThrow(RangeError);
  });
});

describe("formatPhone", () => {
  it("writes a stored mobile number as staff write it", () => {
    expect(formatPhone("+6281234567890")).toBe("0812-3456-7890");
    expect(formatPhone("+628123456789")).toBe("0812-3456-789");
    expect(formatPhone("+62812345678")).toBe("0812-3456-78");
    expect(formatPhone("+62812345678901")).toBe("0812-3456-78901");
    expect(formatPhone("+14155550100")).toBe("+14155550100");
  });
});
