import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { areas, channelNames, programmes, registrationStatuses } from "../../db/schema/index.js";
import { vulnerableGroupIds } from "../groups.js";

const list = <T extends z.ZodType>(item: T) => z.array(item).max(100).optional();

/**
 * Who receives an announcement. Every field narrows the audience; an absent field or an empty
 * list does not filter. Empty: every consented resident. Always left out: residents who opted out
 * (BERHENTI), erased or linked-away contacts, residents without consent, unreachable identities.
 *
 * - `programmeId` / `registrationStatuses`: residents with a registration in that programme (which
 *   must belong to the organisation) in one of the statuses, by default `registered`; statuses
 *   without a programme mean any programme of the organisation.
 * - `kecamatan` / `kelurahan` (Kemendagri codes): the resident lives in one of them; given
 *   together they add up (kecamatan A plus kelurahan X of kecamatan B).
 * - `groups`: the resident chose at least one of these vulnerable groups.
 * - `channels`: only identities on these channels are used.
 */
export const broadcastAudienceSchema = z
  .object({
    programmeId: z.number().int().positive().optional(),
    registrationStatuses: list(z.enum(registrationStatuses)),
    kecamatan: list(z.string().trim().min(1)),
    kelurahan: list(z.string().trim().min(1)),
    groups: list(z.enum(vulnerableGroupIds)),
    channels: list(z.enum(channelNames)),
  })
  .strict();

export type BroadcastAudience = z.infer<typeof broadcastAudienceSchema>;

/** Registration statuses a programme audience means when none are given: the participants. */
export const defaultRegistrationStatuses = ["registered"] as const;

/** A value staff gave that cannot be used; `field` names it, `message` is Indonesian. */
export class BroadcastInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "BroadcastInputError";
  }
}

/**
 * Parses a stored or submitted audience and checks it against the database: the programme
 * belongs to `organisationId`, the area codes exist and are of the right kind. Throws a ZodError
 * for a malformed audience and a {@link BroadcastInputError} for a programme or area not found.
 */
export async function checkAudience(
  db: Db,
  organisationId: number,
  input: unknown,
): Promise<BroadcastAudience> {
  const audience = broadcastAudienceSchema.parse(input);
  if (audience.programmeId !== undefined) {
    const [programme] = await db
      .select({ id: programmes.id })
      .from(programmes)
      .where(
        and(eq(programmes.id, audience.programmeId), eq(programmes.organisationId, organisationId)),
      );
    if (!programme) {
      throw new BroadcastInputError("audience.programmeId", "Program tidak ditemukan");
    }
  }
  for (const kind of ["kecamatan", "kelurahan"] as const) {
    const codes = [...new Set(audience[kind] ?? [])];
    if (codes.length === 0) continue;
    const found = await db
      .select({ code: areas.code })
      .from(areas)
      .where(and(inArray(areas.code, codes), eq(areas.kind, kind)));
    const known = new Set(found.map((row) => row.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new BroadcastInputError(
        `audience.${kind}`,
        `Kode ${kind} tidak dikenal: ${unknown.join(", ")}`,
      );
    }
  }
  return audience;
}

const textArray = (values: readonly string[]): SQL =>
  sql`array[${sql.join(
    values.map((value) => sql`${value}::text`),
    sql`, `,
  )}]::text[]`;

const present = (values: readonly string[] | undefined): values is readonly string[] =>
  values !== undefined && values.length > 0;

/**
 * The recipients of `audience` as SQL: one row per contact (`contact_id`, `identity_id`,
 * `channel`, `name`, `kelurahan_code`), through the contact's most recently active reachable
 * identity on an allowed channel, in contact id order. On WhatsApp (Web) only identities the
 * resident wrote from. The audience must have been checked with {@link checkAudience}.
 */
export function recipientsQuery(organisationId: number, audience: BroadcastAudience): SQL {
  const filters: SQL[] = [
    sql`c.erased_at is null`,
    sql`c.consented_at is not null`,
    sql`c.announcements_opted_out_at is null`,
    sql`i.unreachable_at is null`,
    sql`(i.channel <> 'whatsapp' or i.last_inbound_at is not null)`,
  ];
  if (present(audience.channels))
    filters.push(sql`i.channel = any(${textArray(audience.channels)})`);
  const places: SQL[] = [];
  if (present(audience.kecamatan)) {
    places.push(sql`c.kecamatan_code = any(${textArray(audience.kecamatan)})`);
  }
  if (present(audience.kelurahan)) {
    places.push(sql`c.kelurahan_code = any(${textArray(audience.kelurahan)})`);
  }
  if (places.length > 0) filters.push(sql`(${sql.join(places, sql` or `)})`);
  if (present(audience.groups)) filters.push(sql`c.groups && ${textArray(audience.groups)}`);
  if (audience.programmeId !== undefined || present(audience.registrationStatuses)) {
    const statuses = present(audience.registrationStatuses)
      ? audience.registrationStatuses
      : defaultRegistrationStatuses;
    const programme =
      audience.programmeId === undefined
        ? sql``
        : sql`and r.programme_id = ${audience.programmeId}::int`;
    filters.push(sql`exists (
      select 1 from registrations r
      join programmes p on p.id = r.programme_id
      where r.contact_id = c.id and p.organisation_id = ${organisationId}::int ${programme}
        and r.status = any(${textArray(statuses)}))`);
  }
  return sql`
    select distinct on (c.id)
      c.id as contact_id, i.id as identity_id, i.channel, c.name, c.kelurahan_code
    from contacts c
    join channel_identities i on i.contact_id = c.id
    where ${sql.join(filters, sql` and `)}
    order by c.id, i.last_inbound_at desc nulls last, i.id desc`;
}
