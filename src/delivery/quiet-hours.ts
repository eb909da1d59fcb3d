/**
 * Quiet hours and WITA calendar days for delivery. Balikpapan is on WITA (UTC+8 all year, no
 * daylight saving), so wall-clock times are computed with fixed +8 arithmetic, whatever the
 * server's time zone.
 */

const witaOffsetMs = 8 * 3_600_000;
const dayMs = 86_400_000;
const minuteMs = 60_000;
const clockTime = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * When notices and broadcasts (priority > 0) are held back, as WITA wall-clock times "HH:MM".
 * `start` later than `end` spans midnight (21:00–06:00). Replies always go.
 */
export interface QuietHours {
  start: string;
  end: string;
}

export const defaultQuietHours: QuietHours = { start: "21:00", end: "06:00" };

/**
 * Reads "21:00-06:00" (the QUIET_HOURS setting); "off" means no quiet hours (null). Returns
 * undefined for anything else, so a config schema can name the variable in its error.
 */
export function parseQuietHours(text: string): QuietHours | null | undefined {
  const value = text.trim().toLowerCase();
  if (value === "off") return null;
  const [start, end, ...rest] = value.split("-").map((part) => part.trim());
  if (start === undefined || end === undefined || rest.length > 0) return undefined;
  if (!clockTime.test(start) || !clockTime.test(end) || start === end) return undefined;
  return { start, end };
}

function minuteOfDay(time: string): number {
  const match = clockTime.exec(time);
  if (!match) throw new RangeError(`expected HH:MM, got "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Milliseconds since the start of the WITA day that holds `at`. */
function witaTimeOfDay(at: Date): number {
  const local = at.getTime() + witaOffsetMs;
  return local - Math.floor(local / dayMs) * dayMs;
}

/** Whether `at` falls inside the quiet hours (start inclusive, end exclusive; start = end: never). */
export function isQuiet(quiet: QuietHours | null, at: Date): boolean {
  if (!quiet) return false;
  const minute = Math.floor(witaTimeOfDay(at) / minuteMs);
  const start = minuteOfDay(quiet.start);
  const end = minuteOfDay(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The first instant after `at` at which the WITA wall clock reads `time`. */
export function nextWitaTime(at: Date, time: string): Date {
  const target = minuteOfDay(time) * minuteMs;
  const sinceMidnight = witaTimeOfDay(at);
  const midnight = at.getTime() - sinceMidnight;
  const candidate = midnight + target;
  return new Date(candidate > at.getTime() ? candidate : candidate + dayMs);
}

/** Where the quiet hours that hold `at` end; `at` itself when it is not quiet. */
export function quietEnd(quiet: QuietHours | null, at: Date): Date {
  return quiet && isQuiet(quiet, at) ? nextWitaTime(at, quiet.end) : at;
}

/** The WITA calendar day of `at`, "YYYY-MM-DD": the unit of the daily cap. */
export function witaDay(at: Date): string {
  return new Date(at.getTime() + witaOffsetMs).toISOString().slice(0, 10);
}

/** The instants where the WITA day of `at` starts and ends (00.00 WITA to 00.00 WITA). */
export function witaDayBounds(at: Date): { start: Date; end: Date } {
  const start = at.getTime() - witaTimeOfDay(at);
  return { start: new Date(start), end: new Date(start + dayMs) };
}
