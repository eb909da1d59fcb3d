import { and, isNull, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { contacts, needReports, programmes, registrations } from "../db/schema/index.js";
import { isAdmin, ownedBy, type Staff } from "./principal.js";

/**
 * Who sees which needs and residents. Written once here; every page, endpoint and count uses it.
 *
 * - Needs: staff see the needs assigned to their organisation; administrators see all of them,
 *   unassigned ones included, and route them.
 * - Residents: staff see the residents connected to their organisation — registered (any status)
 *   in one of its programmes, or with a need assigned to it; administrators see all residents.
 *   Erased residents are never listed (their anonymous rows stay for counts).
 */

/** The condition on need_reports for what `staff` may see; undefined for administrators. */
export function needsVisibleTo(staff: Staff): SQL | undefined {
  return ownedBy(staff, needReports.assignedOrganisationId);
}

/**
 * The condition that the contact in `contactId` (any column holding a contact id, or an SQL
 * expression such as sql`c.id` in a raw query) is connected to the staff member's organisation;
 * undefined for administrators.
 */
export function connectedTo(staff: Staff, contactId: AnyPgColumn | SQL): SQL | undefined {
  if (isAdmin(staff)) return undefined;
  const organisationId = staff.organisationId;
  return sql`(exists (select 1 from ${registrations} join ${programmes} on ${programmes.id} = ${registrations.programmeId} where ${registrations.contactId} = ${contactId} and ${programmes.organisationId} = ${organisationId}) or exists (select 1 from ${needReports} where ${needReports.contactId} = ${contactId} and ${needReports.assignedOrganisationId} = ${organisationId}))`;
}

/** The condition on contacts for the residents `staff` may list and open. */
export function residentsVisibleTo(staff: Staff): SQL | undefined {
  return and(isNull(contacts.erasedAt), connectedTo(staff, contacts.id));
}
