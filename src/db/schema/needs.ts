import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant, updatedAt } from "./columns.js";
import { mediaFiles } from "./messaging.js";
import { areas, contacts, organisations, staffUsers } from "./people.js";

export const needStatuses = ["baru", "ditinjau", "ditindaklanjuti", "selesai", "ditolak"] as const;
export type NeedStatus = (typeof needStatuses)[number];

/** A need a resident reported (LAPOR). The ticket shown to residents is LAP-<id, 6 digits>. */
export const needReports = pgTable(
  "need_reports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" }).references(() => contacts.id),
    category: text("category").notNull(),
    /** The resident's own words, stored verbatim; cleared by erasure. */
    description: text("description"),
    photoMediaId: bigint("photo_media_id", { mode: "number" }).references(() => mediaFiles.id),
    kecamatanCode: text("kecamatan_code").references(() => areas.code),
    kelurahanCode: text("kelurahan_code").references(() => areas.code),
    status: text("status", { enum: needStatuses }).notNull().default("baru"),
    assignedOrganisationId: integer("assigned_organisation_id").references(() => organisations.id),
    assignedStaffId: integer("assigned_staff_id").references(() => staffUsers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("need_reports_status_idx").on(t.status, t.createdAt),
    index("need_reports_contact_idx").on(t.contactId),
    index("need_reports_assigned_idx").on(t.assignedOrganisationId, t.status),
  ],
);

export const needStatusHistory = pgTable(
  "need_status_history",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    needId: integer("need_id")
      .notNull()
      .references(() => needReports.id),
    status: text("status", { enum: needStatuses }).notNull(),
    /** Message sent to the resident with this change, if any. */
    message: text("message"),
    staffUserId: integer("staff_user_id").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [index("need_status_history_need_idx").on(t.needId)],
);

/** A resident asked for a person ("petugas"), left a voice note, or reported violence. */
export const assistanceRequests = pgTable(
  "assistance_requests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint("contact_id", { mode: "number" }).references(() => contacts.id),
    reason: text("reason", { enum: ["petugas", "pesan_suara", "kekerasan"] }).notNull(),
    status: text("status", { enum: ["open", "in_progress", "closed"] })
      .notNull()
      .default("open"),
    assignedStaffId: integer("assigned_staff_id").references(() => staffUsers.id),
    createdAt: createdAt(),
    closedAt: instant("closed_at"),
  },
  (t) => [index("assistance_requests_status_idx").on(t.status, t.createdAt)],
);
