import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type NeedStatus, needReports, needStatusHistory } from "../db/schema/index.js";
import { recordAudit } from "../staff/audit.js";
import type { Staff } from "../staff/principal.js";
import { needsVisibleTo } from "../staff/scope.js";
import { needCategoryLabel } from "./groups.js";
import { needStatusLabels, ticketOf } from "./needs.js";
import { enqueueMessage } from "./outbox.js";

/** The way a need goes: baru → ditinjau → ditindaklanjuti → selesai; ditolak ends it at any point. */
const path: readonly NeedStatus[] = ["baru", "ditinjau", "ditindaklanjuti", "selesai"];

/** Where a need may go from `status`: any later step, or ditolak; nothing once it ended. */
export function nextStatuses(status: NeedStatus): NeedStatus[] {
  if (status === "selesai" || status === "ditolak") return [];
  return [...path.slice(path.indexOf(status) + 1), "ditolak"];
}

export const maxStaffMessageLength = 1000;

/** What the resident receives when staff change the status of their report. */
export function statusNoticeText(
  need: { id: number; category: string },
  status: NeedStatus,
  message: string | null,
): string {
  const ticket = ticketOf(need.id);
  return [
    `Kabar terbaru untuk laporan Anda ${ticket} (${needCategoryLabel(need.category)}):`,
    `Status: ${needStatusLabels[status]}.`,
    ...(message ? [`Pesan petugas: ${message}`] : []),
    `Terima kasih sudah melapor. Ketik STATUS ${ticket} untuk melihat laporan Anda kapan saja.`,
  ].join("\n");
}

export type StatusChangeResult =
  | { changed: true; ticket: string; notified: boolean }
  | { changed: false; reason: "not_found" }
  | { changed: false; reason: "not_allowed"; current: NeedStatus };

/**
 * A staff member moves a need to `status`, optionally with a message. In one transaction: the
 * status, a history row, the notice to the resident (through the outbox, on their channel) and
 * the audit entry. `notified` is false when the resident cannot be reached (erased, no channel).
 * The caller wakes delivery.
 */
export function changeNeedStatus(
  db: Db,
  staff: Staff,
  input: { needId: number; status: NeedStatus; message?: string | undefined; now: Date },
): Promise<StatusChangeResult> {
  return db.transaction(async (tx) => {
    const [need] = await tx
      .select({
        id: needReports.id,
        status: needReports.status,
        category: needReports.category,
        contactId: needReports.contactId,
      })
      .from(needReports)
      .where(and(eq(needReports.id, input.needId), needsVisibleTo(staff)))
      .for("update");
    if (!need) return { changed: false, reason: "not_found" };
    if (!nextStatuses(need.status).includes(input.status)) {
      return { changed: false, reason: "not_allowed", current: need.status };
    }
    const message = input.message?.trim() || null;
    await tx
      .update(needReports)
      .set({ status: input.status, updatedAt: input.now })
      .where(eq(needReports.id, need.id));
    await tx.insert(needStatusHistory).values({
      needId: need.id,
      status: input.status,
      message,
      staffUserId: staff.id,
      createdAt: input.now,
    });
    const sent =
      need.contactId === null
        ? undefined
        : await enqueueMessage(tx, {
            contactId: need.contactId,
            text: statusNoticeText(need, input.status, message),
            priority: "notice",
            now: input.now,
          });
    await recordAudit(tx, staff, {
      action: "need.status",
      subjectType: "need_report",
      subjectId: need.id,
      details: {
        from: need.status,
        to: input.status,
        with_message: message !== null,
        notified: sent?.queued ?? false,
      },
    });
    return { changed: true, ticket: ticketOf(need.id), notified: sent?.queued ?? false };
  });
}
