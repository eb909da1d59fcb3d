import { eq, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

export type StaffRole = "admin" | "staff";

/** Who is acting in the console or the API, and which organisation they act for. */
export interface Staff {
  /** Null for an API token (it acts for its organisation, not for a person). */
  readonly id: number | null;
  readonly name: string;
  readonly email: string | null;
  readonly role: StaffRole;
  readonly organisationId: number;
  readonly organisationName: string;
}

/** A person logged in to the console (not an API token). */
export type StaffMember = Staff & { readonly id: number };

export const isAdmin = (staff: Staff): boolean => staff.role === "admin";

/**
 * The condition that keeps a query to what `staff` may see: rows of their organisation, or
 * everything for an administrator (who manages all organisations). Pass it to `and(...)`.
 */
export function ownedBy(staff: Staff, organisationColumn: AnyPgColumn): SQL | undefined {
  return isAdmin(staff) ? undefined : eq(organisationColumn, staff.organisationId);
}

/** Whether `staff` may act on a row that belongs to `organisationId`. */
export function mayAccess(staff: Staff, organisationId: number | null): boolean {
  return isAdmin(staff) || organisationId === staff.organisationId;
}
