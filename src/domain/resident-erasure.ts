import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { contacts } from "../db/schema/index.js";
import { recordAudit } from "../staff/audit.js";
import type { Staff } from "../staff/principal.js";
import { residentsVisibleTo } from "../staff/scope.js";
import { eraseContact } from "./erasure.js";

/**
 * A staff member erases a resident on the resident's request: the same erasure as HAPUS DATA
 * (src/domain/erasure.ts), for a resident they may see, with the staff member in the audit log
 * (counts only, no personal data). False when the resident is not theirs or already erased.
 */
export function eraseResident(
  db: Db,
  staff: Staff,
  input: { contactId: number; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [visible] = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.id, input.contactId), residentsVisibleTo(staff)));
    if (!visible) return false;
    const result = await eraseContact(tx, input);
    if (!result.erased) return false;
    await recordAudit(tx, staff, {
      action: "contact.erase",
      subjectType: "contact",
      subjectId: input.contactId,
      details: { requested_by: "resident", through: "staff" },
    });
    return true;
  });
}
