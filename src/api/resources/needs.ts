import { z } from "zod";
import type { Db } from "../../db/client.js";
import { needStatuses } from "../../db/schema/index.js";
import {
  findNeed,
  listNeeds,
  type NeedDetail,
  type NeedSummary,
} from "../../domain/need-reports.js";
import { changeNeedStatus, maxStaffMessageLength } from "../../domain/need-status.js";
import type { Staff } from "../../staff/principal.js";
import { endpoint } from "../endpoint.js";
import { ApiError, notFound } from "../errors.js";
import { page, pageOf, pageQuery } from "../pagination.js";
import { idParams } from "../params.js";

const need = z.object({
  id: z.number(),
  ticket: z.string().describe("LAP-000123, as the resident knows it"),
  category: z.string(),
  status: z.enum(needStatuses),
  kecamatanCode: z.string().nullable(),
  kecamatanName: z.string().nullable(),
  kelurahanCode: z.string().nullable(),
  kelurahanName: z.string().nullable(),
  contactId: z.number().nullable().describe("Null once the resident erased their data"),
  assignedOrganisationId: z.number().nullable(),
  assignedStaffId: z.number().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const needDetail = need.extend({
  description: z.string().nullable().describe("The resident's own words"),
  hasPhoto: z.boolean(),
  history: z.array(
    z.object({
      status: z.enum(needStatuses),
      message: z.string().nullable().describe("Sent to the resident with this change"),
      createdAt: z.iso.datetime(),
    }),
  ),
});

function summaryOut(row: NeedSummary): z.input<typeof need> {
  return {
    id: row.id,
    ticket: row.ticket,
    category: row.category,
    status: row.status,
    kecamatanCode: row.kecamatanCode,
    kecamatanName: row.kecamatanName,
    kelurahanCode: row.kelurahanCode,
    kelurahanName: row.kelurahanName,
    contactId: row.contactId,
    assignedOrganisationId: row.assignedOrganisationId,
    assignedStaffId: row.assignedStaffId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function detailOut(row: NeedDetail): z.input<typeof needDetail> {
  return {
    ...summaryOut(row),
    description: row.description,
    hasPhoto: row.photoMediaId !== null,
    history: row.history.map((entry) => ({
      status: entry.status,
      message: entry.message,
      createdAt: entry.createdAt.toISOString(),
    })),
  };
}

async function detailOf(db: Db, caller: Staff, id: number) {
  const found = await findNeed(db, caller, id);
  if (!found) throw notFound("need");
  return detailOut(found);
}

/** Needs reported by residents and routed to the token's organisation; status updates. */
export const needEndpoints = [
  endpoint({
    method: "get",
    path: "/needs",
    tag: "Needs",
    summary: "Needs routed to the organisation, newest first",
    query: pageQuery.extend({
      status: z.enum(needStatuses).optional(),
      category: z.string().max(50).optional(),
      kecamatan: z.string().max(20).optional().describe("Kemendagri code, e.g. 64.71.02"),
      since: z.iso.datetime({ offset: true }).optional().describe("Reported at or after"),
    }),
    response: pageOf(need),
    handler: async ({ db, caller, query }) => {
      const { rows, total } = await listNeeds(
        db,
        caller,
        {
          status: query.status,
          category: query.category,
          kecamatan: query.kecamatan,
          from: query.since === undefined ? undefined : new Date(query.since),
        },
        query,
      );
      return page(rows.map(summaryOut), total, query);
    },
  }),
  endpoint({
    method: "get",
    path: "/needs/:id",
    tag: "Needs",
    summary: "One need with the resident's words and its status history",
    params: idParams,
    response: needDetail,
    handler: ({ db, caller, params }) => detailOf(db, caller, params.id),
  }),
  endpoint({
    method: "post",
    path: "/needs/:id/status",
    tag: "Needs",
    summary:
      "Move a need on (baru → ditinjau → ditindaklanjuti → selesai, or ditolak); the resident is told",
    params: idParams,
    body: z.object({
      status: z.enum(needStatuses),
      message: z
        .string()
        .trim()
        .max(maxStaffMessageLength)
        .optional()
        .describe("Sent to the resident with the new status"),
    }),
    response: needDetail.extend({ residentNotified: z.boolean() }),
    handler: async ({ db, caller, params, body, now, wakeDelivery }) => {
      const result = await changeNeedStatus(db, caller, {
        needId: params.id,
        status: body.status,
        message: body.message,
        now,
      });
      if (!result.changed && result.reason === "not_found") throw notFound("need");
      if (!result.changed) {
        throw new ApiError(
          409,
          "invalid_transition",
          `a need in status ${result.current} cannot move to ${body.status}`,
          "body.status",
        );
      }
      wakeDelivery();
      return { ...(await detailOf(db, caller, params.id)), residentNotified: result.notified };
    },
  }),
];
