import { describe, expect, it } from "vitest";
import {
  defaultQuietHours,
  isQuiet,
  nextWitaTime,
  parseQuietHours,
  quietEnd,
  witaDay,
  witaDayBounds,
} from "../../src/delivery/quiet-hours.js";

/** An instant at a WITA wall-clock time on 28 November 2026 (UTC+8). */
const wita = (time: string, date = "2026-11-28") => new Date(`${date}T${time}:00+08:00`);

describe("quiet hours (WITA)", () => {
  it("holds 21.00 up to 06.00 WITA by default, whatever the server's zone", () => {
    expect(isQuiet(defaultQuietHours, wita("20:59"))).toBe(false);
    expect(isQuiet(defaultQuietHours, wita("21:00"))).toBe(true);
    expect(isQuiet(defaultQuietHours, wita("23:59"))).toBe(true);
    expect(isQuiet(defaultQuietHours, wita("00:00"))).toBe(true);
    expect(isQuiet(defaultQuietHours, wita("05:59"))).toBe(true);
    expect(isQuiet(defaultQuietHours, wita("06:00"))).toBe(false);
    expect(isQuiet(null, wita("23:00"))).toBe(false);
  });

  it("handles a window that does not span midnight, and an empty one", () => {
    const lunch = { start: "12:00", end: "13:00" };
    expect(isQuiet(lunch, wita("11:59"))).toBe(false);
    expect(isQuiet(lunch, wita("12:30"))).toBe(true);
    expect(isQuiet(lunch, wita("13:00"))).toBe(false);
    expect(isQuiet({ start: "21:00", end: "21:00" }, wita("21:00"))).toBe(false);
  });

  it("ends quiet hours at the next 06.00 WITA", () => {
    expect(quietEnd(defaultQuietHours, wita("22:00"))).toEqual(wita("06:00", "2026-11-29"));
    expect(quietEnd(defaultQuietHours, wita("02:00"))).toEqual(wita("06:00"));
    expect(quietEnd(defaultQuietHours, wita("10:00"))).toEqual(wita("10:00"));
    expect(nextWitaTime(wita("06:00"), "06:00")).toEqual(wita("06:00", "2026-11-29"));
  });

  it("reads QUIET_HOURS", () => {
    expect(parseQuietHours("21:00-06:00")).toEqual({ start: "21:00", end: "06:00" });
    expect(parseQuietHours(" 22:30 - 05:00 ")).toEqual({ start: "22:30", end: "05:00" });
    expect(parseQuietHours("off")).toBeNull();
    for (const wrong of ["21-06", "25:00-06:00", "21:00", "21:00-21:00", "21:00-06:00-07:00"]) {
      expect(parseQuietHours(wrong)).toBeUndefined();
    }
  });

  it("counts days from 00.00 WITA", () => {
    expect(witaDay(wita("23:59"))).toBe("2026-11-28");
    expect(witaDay(wita("00:00", "2026-11-29"))).toBe("2026-11-29");
    expect(witaDayBounds(wita("10:00"))).toEqual({
      start: wita("00:00"),
      end: wita("00:00", "2026-11-29"),
    });
  });
});
