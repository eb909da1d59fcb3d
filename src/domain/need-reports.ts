import { and, asc, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.js";
import {
  areas,
  contacts,
  mediaFiles,
  type NeedStatus,
  needReports,
  needStatusHistory,
  organisations,
  staffUsers,
} from "../db/schema/index.js";
import type { Staff } from "../staff/principal.js";
import { needsVisibleTo } from "../staff/scope.js";
import { ticketOf } from "./needs.js";

/** What staff filter the Laporan list by; every field is optional. */
export interface NeedFilters {
  status?: NeedStatus | undefined;
  category?: string | undefined;
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  /** Reported at or after this instant. */
  from?: Date | undefined;
  /** Reported before this instant. */
  until?: Date | undefined;
  /** One resident's reports (their profile page). */
  contactId?: number | undefined;
}

export interface NeedSummary {
  id: number;
  ticket: string;
  category: string;
  status: NeedStatus;
  kecamatanCode: string | null;
  kecamatanName: string | null;
  kelurahanCode: string | null;
  kelurahanName: string | null;
  /** Null once the resident erased their data. */
  contactId: number | null;
  residentName: string | null;
  assignedOrganisationId: number | null;
  organisationName: string | null;
  assignedStaffId: number | null;
  staffName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const kecamatan = alias(areas, "kecamatan");
const kelurahan = alias(areas, "kelurahan");

const summaryColumns = {
  id: needReports.id,
  category: needReports.category,
  status: needReports.status,
  kecamatanCode: needReports.kecamatanCode,
  kecamatanName: kecamatan.name,
  kelurahanCode: needReports.kelurahanCode,
  kelurahanName: kelurahan.name,
  contactId: needReports.contactId,
  residentName: contacts.name,
  assignedOrganisationId: needReports.assignedOrganisationId,
  organisationName: organisations.name,
  assignedStaffId: needReports.assignedStaffId,
  staffName: staffUsers.name,
  createdAt: needReports.createdAt,
  updatedAt: needReports.updatedAt,
};

function filtered(staff: Staff, filters: NeedFilters): SQL | undefined {
  return and(
    needsVisibleTo(staff),
    filters.status ? eq(needReports.status, filters.status) : undefined,
    filters.category ? eq(needReports.category, filters.category) : undefined,
    filters.kecamatan ? eq(needReports.kecamatanCode, filters.kecamatan) : undefined,
    filters.kelurahan ? eq(needReports.kelurahanCode, filters.kelurahan) : undefined,
    filters.from ? gte(needReports.createdAt, filters.from) : undefined,
    filters.until ? lt(needReports.createdAt, filters.until) : undefined,
    filters.contactId === undefined ? undefined : eq(needReports.contactId, filters.contactId),
  );
}

function summaries(db: Db) {
  return db
    .select(summaryColumns)
    .from(needReports)
    .leftJoin(kecamatan, eq(kecamatan.code, needReports.kecamatanCode))
    .leftJoin(kelurahan, eq(kelurahan.code, needReports.kelurahanCode))
    .leftJoin(contacts, eq(contacts.id, needReports.contactId))
    .leftJoin(organisations, eq(organisations.id, needReports.assignedOrganisationId))
    .leftJoin(staffUsers, eq(staffUsers.id, needReports.assignedStaffId));
}

const withTicket = <Row extends { id: number }>(row: Row) => ({ ...row, ticket: ticketOf(row.id) });

/**
 * The needs `staff` may see that match the filters, newest first; `limit` null for all of them
 * (the CSV export).
 */
export async function listNeeds(
  db: Db,
  staff: Staff,
  filters: NeedFilters,
  page: { limit: number | null; offset: number },
): Promise<{ rows: NeedSummary[]; total: number }> {
  const where = filtered(staff, filters);
  const query = summaries(db)
    .where(where)
    .orderBy(desc(needReports.createdAt), desc(needReports.id))
    .offset(page.offset)
    .$dynamic();
  const rows = await (page.limit === null ? query : query.limit(page.limit));
  const [total] = await db.select({ n: count() }).from(needReports).where(where);
  return { rows: rows.map(withTicket), total: total?.n ?? 0 };
}

export interface NeedHistoryEntry {
  status: NeedStatus;
  message: string | null;
  staffName: string | null;
  createdAt: Date;
}

export interface NeedDetail extends NeedSummary {
  /** The resident's own words; null once they erased their data. */
  description: string | null;
  photoMediaId: number | null;
  /** Oldest first. */
  history: NeedHistoryEntry[];
}

/** One need with its history, when `staff` may see it. */
export async function findNeed(db: Db, staff: Staff, id: number): Promise<NeedDetail | undefined> {
  const [row] = await summaries(db)
    .where(and(eq(needReports.id, id), needsVisibleTo(staff)))
    .limit(1);
  if (!row) return undefined;
  const [own] = await db
    .select({ description: needReports.description, photoMediaId: needReports.photoMediaId })
    .from(needReports)
    .where(eq(needReports.id, id));
  const history = await db
    .select({
      status: needStatusHistory.status,
      message: needStatusHistory.message,
      staffName: staffUsers.name,
      createdAt: needStatusHistory.createdAt,
    })
    .from(needStatusHistory)
    .leftJoin(staffUsers, eq(staffUsers.id, needStatusHistory.staffUserId))
    .where(eq(needStatusHistory.needId, id))
    .orderBy(asc(needStatusHistory.createdAt), asc(needStatusHistory.id));
  return {
    ...withTicket(row),
    description: own?.description ?? null,
    photoMediaId: own?.photoMediaId ?? null,
    history,
  };
}

/** Photo types the console shows inline; anything else (SVG, which can hold scripts) is refused. */
const imageTypes = /^image\/(?:jpeg|png|gif|webp|heic|heif|avif|bmp)$/i;

/**
 * The photo of a need `staff` may see, when it is an image; undefined otherwise (another
 * organisation's need, a photo no need uses, a file that is not an image).
 */
export async function findNeedPhoto(
  db: Db,
  staff: Staff,
  mediaId: number,
): Promise<{ mimeType: string; bytes: Uint8Array } | undefined> {
  const [photo] = await db
    .select({ mimeType: mediaFiles.mimeType, bytes: mediaFiles.bytes })
    .from(needReports)
    .innerJoin(mediaFiles, eq(mediaFiles.id, needReports.photoMediaId))
    .where(and(eq(needReports.photoMediaId, mediaId), needsVisibleTo(staff)))
    .limit(1);
  return photo && imageTypes.test(photo.mimeType) ? photo : undefined;
}
