import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { needReports, organisations, staffUsers } from "../db/schema/index.js";
import { recordAudit } from "../staff/audit.js";
import { isAdmin, type Staff } from "../staff/principal.js";
import { needsVisibleTo } from "../staff/scope.js";

export interface AssignmentChoices {
  /** Every organisation, for an administrator routing the need; empty for staff. */
  organisations: { id: number; name: string }[];
  /** Active staff members of the organisation the need is assigned to. */
  staff: { id: number; name: string }[];
}

/** Who a need may be given to, as the assignment form offers it. */
export async function assignmentChoices(
  db: Db,
  staff: Staff,
  assignedOrganisationId: number | null,
): Promise<AssignmentChoices> {
  const all = isAdmin(staff)
    ? await db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .orderBy(asc(organisations.name))
    : [];
  const members =
    assignedOrganisationId === null
      ? []
      : await db
          .select({ id: staffUsers.id, name: staffUsers.name })
          .from(staffUsers)
          .where(
            and(
              eq(staffUsers.organisationId, assignedOrganisationId),
              isNull(staffUsers.disabledAt),
            ),
          )
          .orderBy(asc(staffUsers.name));
  return { organisations: all, staff: members };
}

export type AssignResult =
  | { assigned: true }
  | { assigned: false; reason: "not_found" | "unknown_organisation" | "unknown_staff" };

/**
 * Routes a need: an administrator chooses the organisation (null: nobody yet) and a staff member
 * of it; staff of the assigned organisation choose one of their colleagues (or nobody). Routing
 * to another organisation drops the previous staff member unless another one is chosen. The
 * change and its audit entry commit together.
 */
export function assignNeed(
  db: Db,
  staff: Staff,
  input: { needId: number; organisationId?: number | null; staffUserId: number | null },
): Promise<AssignResult> {
  return db.transaction(async (tx) => {
    const [need] = await tx
      .select({
        organisationId: needReports.assignedOrganisationId,
        staffUserId: needReports.assignedStaffId,
      })
      .from(needReports)
      .where(and(eq(needReports.id, input.needId), needsVisibleTo(staff)))
      .for("update");
    if (!need) return { assigned: false, reason: "not_found" };
    const organisationId =
      isAdmin(staff) && input.organisationId !== undefined
        ? input.organisationId
        : need.organisationId;
    if (organisationId !== null && organisationId !== need.organisationId) {
      const [known] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.id, organisationId));
      if (!known) return { assigned: false, reason: "unknown_organisation" };
    }
    // Routed elsewhere with the staff choice left as it was: the old organisation's staff
    // member no longer handles it.
    const staffUserId =
      organisationId !== need.organisationId && input.staffUserId === need.staffUserId
        ? null
        : input.staffUserId;
    if (staffUserId !== null) {
      if (organisationId === null) return { assigned: false, reason: "unknown_staff" };
      const [member] = await tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(
          and(
            eq(staffUsers.id, staffUserId),
            eq(staffUsers.organisationId, organisationId),
            isNull(staffUsers.disabledAt),
          ),
        );
      if (!member) return { assigned: false, reason: "unknown_staff" };
    }
    await tx
      .update(needReports)
      .set({ assignedOrganisationId: organisationId, assignedStaffId: staffUserId })
      .where(eq(needReports.id, input.needId));
    await recordAudit(tx, staff, {
      action: "need.assign",
      subjectType: "need_report",
      subjectId: input.needId,
      details: {
        organisation: { from: need.organisationId, to: organisationId },
        staff_user: { from: need.staffUserId, to: staffUserId },
      },
    });
    return { assigned: true };
  });
}
