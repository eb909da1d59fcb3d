/**
 * Dates typed by residents, resolved against today's date in Asia/Makassar. Dates are handled
 * as calendar days with Date.UTC arithmetic only, so the server's time zone never matters.
 *
 * Decisions:
 * - A weekday ("senin", "hari jumat", "senin depan") is the next such day strictly after today:
 *   "senin" said on a Monday is the Monday a week later ("hari ini" is today).
 * - "minggu" alone or with "hari" is Sunday; "minggu depan" / "minggu ini" mean a week, not a
 *   day, and are not understood.
 * - A day and month without a year is the next such date from today on (today included).
 * - "tanggal 7" alone is the next 7th from today on.
 * - Numeric dates are day first, as written in Indonesia ("07/12/2026"); "2026-12-07" is read
 *   year first.
 * - A time ("jam 9", "pukul 09.00", "pagi") after the date is ignored.
 * - A weekday given together with a date must fall on it ("senin 7 desember").
 */
import { canonicalWords, sameWord } from "./lexicon.js";

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_OR_MONTH = /^\d{1,2}$/;
const YEAR = /^(?:\d{2}|\d{4})$/;
const TIME_NUMBER = /^\d{1,2}$/;

const RELATIVE: ReadonlyMap<string, number> = new Map([
  ["hari ini", 0],
  ["sekarang", 0],
  ["besok", 1],
  ["lusa", 2],
  ["kemarin", -1],
]);

/** Day of the week as in Date.getUTCDay (0 = Sunday). */
const WEEKDAYS: ReadonlyMap<string, number> = new Map([
  ["minggu", 0],
  ["ahad", 0],
  ["senin", 1],
  ["selasa", 2],
  ["rabu", 3],
  ["kamis", 4],
  ["jumat", 5],
  ["sabtu", 6],
]);
/** "senin depan" / "senin ini" are the next Monday; "minggu depan" is a week. */
const WEEK_WORDS: ReadonlySet<string> = new Set(["depan", "ini"]);

const MONTHS: ReadonlyMap<string, number> = new Map([
  ["januari", 1],
  ["jan", 1],
  ["februari", 2],
  ["pebruari", 2],
  ["feb", 2],
  ["peb", 2],
  ["maret", 3],
  ["mar", 3],
  ["april", 4],
  ["apr", 4],
  ["mei", 5],
  ["juni", 6],
  ["jun", 6],
  ["juli", 7],
  ["jul", 7],
  ["agustus", 8],
  ["agu", 8],
  ["agt", 8],
  ["agus", 8],
  ["ags", 8],
  ["aug", 8],
  ["september", 9],
  ["sep", 9],
  ["sept", 9],
  ["oktober", 10],
  ["okt", 10],
  ["oct", 10],
  ["november", 11],
  ["nopember", 11],
  ["nov", 11],
  ["nop", 11],
  ["desember", 12],
  ["des", 12],
  ["dec", 12],
]);

const FILLER: ReadonlySet<string> = new Set([
  "tanggal",
  "hari",
  "pada",
  "bulan",
  "tahun",
  "di",
  "nanti",
  "saya",
  "bisa",
  "mau",
  "saja",
]);
const TIME_WORDS: ReadonlySet<string> = new Set(["pagi", "siang", "sore", "malam", "wita"]);
const TIME_MARKERS: ReadonlySet<string> = new Set(["jam", "pukul"]);

type Day = { y: number; m: number; d: number };

function toMs({ y, m, d }: Day): number {
  return Date.UTC(y, m - 1, d);
}

