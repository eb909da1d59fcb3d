/**
 * Programmes as staff manage them (console and API call these same functions): list, read,
 * create and edit, scoped to what the staff member may see. Each change is audited in its own
 * transaction; more capacity offers the freed seats to the waitlist (`fillFreedSeat`).
 */
import { and, asc, count, eq, getTableColumns, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import {
  areas,
  organisations,
  programmeSessions,
  programmes,
  registrations,
} from "../../db/schema/index.js";
import { recordAudit } from "../../staff/audit.js";
import { isAdmin, ownedBy, type Staff } from "../../staff/principal.js";
import type { VulnerableGroupId } from "../groups.js";
import { fillFreedSeat, lockProgramme } from "../registrations.js";

export const programmeCategoryIds = [
  "menjahit",
  "tata_boga",
  "barista",
  "kecantikan",
  "otomotif",
  "komputer",
  "lainnya",
] as const;
export type ProgrammeCategoryId = (typeof programmeCategoryIds)[number];

export const programmeCategoryLabels: Readonly<Record<ProgrammeCategoryId, string>> = {
  menjahit: "Menjahit / tata busana",
  tata_boga: "Tata boga",
  barista: "Barista",
  kecantikan: "Kecantikan",
  otomotif: "Otomotif",
  komputer: "Komputer / perkantoran",
  lainnya: "Lainnya",
};

/** The label of a stored category; one no longer in the list is shown as stored. */
export const programmeCategoryLabel = (id: string): string =>
  Object.hasOwn(programmeCategoryLabels, id)
    ? programmeCategoryLabels[id as ProgrammeCategoryId]
    : id;

export const programmeStatuses = ["draft", "open", "closed"] as const;
export type ProgrammeStatus = (typeof programmeStatuses)[number];

/** What residents type after "daftar": letters then letters or digits, upper case (MJH03). */
export const programmeCodePattern = /^[A-Z][A-Z0-9]{2,11}$/;

export interface ProgrammeInput {
  /** Only an administrator chooses; staff always create for their own organisation. */
  organisationId?: number | undefined;
  code: string;
  title: string;
  category: ProgrammeCategoryId;
  description: string;
  place: string;
  kelurahanCode: string | null;
  capacity: number;
  targetGroups: VulnerableGroupId[];
  requirements: string;
  accessibilityNotes: string;
  keywords: string[];
  status: ProgrammeStatus;
}

export type ProgrammeProblem =
  | { field: "code"; reason: "code_taken" }
  | { field: "kelurahanCode"; reason: "unknown_kelurahan" }
  | { field: "organisationId"; reason: "unknown_organisation" }
  | { field: "capacity"; reason: "below_seats_taken"; seatsTaken: number };

export type ProgrammeChange =
  | { result: "saved"; id: number; offered: number }
  | { result: "not_found" }
  | ({ result: "invalid" } & ProgrammeProblem);

function columns(now: Date) {
  const own = sql`${registrations.programmeId} = ${programmes.id}`;
  return {
    ...getTableColumns(programmes),
    organisationName: organisations.name,
    waitlistCount:
      sql`(select count(*) from ${registrations} where ${own} and ${registrations.status} = 'waitlisted')`.mapWith(
        Number,
      ),
    nextSessionAt:
      sql<Date | null>`(select min(${programmeSessions.startsAt}) from ${programmeSessions}
      where ${programmeSessions.programmeId} = ${programmes.id} and ${programmeSessions.status} = 'scheduled'
      and ${programmeSessions.startsAt} > ${now.toISOString()}::timestamptz)`.mapWith(
        programmeSessions.startsAt,
      ),
  };
}

export type ManagedProgramme = Awaited<ReturnType<typeof selectProgrammes>>[number];

function selectProgrammes(db: Db, where: SQL | undefined, now: Date) {
  return db
    .select(columns(now))
    .from(programmes)
    .innerJoin(organisations, eq(organisations.id, programmes.organisationId))
    .where(where)
    .orderBy(asc(programmes.code));
}

export interface ProgrammeFilter {
  now: Date;
  status?: ProgrammeStatus | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The programmes `staff` may see (an administrator: all), by code, with seats and next session. */
export async function listManagedProgrammes(
  db: Db,
  staff: Staff,
  filter: ProgrammeFilter,
): Promise<{ programmes: ManagedProgramme[]; total: number }> {
  const where = and(
    ownedBy(staff, programmes.organisationId),
    filter.status ? eq(programmes.status, filter.status) : undefined,
  );
  let query = selectProgrammes(db, where, filter.now).$dynamic();
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  if (filter.offset !== undefined) query = query.offset(filter.offset);
  const [total] = await db.select({ n: count() }).from(programmes).where(where);
  return { programmes: await query, total: total?.n ?? 0 };
}

/** One programme `staff` may see; undefined for another organisation's (as if it did not exist). */
export async function findManagedProgramme(
  db: Db,
  staff: Staff,
  id: number,
  now: Date,
): Promise<ManagedProgramme | undefined> {
  const [row] = await selectProgrammes(
    db,
    and(eq(programmes.id, id), ownedBy(staff, programmes.organisationId)),
    now,
  );
  return row;
}

async function problemWith(
  tx: Db,
  input: Partial<ProgrammeInput>,
  programmeId: number | null,
): Promise<ProgrammeProblem | undefined> {
  if (input.code !== undefined) {
    const [taken] = await tx
      .select({ id: programmes.id })
      .from(programmes)
      .where(
        and(
          eq(programmes.code, input.code),
          programmeId === null ? undefined : ne(programmes.id, programmeId),
        ),
      );
    if (taken) return { field: "code", reason: "code_taken" };
  }
  if (input.kelurahanCode) {
    const [area] = await tx
      .select({ code: areas.code })
      .from(areas)
      .where(and(eq(areas.code, input.kelurahanCode), eq(areas.kind, "kelurahan")));
    if (!area) return { field: "kelurahanCode", reason: "unknown_kelurahan" };
  }
  if (input.organisationId !== undefined) {
    const [organisation] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId));
    if (!organisation) return { field: "organisationId", reason: "unknown_organisation" };
  }
  return undefined;
}

