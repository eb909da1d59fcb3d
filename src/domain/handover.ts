import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { assistanceRequests, contacts } from "../db/schema/index.js";
import { recordAudit } from "../staff/audit.js";
import type { StaffMember } from "../staff/principal.js";
import { mayTalkTo } from "./conversations.js";
import { enqueueMessage } from "./outbox.js";

/**
 * A staff member talks to a resident from the console. Replying takes the conversation over:
 * `contacts.handover_since` is set (the inbound pipeline then keeps the bot quiet, see
 * src/inbound/handover.ts) and the resident's open assistance requests become in progress,
 * assigned to the staff member. Handing back clears it, closes the requests and tells the
 * resident the bot answers again. Each is one transaction with its outbox row and audit entry.
 */

export const botIsBack = "Petugas sudah selesai. Ketik MENU untuk kembali ke menu.";

export type HandoverResult =
  | { kind: "done" }
  | { kind: "not_found" }
  /** No channel can reach the resident any more; nothing changed. */
  | { kind: "unreachable" };

export async function replyAsStaff(
  db: Db,
  staff: StaffMember,
  request: { contactId: number; text: string; now: Date },
): Promise<HandoverResult> {
  if (!(await mayTalkTo(db, staff, request.contactId))) return { kind: "not_found" };
  return db.transaction(async (tx) => {
    const queued = await enqueueMessage(tx, {
      contactId: request.contactId,
      text: request.text,
      priority: "reply",
      now: request.now,
    });
    // Not queued: nothing was written (enqueueMessage checks before it writes).
    if (!queued.queued) return { kind: "unreachable" };
    await tx
      .update(contacts)
      .set({ handoverSince: request.now })
      .where(and(eq(contacts.id, request.contactId), isNull(contacts.handoverSince)));
    await tx
      .update(assistanceRequests)
      .set({ status: "in_progress", assignedStaffId: staff.id })
      .where(
        and(
          eq(assistanceRequests.contactId, request.contactId),
          inArray(assistanceRequests.status, ["open", "in_progress"]),
        ),
      );
    await recordAudit(tx, staff, {
      action: "conversation.reply",
      subjectType: "contact",
      subjectId: request.contactId,
    });
    return { kind: "done" };
  });
}

export async function handBackToBot(
  db: Db,
  staff: StaffMember,
  request: { contactId: number; now: Date },
): Promise<HandoverResult> {
  if (!(await mayTalkTo(db, staff, request.contactId))) return { kind: "not_found" };
  return db.transaction(async (tx) => {
    const closed = await tx
      .update(assistanceRequests)
      .set({ status: "closed", closedAt: request.now, assignedStaffId: staff.id })
      .where(
        and(
          eq(assistanceRequests.contactId, request.contactId),
          inArray(assistanceRequests.status, ["open", "in_progress"]),
        ),
      )
      .returning({ id: assistanceRequests.id });
    const [released] = await tx
      .update(contacts)
      .set({ handoverSince: null })
      .where(eq(contacts.id, request.contactId))
      .returning({ id: contacts.id });
    if (!released) return { kind: "not_found" };
    await enqueueMessage(tx, {
      contactId: request.contactId,
      text: botIsBack,
      priority: "reply",
      now: request.now,
    });
    await recordAudit(tx, staff, {
      action: "conversation.handback",
      subjectType: "contact",
      subjectId: request.contactId,
      details: { closedRequests: closed.length },
    });
    return { kind: "done" };
  });
}
