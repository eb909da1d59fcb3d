import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, instant, updatedAt } from "./columns.js";
import { areas, contacts, organisations } from "./people.js";

/** A training or support programme, e.g. "Menjahit Dasar untuk Ibu Rumah Tangga". */
export const programmes = pgTable(
  "programmes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** Short code residents can type or scan ("daftar MJH01", /start MJH01). Upper case. */
    code: text("code").notNull().unique(),
    title: text("title").notNull(),
    /** menjahit, tata_boga, barista, kecantikan, otomotif, komputer, lainnya … */
    category: text("category").notNull(),
    description: text("description").notNull().default(""),
    /** Words that reach this programme directly ("daftar menjahit"). */
    keywords: text("keywords").array().notNull().default([]),
    place: text("place").notNull().default(""),
    kelurahanCode: text("kelurahan_code").references(() => areas.code),
    capacity: integer("capacity").notNull(),
    /**
     * Registrations holding a seat (registered, offered, completed), kept by a trigger on
     * registrations (migration 0003_seats_taken) in the transaction that changes one.
     */
    seatsTaken: integer("seats_taken").notNull().default(0),
    targetGroups: text("target_groups").array().notNull().default([]),
    requirements: text("requirements").notNull().default(""),
    accessibilityNotes: text("accessibility_notes").notNull().default(""),
    status: text("status", { enum: ["draft", "open", "closed"] })
      .notNull()
      .default("draft"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("programmes_organisation_idx").on(t.organisationId, t.status)],
);

/** One meeting of a programme. */
export const programmeSessions = pgTable(
  "programme_sessions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    programmeId: integer("programme_id")
      .notNull()
      .references(() => programmes.id),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    /** Empty means the programme's place. */
    place: text("place").notNull().default(""),
    whatToBring: text("what_to_bring").notNull().default(""),
    status: text("status", { enum: ["scheduled", "cancelled"] })
      .notNull()
      .default("scheduled"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("programme_sessions_programme_idx").on(t.programmeId, t.startsAt)],
);

export const registrationStatuses = [
  "registered",
  "waitlisted",
  "offered",
  "cancelled",
  "completed",
] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/**
 * A resident's place in a programme. Erasure sets `contactId` to null and keeps the row for
 * anonymous counts. One active registration per resident and programme.
 */
export const registrations = pgTable(
  "registrations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    programmeId: integer("programme_id")
      .notNull()
      .references(() => programmes.id),
    contactId: bigint("contact_id", { mode: "number" }).references(() => contacts.id),
    status: text("status", { enum: registrationStatuses }).notNull(),
    /** 1 = next in line; null unless waitlisted. */
    waitlistPosition: integer("waitlist_position"),
    offerExpiresAt: instant("offer_expires_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("registrations_programme_idx").on(t.programmeId, t.status),
    index("registrations_contact_idx").on(t.contactId),
    uniqueIndex("registrations_active_uq")
      .on(t.programmeId, t.contactId)
      .where(sql`${t.status} in ('registered', 'waitlisted', 'offered')`),
  ],
);

/** RSVP (from the reminder) and attendance (marked by staff) per session and registration. */
export const attendance = pgTable(
  "attendance",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => programmeSessions.id),
    registrationId: integer("registration_id")
      .notNull()
      .references(() => registrations.id),
    rsvp: text("rsvp", { enum: ["hadir", "tidak"] }),
    attended: boolean("attended"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.registrationId] })],
);
