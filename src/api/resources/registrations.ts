import { z } from "zod";
import type { Db } from "../../db/client.js";
import { registrationStatuses } from "../../db/schema/index.js";
import {
  cancelParticipant,
  findParticipant,
  listParticipants,
  type Participant,
} from "../../domain/manage/participants.js";
import type { Staff } from "../../staff/principal.js";
import { endpoint } from "../endpoint.js";
import { ApiError, notFound } from "../errors.js";
import { page, pageOf, pageQuery } from "../pagination.js";
import { idParams } from "../params.js";

const tag = "Registrations";

const registration = z.object({
  id: z.number(),
  programmeId: z.number(),
  status: z.enum(registrationStatuses),
  waitlistPosition: z.number().nullable().describe("1 = next in line; null unless waitlisted"),
  offerExpiresAt: z.iso.datetime().nullable().describe("Until when an offered seat waits"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  resident: z
    .object({
      contactId: z.number(),
      name: z.string().nullable(),
      phone: z.string().nullable().describe("E.164"),
      kelurahan: z.string().nullable(),
      channels: z.array(z.string()),
    })
    .nullable()
    .describe("Null once the resident erased their data"),
});

function toJson(row: Participant): z.input<typeof registration> {
  return {
    id: row.id,
    programmeId: row.programmeId,
    status: row.status,
    waitlistPosition: row.waitlistPosition,
    offerExpiresAt: row.offerExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resident:
      row.contactId === null
        ? null
        : {
            contactId: row.contactId,
            name: row.name,
            phone: row.phone,
            kelurahan: row.kelurahan,
            channels: row.channels ? row.channels.split(", ") : [],
          },
  };
}

async function found(db: Db, caller: Staff, id: number) {
  const row = await findParticipant(db, caller, id);
  if (!row) throw notFound("registration");
  return toJson(row);
}

export const registrationEndpoints = [
  endpoint({
    method: "get",
    path: "/programmes/:id/registrations",
    tag,
    summary: "The programme's registrations: seats, offers, the waitlist in order, then the rest",
    params: idParams,
    query: pageQuery.extend({ status: z.enum(registrationStatuses).optional() }),
    response: pageOf(registration),
    handler: async ({ caller, db, params, query }) => {
      const listed = await listParticipants(db, caller, params.id, query);
      if (!listed) throw notFound("programme");
      return page(listed.participants.map(toJson), listed.total, query);
    },
  }),
  endpoint({
    method: "get",
    path: "/registrations/:id",
    tag,
    summary: "One registration",
    params: idParams,
    response: registration,
    handler: async ({ caller, db, params }) => found(db, caller, params.id),
  }),
  endpoint({
    method: "post",
    path: "/registrations/:id/cancel",
    tag,
    summary:
      "Cancel a registration for the resident; they are told, and a freed seat is offered to the waitlist",
    params: idParams,
    response: registration,
    handler: async ({ caller, db, now, params, offerTtlMs, wakeDelivery }) => {
      const cancelled = await cancelParticipant(db, caller, params.id, { now, offerTtlMs });
      if (cancelled.result === "not_found") throw notFound("registration");
      if (cancelled.result === "not_active") {
        throw new ApiError(409, "conflict", "the registration is no longer active", "params.id");
      }
      wakeDelivery();
      return found(db, caller, params.id);
    },
  }),
];
