/**
 * What residents read about their sessions (BAHASA.md): short, absolute dates ("besok" and "hari
 * ini" only next to the date), says how to answer, under one phone screen.
 */
import { formatDateTime, makassarDate } from "../../engine/format.js";
import type { PlannedReminder } from "./timing.js";

export interface SessionFacts {
  startsAt: Date;
  title: string;
  /** The session's place, or the programme's when the session has none. */
  place: string;
  whatToBring: string;
}

const dayMs = 86_400_000;

/** Caps what staff typed, so a message stays under ~600 characters. */
export function clip(text: string, max: number): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1).trimEnd()}…`;
}

function titleOf(session: SessionFacts): string {
  return clip(session.title, 120);
}

function atPlace(session: SessionFacts): string {
  const place = clip(session.place, 150);
  return place ? ` di ${place}` : "";
}

/** "besok, " or "hari ini, " when the reminder goes out at its planned time; otherwise "". */
function relativeDay(startsAt: Date, reminder: PlannedReminder): string {
  if (reminder.late) return "";
  const sentOn = makassarDate(reminder.notBefore);
  if (sentOn === makassarDate(startsAt)) return "hari ini, ";
  if (makassarDate(new Date(reminder.notBefore.getTime() + dayMs)) === makassarDate(startsAt)) {
    return "besok, ";
  }
  return "";
}

/**
 * "Pengingat: besok, Senin, 30 November 2026 pukul 08.00 WITA, sesi Menjahit Dasar … di Aula ….
 * Bawa: …. Apakah Anda akan hadir? Ketik HADIR atau TIDAK HADIR."
 */
export function reminderText(session: SessionFacts, reminder: PlannedReminder): string {
  const bring = clip(session.whatToBring, 200);
  return [
    `Pengingat: ${relativeDay(session.startsAt, reminder)}${formatDateTime(session.startsAt)}, sesi ${titleOf(session)}${atPlace(session)}.`,
    bring ? `Bawa: ${bring.replace(/\.$/, "")}.` : "",
    "Apakah Anda akan hadir? Ketik HADIR atau TIDAK HADIR.",
  ]
    .filter((part) => part !== "")
    .join(" ");
}

/** Told to each registered resident when staff cancel a session that has not started. */
export function sessionCancelledText(session: SessionFacts): string {
  return `Mohon maaf, sesi ${titleOf(session)} pada ${formatDateTime(session.startsAt)}${atPlace(session)} dibatalkan. Anda tidak perlu datang, dan pendaftaran Anda tetap berlaku. Ketik JADWAL untuk melihat jadwal berikutnya.`;
}

/** Told to each registered resident when staff move a session. */
export function sessionMovedText(session: SessionFacts, previousStartsAt: Date): string {
  return `Perubahan jadwal: sesi ${titleOf(session)} yang semula ${formatDateTime(previousStartsAt)} dipindah ke ${formatDateTime(session.startsAt)}${atPlace(session)}. Pengingat akan kami kirim sebelum sesi. Ketik JADWAL untuk melihat jadwal Anda.`;
}

/** "Menjahit Dasar … pada Senin, 30 November 2026 pukul 08.00 WITA di Aula …" (RSVP replies). */
export function sessionLabel(session: SessionFacts): string {
  return `${titleOf(session)} pada ${formatDateTime(session.startsAt)}${atPlace(session)}`;
}
