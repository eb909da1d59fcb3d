import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { mediaFiles, type NeedStatus, needReports, needStatusHistory } from "../db/schema/index.js";
import { formatDate, formatDateTime } from "../engine/format.js";
import { resolveAreas } from "./contacts.js";
import { type NeedCategoryId, needCategoryLabel } from "./groups.js";

export const needStatusLabels: Readonly<Record<NeedStatus, string>> = {
  baru: "Baru diterima",
  ditinjau: "Sedang ditinjau",
  ditindaklanjuti: "Sedang ditindaklanjuti",
  selesai: "Selesai",
  ditolak: "Tidak dapat diproses",
};

/** LAP-000123: the id zero-padded to 6 digits. */
export function ticketOf(id: number): string {
  return `LAP-${String(id).padStart(6, "0")}`;
}

const TICKET = /(?<![\p{L}\p{N}])lap\s*[-.:#]?\s*(\d{1,9})(?!\p{N})/iu;

/** The report id a message names: "status lap-123", "LAP-000123", "lap 123". */
export function parseTicket(text: string): number | undefined {
  const digits = TICKET.exec(text)?.[1];
  if (digits === undefined) return undefined;
  const id = Number(digits);
  return id > 0 ? id : undefined;
}

export interface NewNeed {
  contactId: number;
  category: NeedCategoryId;
  description: string;
  /** Only kept when the photo was sent by this resident. */
  photoMediaId: number | null;
  kecamatan: string | null;
  kelurahan: string | null;
  now: Date;
}

/** Stores a report with status "baru" and its first history row; returns the ticket. */
export async function createNeed(db: Db, need: NewNeed): Promise<{ id: number; ticket: string }> {
  const place = await resolveAreas(db, need.kecamatan, need.kelurahan);
  const photoMediaId = await ownPhoto(db, need);
  const [report] = await db
    .insert(needReports)
    .values({
      contactId: need.contactId,
      category: need.category,
      description: need.description.trim(),
      photoMediaId,
      ...place,
      createdAt: need.now,
      updatedAt: need.now,
    })
    .returning({ id: needReports.id });
  if (!report) throw new Error("need report was not inserted");
  await db
    .insert(needStatusHistory)
    .values({ needId: report.id, status: "baru", createdAt: need.now });
  return { id: report.id, ticket: ticketOf(report.id) };
}

async function ownPhoto(db: Db, need: NewNeed): Promise<number | null> {
  if (need.photoMediaId === null) return null;
  const [photo] = await db
    .select({ id: mediaFiles.id })
    .from(mediaFiles)
    .where(and(eq(mediaFiles.id, need.photoMediaId), eq(mediaFiles.contactId, need.contactId)));
  return photo?.id ?? null;
}

interface NeedRow {
  id: number;
  category: string;
  status: NeedStatus;
  createdAt: Date;
  updatedAt: Date;
}

const needColumns = {
  id: needReports.id,
  category: needReports.category,
  status: needReports.status,
  createdAt: needReports.createdAt,
  updatedAt: needReports.updatedAt,
};

/** The resident's reports, newest first; all of them when no limit is given. */
export function myNeeds(db: Db, contactId: number, limit?: number): Promise<NeedRow[]> {
  const query = db
    .select(needColumns)
    .from(needReports)
    .where(eq(needReports.contactId, contactId))
    .orderBy(desc(needReports.createdAt), desc(needReports.id))
    .$dynamic();
  return limit === undefined ? query : query.limit(limit);
}

/** "LAP-000123 — Kesehatan — Baru diterima (Senin, 7 Desember 2026)" */
export function needLine(need: NeedRow): string {
  return `${ticketOf(need.id)} — ${needCategoryLabel(need.category)} — ${needStatusLabels[need.status]} (${formatDate(need.createdAt)})`;
}

/**
 * What STATUS answers: the report a ticket in `query` names, when it is the resident's own (the
 * ticket of another resident reads as not found), otherwise the resident's latest five reports.
 */
export async function needStatusText(
  db: Db,
  contactId: number,
  query: string | undefined,
): Promise<string> {
  const id = query === undefined ? undefined : parseTicket(query);
  if (id !== undefined) {
    const [need] = await db
      .select(needColumns)
      .from(needReports)
      .where(and(eq(needReports.id, id), eq(needReports.contactId, contactId)));
    if (need) return oneNeedText(db, need);
  }
  const needs = await myNeeds(db, contactId, 5);
  const notFound =
    id === undefined ? [] : [`Laporan ${ticketOf(id)} tidak ditemukan di antara laporan Anda.`];
  if (needs.length === 0) return [...notFound, "Anda belum pernah mengirim laporan."].join("\n");
  return [...notFound, "Laporan Anda:", ...needs.map((need) => `- ${needLine(need)}`)].join("\n");
}

async function oneNeedText(db: Db, need: NeedRow): Promise<string> {
  const [latest] = await db
    .select({ message: needStatusHistory.message })
    .from(needStatusHistory)
    .where(eq(needStatusHistory.needId, need.id))
    .orderBy(desc(needStatusHistory.createdAt), desc(needStatusHistory.id))
    .limit(1);
  const lines = [
    `Laporan ${ticketOf(need.id)}`,
    `Kategori: ${needCategoryLabel(need.category)}`,
    `Dikirim: ${formatDateTime(need.createdAt)}`,
    `Status: ${needStatusLabels[need.status]}`,
  ];
  if (need.updatedAt.getTime() !== need.createdAt.getTime()) {
    lines.push(`Diperbarui: ${formatDateTime(need.updatedAt)}`);
  }
  if (latest?.message) lines.push(`Pesan petugas: ${latest.message}`);
  return lines.join("\n");
}
