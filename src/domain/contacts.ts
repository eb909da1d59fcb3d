import { and, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { ChannelName } from "../channels/contract.js";
import { atomically, type Db } from "../db/client.js";
import { areas, channelIdentities, consentRecords, contacts } from "../db/schema/index.js";
import { jsonRows, numberOf, rowsOf } from "../db/sql-rows.js";
import type { DisabilityTypeId, VulnerableGroupId } from "./groups.js";

export interface IdentityInput {
  channel: ChannelName;
  externalId: string;
  displayName?: string;
  /** E.164, when the platform tells it. */
  phone?: string;
  now: Date;
}

export interface EnsuredIdentity {
  contactId: number;
  identityId: number;
  /** True when this message is the first from this channel address (a new contact). */
  created: boolean;
}

/**
 * The contact behind a channel address, created on the first message. Safe under concurrency:
 * when two first messages race, the identity insert of one does nothing on the unique
 * (channel, external id), and that one drops the contact it had just made and uses the winner's.
 * Also records the address as active now, and the display name and phone the platform reports.
 * A known address (nearly every message) takes one statement.
 */
export async function ensureIdentity(db: Db, input: IdentityInput): Promise<EnsuredIdentity> {
  return (await touchIdentity(db, input)) ?? createIdentity(db, input);
}

/**
 * Creates the contact of an address believed new (ensureIdentity); if the address was created
 * meanwhile, that contact is used.
 */
export function createIdentity(db: Db, input: IdentityInput): Promise<EnsuredIdentity> {
  return atomically(db, async (tx) => {
    const [contact] = await tx
      .insert(contacts)
      .values({ phone: input.phone ?? null, createdAt: input.now })
      .returning({ id: contacts.id });
    if (!contact) throw new Error("contact was not inserted");
    const [identity] = await tx
      .insert(channelIdentities)
      .values({
        contactId: contact.id,
        channel: input.channel,
        externalId: input.externalId,
        displayName: input.displayName ?? null,
        phone: input.phone ?? null,
        lastInboundAt: input.now,
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .returning({ id: channelIdentities.id });
    if (identity) return { contactId: contact.id, identityId: identity.id, created: true };
    await tx.delete(contacts).where(eq(contacts.id, contact.id));
    const winner = await touchIdentity(tx, input);
    if (!winner) throw new Error("channel identity vanished while it was being created");
    return winner;
  });
}

/**
 * Marks a known address active now (reachable again), with the display name and phone the
 * platform reports; a reported phone also fills the contact's when it has none. Undefined for
 * an unknown address.
 */
async function touchIdentity(db: Db, input: IdentityInput): Promise<EnsuredIdentity | undefined> {
  const [row] = rowsOf(
    await db.execute(sql`${touchedIdentities([input])} select id, contact_id from touched`),
  );
  if (!row) return undefined;
  return { contactId: numberOf(row.contact_id), identityId: numberOf(row.id), created: false };
}

/**
 * The start of a statement that marks known addresses active (see touchIdentity): the CTE
 * `arrived` holds the inputs (ord: their index) and `touched` a row (ord, id, contact_id) for
 * each input from a known address. An address may come more than once (two messages of one
 * sender); its row is updated once, with its last input. The inbound pipeline stores the
 * messages in the same statement, with more columns in `arrived` (`extra`).
 */
export function touchedIdentities<Input extends IdentityInput>(
  inputs: readonly Input[],
  extra: SQL = sql``,
): SQL {
  const arrived = inputs.map(({ channel, externalId, now, displayName, phone, ...more }, ord) => ({
    ...more,
    ord,
    channel,
    external_id: externalId,
    now: now.toISOString(),
    display_name: displayName ?? null,
    phone: phone ?? null,
  }));
  return sql`
    with arrived as (
      select * from ${jsonRows(
        arrived,
        sql`ord int, channel text, external_id text, now timestamptz, display_name text,
          phone text${extra}`,
      )} as a
    ), updated as (
      update channel_identities ci
      set last_inbound_at = a.now, unreachable_at = null,
        display_name = coalesce(a.display_name, ci.display_name),
        phone = coalesce(a.phone, ci.phone)
      from (select distinct on (channel, external_id) * from arrived
        order by channel, external_id, ord desc) a
      where ci.channel = a.channel and ci.external_id = a.external_id
      returning ci.id, ci.contact_id, ci.channel, ci.external_id
    ), touched as (
      select a.ord, u.id, u.contact_id
      from arrived a join updated u on u.channel = a.channel and u.external_id = a.external_id
    ), contact_phone as (
      update contacts c set phone = a.phone
      from touched t join arrived a using (ord)
      where a.phone is not null and c.phone is null and c.id = t.contact_id
    )`;
}

export type ConsentState = "unknown" | "given" | "refused";

export interface ContactStatus {
  /** No consent answer and no profile yet: the first conversation. */
  isNew: boolean;
  /** The latest consent answer. */
  consent: ConsentState;
  name: string | null;
  /** Name and kelurahan are known. */
  profileComplete: boolean;
  phoneKnown: boolean;
  kecamatanCode: string | null;
  kecamatanName: string | null;
  kelurahanCode: string | null;
  kelurahanName: string | null;
  announcementsOn: boolean;
}

/** The contact's status in one statement (flows ask for it several times in one turn). */
export async function contactStatus(db: Db, contactId: number): Promise<ContactStatus> {
  // Plain SQL: inside a one-table select Drizzle names columns without their table.
  const [contact] = await db
    .select({
      name: contacts.name,
      phone: contacts.phone,
      kecamatanCode: contacts.kecamatanCode,
      kelurahanCode: contacts.kelurahanCode,
      announcementsOptedOutAt: contacts.announcementsOptedOutAt,
      kecamatanName: sql<
        string | null
      >`(select a.name from areas a where a.code = contacts.kecamatan_code)`,
      kelurahanName: sql<
        string | null
      >`(select a.name from areas a where a.code = contacts.kelurahan_code)`,
      latestConsent: sql<boolean | null>`(select r.granted from consent_records r
        where r.contact_id = contacts.id order by r.recorded_at desc, r.id desc limit 1)`,
    })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  if (!contact) throw new Error(`no contact ${contactId}`);
  const consent: ConsentState =
    contact.latestConsent === null ? "unknown" : contact.latestConsent ? "given" : "refused";
  const hasProfile = contact.name !== null || contact.kelurahanCode !== null;
  return {
    isNew: contact.latestConsent === null && !hasProfile,
    consent,
    name: contact.name,
    profileComplete: contact.name !== null && contact.kelurahanCode !== null,
    phoneKnown: contact.phone !== null,
    kecamatanCode: contact.kecamatanCode,
    kecamatanName: contact.kecamatanCode ? contact.kecamatanName : null,
    kelurahanCode: contact.kelurahanCode,
    kelurahanName: contact.kelurahanCode ? contact.kelurahanName : null,
    announcementsOn: contact.announcementsOptedOutAt === null,
  };
}

/** Names of the given area codes (kecamatan or kelurahan); unknown and null codes are left out. */
export async function areaNames(
  db: Db,
  codes: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = codes.filter((code): code is string => code !== null);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ code: areas.code, name: areas.name })
    .from(areas)
    .where(inArray(areas.code, wanted));
  return new Map(rows.map((row) => [row.code, row.name]));
}

/**
 * The kecamatan and kelurahan to store: the kelurahan decides, since it belongs to exactly one
 * kecamatan; a kecamatan alone is kept when no (known) kelurahan is given. Unknown codes are null.
 */
export async function resolveAreas(
  db: Db,
  kecamatan: string | null,
  kelurahan: string | null,
): Promise<{ kecamatanCode: string | null; kelurahanCode: string | null }> {
  const codes = [kecamatan, kelurahan].filter((code): code is string => code !== null);
  if (codes.length === 0) return { kecamatanCode: null, kelurahanCode: null };
  const rows = await db
    .select({ code: areas.code, kind: areas.kind, parentCode: areas.parentCode })
    .from(areas)
    .where(inArray(areas.code, codes));
  const village = rows.find((row) => row.code === kelurahan && row.kind === "kelurahan");
  if (village) return { kecamatanCode: village.parentCode, kelurahanCode: village.code };
  const district = rows.find((row) => row.code === kecamatan && row.kind === "kecamatan");
  return { kecamatanCode: district?.code ?? null, kelurahanCode: null };
}

export interface Profile {
  name: string;
  kecamatan: string;
  kelurahan: string;
  groups: readonly VulnerableGroupId[];
  /** Sensitive: kept only when the groups include "disabilitas". */
  disabilityTypes?: readonly DisabilityTypeId[];
  /** E.164; left as it is when not given. */
  phone?: string;
}

export async function saveProfile(db: Db, contactId: number, profile: Profile): Promise<void> {
  const place = await resolveAreas(db, profile.kecamatan, profile.kelurahan);
  const groups = [...new Set(profile.groups)];
  const disabled = groups.includes("disabilitas");
  await db
    .update(contacts)
    .set({
      name: profile.name.trim(),
      ...place,
      groups,
      disabilityTypes:
        disabled && profile.disabilityTypes ? [...new Set(profile.disabilityTypes)] : null,
      ...(profile.phone === undefined ? {} : { phone: profile.phone }),
    })
    .where(eq(contacts.id, contactId));
}

export interface ConsentAnswer {
  contactId: number;
  channel: ChannelName;
  granted: boolean;
  /** The exact text the resident saw. */
  text: string;
  now: Date;
}

/** Stores the answer with its text and time; consent given sets `consented_at`, refused clears it. */
export async function recordConsent(db: Db, answer: ConsentAnswer): Promise<void> {
  await db.insert(consentRecords).values({
    contactId: answer.contactId,
    granted: answer.granted,
    text: answer.text,
    channel: answer.channel,
    recordedAt: answer.now,
  });
  await db
    .update(contacts)
    .set({ consentedAt: answer.granted ? answer.now : null })
    .where(eq(contacts.id, answer.contactId));
}

/**
 * BERHENTI (`wanted` false) and LANGGANAN (`wanted` true). `already` is true when announcements
 * were already in the wanted state, so the reply can say so.
 */
export async function setAnnouncements(
  db: Db,
  contactId: number,
  wanted: boolean,
  now: Date,
): Promise<{ already: boolean }> {
  const changed = await db
    .update(contacts)
    .set({ announcementsOptedOutAt: wanted ? null : now })
    .where(
      and(
        eq(contacts.id, contactId),
        wanted
          ? isNotNull(contacts.announcementsOptedOutAt)
          : isNull(contacts.announcementsOptedOutAt),
      ),
    )
    .returning({ id: contacts.id });
  return { already: changed.length === 0 };
}

/** Every kecamatan and kelurahan, by name (filters and forms offer them). */
export function listAreas(
  db: Db,
): Promise<{ code: string; kind: "kecamatan" | "kelurahan"; name: string }[]> {
  return db
    .select({ code: areas.code, kind: areas.kind, name: areas.name })
    .from(areas)
    .orderBy(areas.name);
}
