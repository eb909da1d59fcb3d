/**
 * How the bot writes dates, times and money (BAHASA.md): "Senin, 7 Desember 2026 pukul 09.00
 * WITA", "Rp50.000". Balikpapan is on WITA (Asia/Makassar), UTC+8 all year with no daylight
 * saving, so local time is computed with fixed +8 arithmetic, independent of the server's zone.
 */

const MAKASSAR_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"] as const;
const MONTHS = [
  "Januari",
  "Februari",
  "Maret",
  "April",
  "Mei",
  "Juni",
  "Juli",
  "Agustus",
  "September",
  "Oktober",
  "November",
  "Desember",
] as const;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^(\d{2}):(\d{2})$/;
const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;

/** The instant shifted so that its UTC fields read as Makassar local time. */
function local(instant: Date): Date {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid date");
  return new Date(ms + MAKASSAR_OFFSET_MS);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** "Senin, 7 Desember 2026" in Asia/Makassar. */
export function formatDate(instant: Date): string {
  const t = local(instant);
  return `${DAYS[t.getUTCDay()]}, ${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
}

/** "09.00 WITA". */
export function formatTime(instant: Date): string {
  const t = local(instant);
  return `${pad2(t.getUTCHours())}.${pad2(t.getUTCMinutes())} WITA`;
}

/** "Senin, 7 Desember 2026 pukul 09.00 WITA". */
export function formatDateTime(instant: Date): string {
  return `${formatDate(instant)} pukul ${formatTime(instant)}`;
}

/** "Rp50.000"; rounded to whole rupiah; "-Rp5.000" for a negative amount. */
export function formatRupiah(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`not an amount: ${amount}`);
  const whole = Math.round(Math.abs(amount));
  const sign = amount < 0 && whole !== 0 ? "-" : "";
  return `${sign}Rp${String(whole).replace(THOUSANDS, ".")}`;
}

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Makassar. */
export function makassarDate(instant: Date): string {
  const t = local(instant);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

/** The instant of a Makassar wall-clock date ("YYYY-MM-DD") and time ("HH:MM"). */
export function makassarTimeToInstant(date: string, time: string): Date {
  const d = ISO_DATE.exec(date);
  const t = HH_MM.exec(time);
  if (!d || !t) throw new RangeError(`expected YYYY-MM-DD and HH:MM, got "${date}" "${time}"`);
  const [y, m, day, h, min] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, m - 1, day, h, min);
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCHours() !== h || check.getUTCMinutes() !== min) {
    throw new RangeError(`no such Makassar time: ${date} ${time}`);
  }
  return new Date(ms - MAKASSAR_OFFSET_MS);
}

/**
 * A stored E.164 mobile number as staff write and type it: "+6281234567890" → "0812-3456-7890",
 * the last group taking what is left ("0812-3456-78901" for 13 digits); anything else as it is.
 */
export function formatPhone(e164: string): string {
  if (!e164.startsWith("+62")) return e164;
  const national = `0${e164.slice(3)}`;
  return [national.slice(0, 4), national.slice(4, 8), national.slice(8)].filter(Boolean).join("-");
}
