import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.js";

/** A government office (Dinas) or an NGO (LSM) that runs programmes and follows up needs. */
export const organisations = pgTable("organisations", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ["pemerintah", "lsm"] }).notNull(),
  createdAt: createdAt(),
});

export const staffUsers = pgTable("staff_users", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  organisationId: integer("organisation_id")
    .notNull()
    .references(() => organisations.id),
  /** Stored lower case. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "staff"] }).notNull(),
  disabledAt: instant("disabled_at"),
  createdAt: createdAt(),
});

/** Console login sessions; the cookie holds a random token, the table only its hash. */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    staffUserId: integer("staff_user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    expiresAt: instant("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("staff_sessions_staff_user_idx").on(t.staffUserId)],
);

/** Bearer tokens for the REST API, scoped to one organisation, stored hashed. */
export const apiTokens = pgTable("api_tokens", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  organisationId: integer("organisation_id")
    .notNull()
    .references(() => organisations.id),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdBy: integer("created_by").references(() => staffUsers.id),
  revokedAt: instant("revoked_at"),
  createdAt: createdAt(),
});

/** Kecamatan and kelurahan of Kota Balikpapan (Kemendagri codes). */
export const areas = pgTable(
  "areas",
  {
    code: text("code").primaryKey(),
    kind: text("kind", { enum: ["kecamatan", "kelurahan"] }).notNull(),
    name: text("name").notNull(),
    parentCode: text("parent_code"),
    aliases: text("aliases").array().notNull().default([]),
  },
  (t) => [index("areas_parent_idx").on(t.parentCode)],
);

/**
 * A resident. Personal fields are nullable: erasure (HAPUS DATA) clears them and sets
 * `erasedAt`, keeping the row so anonymous counts stay right. A contact linked into another
 * (one resident on two apps, src/domain/linking.ts) is emptied the same way and also gets
 * `mergedIntoContactId`: `erasedAt is null` alone says "is a resident".
 */
export const contacts = pgTable(
  "contacts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    name: text("name"),
    /** Verified mobile number in E.164 (+62812…), from the profile or the channel. */
    phone: text("phone"),
    kecamatanCode: text("kecamatan_code").references(() => areas.code),
    kelurahanCode: text("kelurahan_code").references(() => areas.code),
    /** Vulnerable groups the resident chose (see BAHASA.md), e.g. "disabilitas", "lansia". */
    groups: text("groups").array().notNull().default([]),
    /** Sensitive (UU 27/2022): disability types per UU 8/2016 — fisik, intelektual, mental, sensorik. */
    disabilityTypes: text("disability_types").array(),
    consentedAt: instant("consented_at"),
    announcementsOptedOutAt: instant("announcements_opted_out_at"),
    /** While set, a staff member is talking to the resident and the bot stays quiet. */
    handoverSince: instant("handover_since"),
    /** Last outbox sequence number used; each new outgoing message takes the next. */
    lastOutboxSequence: bigint("last_outbox_sequence", { mode: "number" }).notNull().default(0),
    erasedAt: instant("erased_at"),
    /** Set with `erasedAt` when the resident linked this contact into another (not an erasure). */
    mergedIntoContactId: bigint("merged_into_contact_id", { mode: "number" }).references(
      (): AnyPgColumn => contacts.id,
    ),
    createdAt: createdAt(),
  },
  (t) => [index("contacts_phone_idx").on(t.phone)],
);

export const channelNames = ["simulator", "telegram", "whatsapp"] as const;
export type ChannelName = (typeof channelNames)[number];

/**
 * How a resident is reached on one channel. `externalId` is the channel's address: a simulator
 * id, a Telegram chat id (a 64-bit integer kept as its exact decimal text, never a JS float) or a
 * WhatsApp chat id (628…@c.us, or …@lid with no phone). The phone the platform reported is kept
 * apart and may be unknown.
 */
export const channelIdentities = pgTable(
  "channel_identities",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    channel: text("channel", { enum: channelNames }).notNull(),
    externalId: text("external_id").notNull(),
    phone: text("phone"),
    displayName: text("display_name"),
    unreachableAt: instant("unreachable_at"),
    lastInboundAt: instant("last_inbound_at"),
    /** The address HAPUS DATA came from, kept only until its farewell is sent (erasure.ts). */
    keptForFarewell: boolean("kept_for_farewell").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("channel_identities_channel_external_uq").on(t.channel, t.externalId),
    index("channel_identities_contact_idx").on(t.contactId),
    index("channel_identities_phone_idx").on(t.phone),
    index("channel_identities_farewell_idx").on(t.id).where(sql`${t.keptForFarewell}`),
  ],
);

/** Every consent given or withdrawn, with the exact text the resident saw. */
export const consentRecords = pgTable(
  "consent_records",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    granted: boolean("granted").notNull(),
    text: text("text").notNull(),
    channel: text("channel", { enum: channelNames }).notNull(),
    recordedAt: instant("recorded_at").notNull(),
  },
  (t) => [index("consent_records_contact_idx").on(t.contactId)],
);

/** Who changed what, when: every staff change and every erasure. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id").references(() => organisations.id),
    staffUserId: integer("staff_user_id").references(() => staffUsers.id),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_organisation_idx").on(t.organisationId, t.createdAt)],
);

/**
 * A resident asked to link this contact (`contactId`, e.g. their Telegram) with an existing one
 * that has the same phone number (`targetContactId`, e.g. their WhatsApp). A 6-digit code went to
 * the target's app; only its hash is kept. `linkedAt` is set when the right code came back in
 * time, and the contact was then merged into the target.
 */
export const contactLinks = pgTable(
  "contact_links",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    targetContactId: bigint("target_contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    /** sha256 (hex) of the code bound to this pair of contacts; never the code itself. */
    codeHash: text("code_hash").notNull(),
    expiresAt: instant("expires_at").notNull(),
    /** Codes typed so far, right or wrong. */
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    linkedAt: instant("linked_at"),
  },
  (t) => [
    index("contact_links_contact_idx").on(t.contactId, t.createdAt),
    index("contact_links_target_idx").on(t.targetContactId, t.createdAt),
  ],
);
