import { and, asc, count, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import {
  areas,
  contacts,
  inboundMessages,
  type NeedStatus,
  needReports,
  outboxMessages,
  programmes,
  registrations,
} from "../db/schema/index.js";
import { makassarDate, makassarTimeToInstant } from "../engine/format.js";
import { ownedBy, type Staff } from "../staff/principal.js";
import { connectedTo, needsVisibleTo, residentsVisibleTo } from "../staff/scope.js";
import { activeStatuses } from "./registrations.js";

export const openNeedStatuses: readonly NeedStatus[] = ["baru", "ditinjau", "ditindaklanjuti"];
export const chartWeeks = 8;
const weekMs = 7 * 24 * 3_600_000;
const dayMs = 24 * 3_600_000;

export interface DashboardFigures {
  residents: number;
  activeRegistrations: number;
  openNeeds: number;
  /** Monday 00.00 WITA of each charted week, oldest first (this week last). */
  weekStarts: Date[];
  /** Registrations made per programme in each charted week (`perWeek[i]` is `weekStarts[i]`). */
  registrationsPerWeek: { code: string; title: string; perWeek: number[] }[];
  needsByCategory: { category: string; n: number }[];
  /** `name` null for needs without a kecamatan. */
  needsByKecamatan: { name: string | null; n: number }[];
  messagesInToday: number;
  messagesOutToday: number;
  /** Outbox rows waiting to be sent, per channel. */
  queued: { channel: ChannelName; n: number }[];
  /** Rows that failed or found the resident unreachable, created in the last 24 hours. */
  failed: { channel: ChannelName; n: number }[];
}

/** Monday 00.00 WITA of the week `now` falls in, and the weeks before it. */
function weekStartsBefore(now: Date): Date[] {
  const today = makassarTimeToInstant(makassarDate(now), "00:00");
  const weekday = (new Date(today.getTime() + 8 * 3_600_000).getUTCDay() + 6) % 7;
  const monday = today.getTime() - weekday * dayMs;
  return Array.from(
    { length: chartWeeks },
    (_, i) => new Date(monday - (chartWeeks - 1 - i) * weekMs),
  );
}

const total = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;

/** The start page's figures, each limited to what `staff` may see. */
export async function dashboardFigures(db: Db, staff: Staff, now: Date): Promise<DashboardFigures> {
  const weekStarts = weekStartsBefore(now);
  const first = weekStarts[0] ?? now;
  const startOfDay = makassarTimeToInstant(makassarDate(now), "00:00");
  const ownProgrammes = ownedBy(staff, programmes.organisationId);
  // Monday of the WITA week (UTC+8, no daylight saving), written without parameters so that
  // the same expression can be grouped by.
  const week = sql<string>`to_char(date_trunc('week', (${registrations.createdAt} at time zone 'UTC') + interval '8 hours'), 'YYYY-MM-DD')`;
  const weekIndex = new Map(weekStarts.map((start, i) => [makassarDate(start), i]));
  const weekly = await db
    .select({ code: programmes.code, title: programmes.title, week, n: count() })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .where(and(ownProgrammes, gte(registrations.createdAt, first)))
    .groupBy(programmes.code, programmes.title, week)
    .orderBy(asc(programmes.code));
  const perProgramme = new Map<string, { code: string; title: string; perWeek: number[] }>();
  for (const row of weekly) {
    const index = weekIndex.get(row.week);
    if (index === undefined) continue;
    const entry = perProgramme.get(row.code) ?? {
      code: row.code,
      title: row.title,
      perWeek: Array<number>(chartWeeks).fill(0),
    };
    entry.perWeek[index] = row.n;
    perProgramme.set(row.code, entry);
  }
  const byChannel = (where: SQL | undefined) =>
    db
      .select({ channel: outboxMessages.channel, n: count() })
      .from(outboxMessages)
      .where(and(where, connectedTo(staff, outboxMessages.contactId)))
      .groupBy(outboxMessages.channel)
      .orderBy(asc(outboxMessages.channel));

  return {
    residents: await total(
      db.select({ n: count() }).from(contacts).where(residentsVisibleTo(staff)),
    ),
    activeRegistrations: await total(
      db
        .select({ n: count() })
        .from(registrations)
        .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
        .where(and(ownProgrammes, inArray(registrations.status, activeStatuses))),
    ),
    openNeeds: await total(
      db
        .select({ n: count() })
        .from(needReports)
        .where(and(needsVisibleTo(staff), inArray(needReports.status, openNeedStatuses))),
    ),
    weekStarts,
    registrationsPerWeek: [...perProgramme.values()],
    needsByCategory: await db
      .select({ category: needReports.category, n: count() })
      .from(needReports)
      .where(needsVisibleTo(staff))
      .groupBy(needReports.category)
      .orderBy(sql`count(*) desc`, asc(needReports.category)),
    needsByKecamatan: await db
      .select({ name: areas.name, n: count() })
      .from(needReports)
      .leftJoin(areas, eq(areas.code, needReports.kecamatanCode))
      .where(needsVisibleTo(staff))
      .groupBy(needReports.kecamatanCode, areas.name)
      .orderBy(sql`count(*) desc`, asc(areas.name)),
    messagesInToday: await total(
      db
        .select({ n: count() })
        .from(inboundMessages)
        .where(
          and(
            gte(inboundMessages.receivedAt, startOfDay),
            connectedTo(staff, inboundMessages.contactId),
          ),
        ),
    ),
    messagesOutToday: await total(
      db
        .select({ n: count() })
        .from(outboxMessages)
        .where(
          and(gte(outboxMessages.sentAt, startOfDay), connectedTo(staff, outboxMessages.contactId)),
        ),
    ),
    queued: await byChannel(inArray(outboxMessages.status, ["pending", "sending"])),
    failed: await byChannel(
      and(
        inArray(outboxMessages.status, ["failed", "unreachable"]),
        gte(outboxMessages.createdAt, new Date(now.getTime() - dayMs)),
      ),
    ),
  };
}