/** The organisation a change is for: an administrator's choice, otherwise the staff member's own. */
function organiserFor(staff: Staff, input: Partial<ProgrammeInput>): number | undefined {
  return isAdmin(staff) ? input.organisationId : undefined;
}

export function createProgramme(
  db: Db,
  staff: Staff,
  input: ProgrammeInput,
  now: Date,
): Promise<ProgrammeChange> {
  return db.transaction(async (tx) => {
    const values = { ...input, organisationId: organiserFor(staff, input) };
    const problem = await problemWith(tx, values, null);
    if (problem) return { result: "invalid", ...problem };
    const [created] = await tx
      .insert(programmes)
      .values({
        ...values,
        organisationId: values.organisationId ?? staff.organisationId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: programmes.id });
    if (!created) throw new Error("programme not created");
    await recordAudit(tx, staff, {
      action: "programme.create",
      subjectType: "programme",
      subjectId: created.id,
      details: { code: input.code, status: input.status, capacity: input.capacity },
    });
    return { result: "saved", id: created.id, offered: 0 };
  });
}

/**
 * Changes what `changes` names. Capacity below the seats already held is refused; more capacity
 * offers the new seats to the waitlist, first in line first (the residents are told).
 */
export function updateProgramme(
  db: Db,
  staff: Staff,
  id: number,
  changes: Partial<ProgrammeInput>,
  input: { now: Date; offerTtlMs: number },
): Promise<ProgrammeChange> {
  return db.transaction(async (tx) => {
    const [owned] = await tx
      .select({ id: programmes.id })
      .from(programmes)
      .where(and(eq(programmes.id, id), ownedBy(staff, programmes.organisationId)));
    const before = owned && (await lockProgramme(tx, id));
    if (!before) return { result: "not_found" };
    const values = { ...changes, organisationId: organiserFor(staff, changes) };
    const problem = await problemWith(tx, values, id);
    if (problem) return { result: "invalid", ...problem };
    if (values.capacity !== undefined && values.capacity < before.capacity) {
      if (values.capacity < before.seatsTaken) {
        return {
          result: "invalid",
          field: "capacity",
          reason: "below_seats_taken",
          seatsTaken: before.seatsTaken,
        };
      }
    }
    await tx
      .update(programmes)
      .set({ ...values, updatedAt: input.now })
      .where(eq(programmes.id, id));
    const offered =
      values.capacity !== undefined && values.capacity > before.capacity
        ? await fillFreedSeat(tx, { programmeId: id, now: input.now, offerTtlMs: input.offerTtlMs })
        : [];
    await recordAudit(tx, staff, {
      action: "programme.update",
      subjectType: "programme",
      subjectId: id,
      details: { fields: Object.keys(changes).sort(), offered: offered.length },
    });
    return { result: "saved", id, offered: offered.length };
  });
}

/** The kelurahan staff may pick as a programme's place, by name. */
export function kelurahanChoices(db: Db): Promise<{ code: string; name: string }[]> {
  return db
    .select({ code: areas.code, name: areas.name })
    .from(areas)
    .where(eq(areas.kind, "kelurahan"))
    .orderBy(asc(areas.name));
}
