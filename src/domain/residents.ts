import { and, asc, count, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import {
  areas,
  channelIdentities,
  consentRecords,
  contacts,
  programmes,
  type RegistrationStatus,
  registrations,
} from "../db/schema/index.js";
import { parsePhone } from "../engine/understand/phone.js";
import { ownedBy, type Staff } from "../staff/principal.js";
import { residentsVisibleTo } from "../staff/scope.js";

export interface ResidentSummary {
  id: number;
  name: string | null;
  /** E.164. */
  phone: string | null;
  kecamatanName: string | null;
  kelurahanName: string | null;
  createdAt: Date;
}

const kecamatan = alias(areas, "kecamatan");
const kelurahan = alias(areas, "kelurahan");

const summaryColumns = {
  id: contacts.id,
  name: contacts.name,
  phone: contacts.phone,
  kecamatanName: kecamatan.name,
  kelurahanName: kelurahan.name,
  createdAt: contacts.createdAt,
};

/** Joins the names of a contact's kecamatan and kelurahan. */
const areaJoins = {
  kecamatan: eq(kecamatan.code, contacts.kecamatanCode),
  kelurahan: eq(kelurahan.code, contacts.kelurahanCode),
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * What a search matches: a phone number in any form residents and staff write it (0812…,
 * 62812…, +62 812…) matches the resident's number or a number a channel reported; anything else
 * matches a part of the name, or a part of the number when it has four digits or more.
 */
function matching(query: string): SQL | undefined {
  const text = query.trim();
  if (text === "") return undefined;
  const phone = parsePhone(text);
  if (phone.kind === "mobile") {
    return or(
      eq(contacts.phone, phone.e164),
      sql`exists (select 1 from ${channelIdentities} where ${channelIdentities.contactId} = ${contacts.id} and ${channelIdentities.phone} = ${phone.e164})`,
    );
  }
  const digits = text.replace(/\D/g, "").replace(/^(?:62|0)/, "");
  return or(
    ilike(contacts.name, likePattern(text)),
    digits.length >= 4 ? ilike(contacts.phone, likePattern(digits)) : undefined,
  );
}

/** The residents `staff` may see that match the search, by name. */
export async function searchResidents(
  db: Db,
  staff: Staff,
  query: string,
  page: { limit: number; offset: number },
): Promise<{ rows: ResidentSummary[]; total: number }> {
  const where = and(residentsVisibleTo(staff), matching(query));
  const rows = await db
    .select(summaryColumns)
    .from(contacts)
    .leftJoin(kecamatan, areaJoins.kecamatan)
    .leftJoin(kelurahan, areaJoins.kelurahan)
    .where(where)
    .orderBy(sql`${contacts.name} asc nulls last`, asc(contacts.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await db.select({ n: count() }).from(contacts).where(where);
  return { rows, total: total?.n ?? 0 };
}

export interface ResidentProfile extends ResidentSummary {
  groups: string[];
  /** Sensitive (UU 27/2022); only ever shown to staff who may see the resident. */
  disabilityTypes: string[] | null;
  consentedAt: Date | null;
  announcementsOn: boolean;
  consents: { granted: boolean; text: string; channel: ChannelName; recordedAt: Date }[];
  channels: {
    channel: ChannelName;
    displayName: string | null;
    reachable: boolean;
    lastInboundAt: Date | null;
  }[];
  /** In the staff member's organisation's programmes (all of them for an administrator). */
  registrations: {
    id: number;
    programmeCode: string;
    title: string;
    status: RegistrationStatus;
    waitlistPosition: number | null;
    updatedAt: Date;
  }[];
}

/** A resident's profile, when `staff` may see them; their reports and messages are apart. */
export async function findResident(
  db: Db,
  staff: Staff,
  id: number,
): Promise<ResidentProfile | undefined> {
  const [contact] = await db
    .select({
      ...summaryColumns,
      groups: contacts.groups,
      disabilityTypes: contacts.disabilityTypes,
      consentedAt: contacts.consentedAt,
      announcementsOptedOutAt: contacts.announcementsOptedOutAt,
    })
    .from(contacts)
    .leftJoin(kecamatan, areaJoins.kecamatan)
    .leftJoin(kelurahan, areaJoins.kelurahan)
    .where(and(eq(contacts.id, id), residentsVisibleTo(staff)));
  if (!contact) return undefined;
  const consents = await db
    .select({
      granted: consentRecords.granted,
      text: consentRecords.text,
      channel: consentRecords.channel,
      recordedAt: consentRecords.recordedAt,
    })
    .from(consentRecords)
    .where(eq(consentRecords.contactId, id))
    .orderBy(asc(consentRecords.recordedAt), asc(consentRecords.id));
  const channels = await db
    .select({
      channel: channelIdentities.channel,
      displayName: channelIdentities.displayName,
      unreachableAt: channelIdentities.unreachableAt,
      lastInboundAt: channelIdentities.lastInboundAt,
    })
    .from(channelIdentities)
    .where(eq(channelIdentities.contactId, id))
    .orderBy(sql`${channelIdentities.lastInboundAt} desc nulls last`);
  const registered = await db
    .select({
      id: registrations.id,
      programmeCode: programmes.code,
      title: programmes.title,
      status: registrations.status,
      waitlistPosition: registrations.waitlistPosition,
      updatedAt: registrations.updatedAt,
    })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .where(and(eq(registrations.contactId, id), ownedBy(staff, programmes.organisationId)))
    .orderBy(desc(registrations.updatedAt), desc(registrations.id));
  const { announcementsOptedOutAt, ...rest } = contact;
  return {
    ...rest,
    announcementsOn: announcementsOptedOutAt === null,
    consents,
    channels: channels.map(({ unreachableAt, ...identity }) => ({
      ...identity,
      reachable: unreachableAt === null,
    })),
    registrations: registered,
  };
}
