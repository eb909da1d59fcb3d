import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.js";
import { channelIdentities, channelNames, contacts, organisations, staffUsers } from "./people.js";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/**
 * Where a resident is in a conversation: one row per contact. `flowId` and `stepId` are the
 * stable names from flows/*.yaml; `flowVersion` lets an edited flow be handled deliberately.
 */
export const conversations = pgTable("conversations", {
  contactId: bigint("contact_id", { mode: "number" })
    .primaryKey()
    .references(() => contacts.id),
  flowId: text("flow_id"),
  stepId: text("step_id"),
  flowVersion: integer("flow_version"),
  variables: jsonb("variables").$type<Record<string, unknown>>().notNull().default({}),
  /** Invalid answers in a row at the current question. */
  attempts: integer("attempts").notNull().default(0),
  /** The engine's bookkeeping: sub-flow return points, an interrupted conversation, paging. */
  runtime: jsonb("runtime").$type<Record<string, unknown>>().notNull().default({}),
  expiresAt: instant("expires_at"),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

/**
 * Every message a resident sent, stored before it is processed. The unique (channel,
 * external id) makes a redelivered message a no-op; `processedAt` null means the turn has not
 * committed yet and the message is reprocessed after a crash.
 */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    channel: text("channel", { enum: channelNames }).notNull(),
    externalId: text("external_id").notNull(),
    identityId: bigint("identity_id", { mode: "number" })
      .notNull()
      .references(() => channelIdentities.id),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    /** text, choice, location, photo, contact, voice, other */
    kind: text("kind").notNull(),
    /** What the resident wrote; cleared by erasure. */
    text: text("text"),
    /** Kind-specific data (location, media id, shared contact); cleared by erasure. */
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    receivedAt: instant("received_at").notNull(),
    processedAt: instant("processed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("inbound_messages_channel_external_uq").on(t.channel, t.externalId),
    index("inbound_messages_contact_idx").on(t.contactId, t.id),
    index("inbound_messages_unprocessed_idx").on(t.id).where(sql`${t.processedAt} is null`),
  ],
);

export const outboxStatuses = [
  "pending",
  "sending",
  "sent",
  "failed",
  "unreachable",
  "cancelled",
] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** Lower numbers go first: replies, then reminders and notices, then announcements. */
export const outboxPriority = { reply: 0, notice: 1, broadcast: 2 } as const;

export const broadcasts = pgTable(
  "broadcasts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    createdBy: integer("created_by").references(() => staffUsers.id),
    title: text("title").notNull(),
    /** May hold placeholders such as {nama}. */
    text: text("text").notNull(),
    /** Audience filter: programme and registration status, kecamatan, kelurahan, group, channel. */
    audience: jsonb("audience").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: ["draft", "scheduled", "sending", "done", "cancelled"] })
      .notNull()
      .default("draft"),
    scheduledAt: instant("scheduled_at"),
    createdAt: createdAt(),
  },
  (t) => [index("broadcasts_organisation_idx").on(t.organisationId, t.createdAt)],
);

/**
 * Every message Berdaya sends, written in the transaction that produced it. Delivery workers
 * claim due rows (`FOR UPDATE SKIP LOCKED` + lease) and send a contact's rows in `sequence` order.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    identityId: bigint("identity_id", { mode: "number" })
      .notNull()
      .references(() => channelIdentities.id),
    channel: text("channel", { enum: channelNames }).notNull(),
    /** Per-contact order, from contacts.last_outbox_sequence. */
    sequence: bigint("sequence", { mode: "number" }).notNull(),
    /** The OutboundMessage: text, choices, media. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    priority: smallint("priority").notNull().default(outboxPriority.reply),
    notBefore: instant("not_before").notNull().defaultNow(),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    leasedBy: text("leased_by"),
    leaseUntil: instant("lease_until"),
    /** Makes reminders and broadcast rows idempotent: one row per key, ever. */
    dedupeKey: text("dedupe_key").unique(),
    /** The inbound message this replies to, if any. */
    inboundId: bigint("inbound_id", { mode: "number" }).references(() => inboundMessages.id),
    broadcastId: integer("broadcast_id").references(() => broadcasts.id),
    platformMessageId: text("platform_message_id"),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("outbox_messages_contact_sequence_uq").on(t.contactId, t.sequence),
    index("outbox_messages_due_idx")
      .on(t.priority, t.notBefore)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index("outbox_messages_broadcast_idx").on(t.broadcastId, t.status),
    index("outbox_messages_inbound_idx").on(t.inboundId),
  ],
);

/** Photos residents sent (need reports), capped in size. */
export const mediaFiles = pgTable(
  "media_files",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" }).references(() => contacts.id),
    mimeType: text("mime_type").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("media_files_contact_idx").on(t.contactId)],
);

/** Who holds a singleton resource, such as the WhatsApp Web session of one number. */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: instant("expires_at").notNull(),
});
