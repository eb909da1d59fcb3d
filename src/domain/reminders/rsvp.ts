/**
 * A resident's answer to a reminder: HADIR or TIDAK HADIR, for their next session.
 *
 * Decisions:
 * - The answer is for the resident's next scheduled session among the programmes they hold a
 *   seat in (`registered`); a session that started less than an hour ago still counts (a late
 *   answer to the reminder sent two hours before).
 * - "Tidak" withdraws the session's pending reminders for that registration (no reminder two
 *   hours before a session the resident said they will miss); a later "hadir" is recorded but
 *   does not bring them back.
 */
import { and, asc, eq, gt, ne } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { attendance, programmeSessions, programmes, registrations } from "../../db/schema/index.js";
import { canonicalWords } from "../../engine/understand/index.js";
import { sameWord } from "../../engine/understand/lexicon.js";
import { sessionFactsColumns } from "./sessions.js";
import { type SessionFacts, sessionLabel } from "./texts.js";
import { withdrawReasons, withdrawReminders } from "./withdraw.js";

export type RsvpAnswer = "hadir" | "tidak";

/** Words that, without "hadir", say the resident will not come. */
const ABSENT: ReadonlySet<string> = new Set(["berhalangan", "halangan", "absen", "izin", "ijin"]);
/** Words that, before "hadir", turn it around. */
const NEGATIONS: ReadonlySet<string> = new Set([
  "tidak",
  "belum",
  "jangan",
  "batal",
  "berhalangan",
  "absen",
]);
/**
 * Words that may stand between a negation and "hadir": "tidak bisa hadir", "belum tentu hadir",
 * Banjar "kada kawa hadir".
 */
const BETWEEN: ReadonlySet<string> = new Set([
  "bisa",
  "kawa",
  "dapat",
  "akan",
  "sempat",
  "mau",
  "tentu",
  "jadi",
  "usah",
  "perlu",
  "kayaknya",
  "sepertinya",
  "saya",
  "kami",
]);

/**
 * "hadir" (also "hadirr", "hadiir") or "datang". Typos of "hadir" are not read here although they
 * start the flow: "Kadir" is a name, so the flow asks instead of recording an answer.
 */
function isAttendWord(word: string): boolean {
  const single = word.replace(/(\p{L})\1+/gu, "$1");
  return single === "hadir" || single === "datang" || single === "dateng";
}

/**
 * "hadir", "insyaallah hadir", "hadir bu" → hadir; "tidak hadir", "gak bisa hadir", "tdk dapat
 * hadir", "izin tidak hadir", "berhalangan (hadir)" → tidak; a message saying neither →
 * undefined. A negation counts only right before "hadir", with at most words like "bisa" between
 * ("kalau tidak hujan saya hadir" is hadir; "izin, saya hadir agak telat" is hadir).
 */
export function parseRsvp(text: string): RsvpAnswer | undefined {
  const words = canonicalWords(text);
  const at = words.findIndex(isAttendWord);
  if (at < 0) {
    const absent = words.some((word) => ABSENT.has(word) || sameWord(word, "berhalangan"));
    return absent ? "tidak" : undefined;
  }
  for (let i = at - 1; i >= 0; i--) {
    const word = words[i] ?? "";
    if (NEGATIONS.has(word)) return "tidak";
    if (!BETWEEN.has(word)) break;
  }
  return "hadir";
}

/** A session that started this recently still takes answers. */
export const lateAnswerMs = 60 * 60_000;

export interface NextSession extends SessionFacts {
  sessionId: number;
  registrationId: number;
}

/** The resident's next scheduled session in a programme they hold a seat in. */
export async function nextSessionOf(
  db: Db,
  input: { contactId: number; now: Date },
): Promise<NextSession | undefined> {
  const [next] = await db
    .select({ ...sessionFactsColumns, registrationId: registrations.id })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .innerJoin(programmeSessions, eq(programmeSessions.programmeId, registrations.programmeId))
    .where(
      and(
        eq(registrations.contactId, input.contactId),
        eq(registrations.status, "registered"),
        ne(programmes.status, "draft"),
        eq(programmeSessions.status, "scheduled"),
        gt(programmeSessions.startsAt, new Date(input.now.getTime() - lateAnswerMs)),
      ),
    )
    .orderBy(asc(programmeSessions.startsAt), asc(programmeSessions.id))
    .limit(1);
  return next;
}

export type RsvpResult =
  | {
      result: "recorded";
      answer: RsvpAnswer;
      sessionId: number;
      registrationId: number;
      /** "Menjahit Dasar … pada Senin, 30 November 2026 pukul 08.00 WITA di Aula …". */
      session: string;
      programmeTitle: string;
    }
  | { result: "no_session"; answer: RsvpAnswer };

/** Records (or changes) the resident's answer for their next session. */
export async function recordRsvp(
  db: Db,
  input: { contactId: number; answer: RsvpAnswer; now: Date },
): Promise<RsvpResult> {
  const next = await nextSessionOf(db, input);
  if (!next) return { result: "no_session", answer: input.answer };
  await db
    .insert(attendance)
    .values({
      sessionId: next.sessionId,
      registrationId: next.registrationId,
      rsvp: input.answer,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: [attendance.sessionId, attendance.registrationId],
      set: { rsvp: input.answer, updatedAt: input.now },
    });
  if (input.answer === "tidak") {
    await withdrawReminders(db, {
      sessionId: next.sessionId,
      registrationId: next.registrationId,
      now: input.now,
      reason: withdrawReasons.notAttending,
    });
  }
  return {
    result: "recorded",
    answer: input.answer,
    sessionId: next.sessionId,
    registrationId: next.registrationId,
    session: sessionLabel(next),
    programmeTitle: next.title,
  };
}
