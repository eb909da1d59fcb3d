import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  organisations,
  programmeSessions,
  programmes,
  type RegistrationStatus,
} from "../db/schema/index.js";
import { formatDateTime } from "../engine/format.js";
import { findKeyword, tokens } from "../engine/understand/index.js";

/**
 * Registrations that take one of the programme's seats (capacity). The trigger that keeps
 * `programmes.seats_taken` (migration 0003_seats_taken) names the same statuses.
 */
export const seatHoldingStatuses: readonly RegistrationStatus[] = [
  "registered",
  "offered",
  "completed",
];

export interface ProgrammeSummary {
  id: number;
  code: string;
  title: string;
  organisationName: string;
  description: string;
  keywords: string[];
  place: string;
  requirements: string;
  accessibilityNotes: string;
  status: "draft" | "open" | "closed";
  capacity: number;
  seatsLeft: number;
  sessionCount: number;
  /** Start of the first and of the last scheduled session; null while none is scheduled. */
  firstSessionAt: Date | null;
  lastSessionAt: Date | null;
}

const scheduled = sql`${programmeSessions.programmeId} = ${programmes.id} and ${programmeSessions.status} = 'scheduled'`;

/** Programmes with their organiser, schedule span and seats left, first sessions first. */
async function summaries(db: Db, where: SQL): Promise<ProgrammeSummary[]> {
  const rows = await db
    .select({
      id: programmes.id,
      code: programmes.code,
      title: programmes.title,
      organisationName: organisations.name,
      description: programmes.description,
      keywords: programmes.keywords,
      place: programmes.place,
      requirements: programmes.requirements,
      accessibilityNotes: programmes.accessibilityNotes,
      status: programmes.status,
      capacity: programmes.capacity,
      seatsTaken: programmes.seatsTaken,
      sessionCount: sql`(select count(*) from ${programmeSessions} where ${scheduled})`.mapWith(
        Number,
      ),
      firstSessionAt:
        sql<Date | null>`(select min(${programmeSessions.startsAt}) from ${programmeSessions} where ${scheduled})`.mapWith(
          programmeSessions.startsAt,
        ),
      lastSessionAt:
        sql<Date | null>`(select max(${programmeSessions.startsAt}) from ${programmeSessions} where ${scheduled})`.mapWith(
          programmeSessions.startsAt,
        ),
    })
    .from(programmes)
    .innerJoin(organisations, eq(organisations.id, programmes.organisationId))
    .where(where);
  return rows
    .map(({ seatsTaken, ...row }) => ({
      ...row,
      seatsLeft: Math.max(0, row.capacity - seatsTaken),
    }))
    .sort(
      (a, b) =>
        (a.firstSessionAt?.getTime() ?? Number.POSITIVE_INFINITY) -
          (b.firstSessionAt?.getTime() ?? Number.POSITIVE_INFINITY) || a.code.localeCompare(b.code),
    );
}

/** Programmes open for registration. */
export function listOpenProgrammes(db: Db): Promise<ProgrammeSummary[]> {
  return summaries(db, eq(programmes.status, "open"));
}

/** One programme, whatever its status; undefined when there is none with this id. */
export async function findProgramme(db: Db, id: number): Promise<ProgrammeSummary | undefined> {
  const [programme] = await summaries(db, eq(programmes.id, id));
  return programme;
}

/**
 * The programmes a message names: by code ("daftar MJH02", "mjh 02") or else by keyword
 * ("daftar menjahit"), on whole words with one typo forgiven. When several are named by keyword
 * the most specific keyword wins ("menjahit inklusif" over "menjahit"); a tie returns them all.
 */
export function programmesNamedIn<P extends Pick<ProgrammeSummary, "code" | "keywords">>(
  text: string,
  candidates: readonly P[],
): P[] {
  const words = tokens(text);
  const codes = new Set(
    words.flatMap((word, i) => [word, `${word}${words[i + 1] ?? ""}`]).map((w) => w.toUpperCase()),
  );
  const byCode = candidates.filter((programme) => codes.has(programme.code.toUpperCase()));
  if (byCode.length > 0) return byCode;
  let best: P[] = [];
  let bestWords = 0;
  for (const programme of candidates) {
    const keyword = findKeyword(text, programme.keywords);
    if (keyword === undefined) continue;
    const size = tokens(keyword).length;
    if (size > bestWords) {
      best = [programme];
      bestWords = size;
    } else if (size === bestWords) {
      best.push(programme);
    }
  }
  return best;
}

/** "sisa 12 kursi" or "kuota penuh". */
export function seatsLabel(programme: Pick<ProgrammeSummary, "seatsLeft">): string {
  return programme.seatsLeft > 0 ? `sisa ${programme.seatsLeft} kursi` : "kuota penuh";
}

/** The detail a resident reads before registering; fits one phone screen for typical programmes. */
export function programmeDetailText(programme: ProgrammeSummary): string {
  const lines = [programme.title, `Penyelenggara: ${programme.organisationName}`];
  if (programme.description) lines.push(programme.description);
  lines.push(...scheduleLines(programme));
  if (programme.place) lines.push(`Tempat: ${programme.place}`);
  if (programme.status !== "open") lines.push("Pendaftaran program ini sudah ditutup.");
  else if (programme.seatsLeft > 0) lines.push(`Kuota: sisa ${programme.seatsLeft} kursi`);
  else lines.push("Kuota penuh — Anda bisa masuk daftar tunggu");
  if (programme.requirements) lines.push(`Syarat: ${programme.requirements}`);
  if (programme.accessibilityNotes) lines.push(`Aksesibilitas: ${programme.accessibilityNotes}`);
  return lines.join("\n");
}

function scheduleLines(programme: ProgrammeSummary): string[] {
  const { firstSessionAt: first, lastSessionAt: last, sessionCount } = programme;
  if (!first || !last) return ["Jadwal: akan diumumkan"];
  if (sessionCount === 1) return [`Jadwal: ${formatDateTime(first)}`];
  return [
    `Jadwal: ${sessionCount} pertemuan`,
    `Mulai: ${formatDateTime(first)}`,
    `Terakhir: ${formatDateTime(last)}`,
  ];
}

/** Start of the programme's next scheduled session after `now`, if any. */
export async function nextSessionAt(db: Db, programmeId: number, now: Date): Promise<Date | null> {
  const [next] = await db
    .select({ startsAt: programmeSessions.startsAt })
    .from(programmeSessions)
    .where(
      and(
        eq(programmeSessions.programmeId, programmeId),
        eq(programmeSessions.status, "scheduled"),
        gt(programmeSessions.startsAt, now),
      ),
    )
    .orderBy(asc(programmeSessions.startsAt))
    .limit(1);
  return next?.startsAt ?? null;
}