function fromMs(ms: number): Day {
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

function iso({ y, m, d }: Day): string {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validDay(y: number, m: number, d: number): Day | undefined {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? { y, m, d } : undefined;
}

function parseToday(today: string): Day {
  const match = ISO_DATE.exec(today);
  const day = match && validDay(Number(match[1]), Number(match[2]), Number(match[3]));
  if (!day) throw new RangeError(`today must be YYYY-MM-DD, got "${today}"`);
  return day;
}

function monthOf(word: string): number | undefined {
  const exact = MONTHS.get(word);
  if (exact !== undefined) return exact;
  if (DAY_OR_MONTH.test(word)) return Number(word);
  for (const [name, month] of MONTHS) if (sameWord(word, name)) return month;
  return undefined;
}

/** Drops fillers and a time ("jam 9", "pukul 09 00", "pagi"); keeps "hari" of "hari ini". */
function dateWords(ws: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] ?? "";
    if (TIME_MARKERS.has(w)) {
      while (TIME_NUMBER.test(ws[i + 1] ?? "")) i++;
    } else if (w === "hari" && ws[i + 1] === "ini") {
      out.push(w);
    } else if (!FILLER.has(w) && !TIME_WORDS.has(w)) {
      out.push(w);
    }
  }
  return out;
}

/** Year, month and day for "D M [Y]" or "Y M D"; a missing year is the next such date. */
function calendarDate(ws: readonly string[], today: Day): Day | undefined {
  const [a = "", b = "", c] = ws;
  if (ws.length === 3 && /^\d{4}$/.test(a) && DAY_OR_MONTH.test(c ?? "")) {
    return validDay(Number(a), monthOf(b) ?? 0, Number(c));
  }
  if (!DAY_OR_MONTH.test(a) || ws.length > 3) return undefined;
  const month = monthOf(b);
  if (month === undefined) return undefined;
  const d = Number(a);
  if (c !== undefined) {
    if (!YEAR.test(c)) return undefined;
    const y = c.length === 2 ? 2000 + Number(c) : Number(c);
    return validDay(y, month, d);
  }
  const thisYear = validDay(today.y, month, d);
  if (thisYear && toMs(thisYear) >= toMs(today)) return thisYear;
  return validDay(today.y + 1, month, d);
}

/** The next day of the month `d` from today on ("tanggal 7"). */
function nextDayOfMonth(d: number, today: Day): Day | undefined {
  if (d >= today.d) {
    const thisMonth = validDay(today.y, today.m, d);
    if (thisMonth) return thisMonth;
  }
  const next = today.m === 12 ? { y: today.y + 1, m: 1 } : { y: today.y, m: today.m + 1 };
  return validDay(next.y, next.m, d);
}

function nextWeekday(weekday: number, today: Day): Day {
  const todayMs = toMs(today);
  const ahead = ((weekday - new Date(todayMs).getUTCDay() + 6) % 7) + 1;
  return fromMs(todayMs + ahead * DAY_MS);
}

/**
 * The calendar date (YYYY-MM-DD) a message names, relative to `today` (YYYY-MM-DD in
 * Asia/Makassar): "besok", "lusa", "hari ini", "senin", "7 desember", "7 des 2026",
 * "07/12/2026", "7-12", "tanggal 7". Undefined when the message is not only a date.
 */
export function parseDate(text: string, today: string): string | undefined {
  const now = parseToday(today);
  const all = canonicalWords(text);
  const ws = dateWords(all);
  const relative = RELATIVE.get(ws.join(" "));
  if (relative !== undefined) return iso(fromMs(toMs(now) + relative * DAY_MS));

  let weekday: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] ?? "";
    const day = WEEKDAYS.get(w);
    if (day === undefined || weekday !== undefined) {
      rest.push(w);
      continue;
    }
    const next = ws[i + 1] ?? "";
    if (WEEK_WORDS.has(next)) {
      if (day === 0) return undefined;
      i++;
    }
    weekday = day;
  }
  if (rest.length === 0) return weekday === undefined ? undefined : iso(nextWeekday(weekday, now));

  const [only] = rest;
  const date =
    rest.length === 1 && only !== undefined && DAY_OR_MONTH.test(only) && all.includes("tanggal")
      ? nextDayOfMonth(Number(only), now)
      : calendarDate(rest, now);
  if (date === undefined) return undefined;
  if (weekday !== undefined && new Date(toMs(date)).getUTCDay() !== weekday) return undefined;
  return iso(date);
}
