import type { Db } from "../db/client.js";
import { auditLog } from "../db/schema/index.js";
import type { Staff } from "./principal.js";

export interface AuditEntry {
  /** What was done, e.g. "programme.update", "need.status", "contact.erase". */
  action: string;
  subjectType: string;
  subjectId?: string | number;
  /** What changed; never personal data (no names, phone numbers or message texts). */
  details?: Record<string, unknown>;
}

/** Writes who did what and when; call it in the same transaction as the change. */
export async function recordAudit(db: Db, staff: Staff, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    organisationId: staff.organisationId,
    staffUserId: staff.id,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
    details: entry.details ?? {},
  });
}
