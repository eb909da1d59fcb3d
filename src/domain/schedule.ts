import { and, asc, eq, gt, notInArray } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { programmeSessions, programmes, registrations } from "../db/schema/index.js";
import { formatDateTime } from "../engine/format.js";

export interface UpcomingSchedule {
  /** Next sessions of the programmes the resident holds a seat in, soonest first. */
  own: string[];
  /** The next session of each other open programme, soonest first. */
  others: string[];
}

const sessionLine = {
  startsAt: programmeSessions.startsAt,
  title: programmes.title,
  sessionPlace: programmeSessions.place,
  programmePlace: programmes.place,
};

type SessionRow = { startsAt: Date; title: string; sessionPlace: string; programmePlace: string };

/** "Senin, 7 Desember 2026 pukul 08.00 WITA — Menjahit Dasar …, Aula Kantor Kelurahan …". */
function line(row: SessionRow): string {
  const place = row.sessionPlace || row.programmePlace;
  return `${formatDateTime(row.startsAt)} — ${row.title}${place ? `, ${place}` : ""}`;
}

/** Own sessions shown at most; with the others, lines shown at most (one phone screen). */
const OWN_LIMIT = 3;
const TOTAL_LIMIT = 5;

/**
 * Sessions not over yet at `now`: first the resident's own (programmes they are registered in,
 * at most 3), then the next session of each other open programme, 5 lines in all at most.
 */
export async function upcomingSchedule(
  db: Db,
  input: { contactId: number; now: Date },
): Promise<UpcomingSchedule> {
  const notOver = and(
    eq(programmeSessions.status, "scheduled"),
    gt(programmeSessions.endsAt, input.now),
  );
  const seatedIn = db
    .select({ programmeId: registrations.programmeId })
    .from(registrations)
    .where(
      and(eq(registrations.contactId, input.contactId), eq(registrations.status, "registered")),
    );
  const own = await db
    .select(sessionLine)
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .innerJoin(registrations, eq(registrations.programmeId, programmes.id))
    .where(
      and(
        notOver,
        eq(registrations.contactId, input.contactId),
        eq(registrations.status, "registered"),
      ),
    )
    .orderBy(asc(programmeSessions.startsAt), asc(programmeSessions.id))
    .limit(OWN_LIMIT);
  const nextOfEach = await db
    .selectDistinctOn([programmeSessions.programmeId], sessionLine)
    .from(programmeSessions)
    .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
    .where(
      and(
        notOver,
        eq(programmes.status, "open"),
        notInArray(programmeSessions.programmeId, seatedIn),
      ),
    )
    .orderBy(programmeSessions.programmeId, asc(programmeSessions.startsAt));
  const others = nextOfEach
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    .slice(0, TOTAL_LIMIT - own.length);
  return { own: own.map(line), others: others.map(line) };
}
