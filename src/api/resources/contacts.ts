import { z } from "zod";
import { channelNames, registrationStatuses } from "../../db/schema/index.js";
import { eraseResident } from "../../domain/resident-erasure.js";
import { findResident, type ResidentSummary, searchResidents } from "../../domain/residents.js";
import { endpoint } from "../endpoint.js";
import { notFound } from "../errors.js";
import { page, pageOf, pageQuery } from "../pagination.js";
import { idParams } from "../params.js";

const contact = z.object({
  id: z.number(),
  name: z.string().nullable(),
  phone: z.string().nullable().describe("E.164, e.g. +6281234567890"),
  kecamatanName: z.string().nullable(),
  kelurahanName: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

const contactDetail = contact.extend({
  groups: z.array(z.string()),
  disabilityTypes: z.array(z.string()).nullable().describe("Sensitive personal data"),
  announcementsOn: z.boolean(),
  consents: z.array(
    z.object({
      granted: z.boolean(),
      text: z.string().describe("The exact text the resident saw"),
      channel: z.enum(channelNames),
      recordedAt: z.iso.datetime(),
    }),
  ),
  channels: z.array(
    z.object({
      channel: z.enum(channelNames),
      reachable: z.boolean(),
      lastInboundAt: z.iso.datetime().nullable(),
    }),
  ),
  registrations: z.array(
    z.object({
      id: z.number(),
      programmeCode: z.string(),
      status: z.enum(registrationStatuses),
      waitlistPosition: z.number().nullable(),
    }),
  ),
});

const summaryOut = (row: ResidentSummary): z.input<typeof contact> => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
  kecamatanName: row.kecamatanName,
  kelurahanName: row.kelurahanName,
  createdAt: row.createdAt.toISOString(),
});

/** Residents connected to the token's organisation: read, and erase on the resident's request. */
export const contactEndpoints = [
  endpoint({
    method: "get",
    path: "/contacts",
    tag: "Contacts",
    summary: "Residents connected to the organisation, by name",
    query: pageQuery.extend({
      q: z
        .string()
        .max(100)
        .optional()
        .describe("Part of the name, or a phone number in any form (0812…, +62 812…)"),
    }),
    response: pageOf(contact),
    handler: async ({ db, caller, query }) => {
      const { rows, total } = await searchResidents(db, caller, query.q ?? "", query);
      return page(rows.map(summaryOut), total, query);
    },
  }),
  endpoint({
    method: "get",
    path: "/contacts/:id",
    tag: "Contacts",
    summary: "One resident: profile, consent record, channels and registrations",
    params: idParams,
    response: contactDetail,
    handler: async ({ db, caller, params }) => {
      const found = await findResident(db, caller, params.id);
      if (!found) throw notFound("contact");
      return {
        ...summaryOut(found),
        groups: found.groups,
        disabilityTypes: found.disabilityTypes,
        announcementsOn: found.announcementsOn,
        consents: found.consents.map((consent) => ({
          ...consent,
          recordedAt: consent.recordedAt.toISOString(),
        })),
        channels: found.channels.map((channel) => ({
          channel: channel.channel,
          reachable: channel.reachable,
          lastInboundAt: channel.lastInboundAt?.toISOString() ?? null,
        })),
        registrations: found.registrations.map((registration) => ({
          id: registration.id,
          programmeCode: registration.programmeCode,
          status: registration.status,
          waitlistPosition: registration.waitlistPosition,
        })),
      };
    },
  }),
  endpoint({
    method: "delete",
    path: "/contacts/:id",
    tag: "Contacts",
    summary: "Erase a resident on their request (the same erasure as HAPUS DATA)",
    params: idParams,
    response: z.object({ id: z.number(), erased: z.literal(true) }),
    handler: async ({ db, caller, params, now, wakeDelivery }) => {
      const erased = await eraseResident(db, caller, { contactId: params.id, now });
      if (!erased) throw notFound("contact");
      wakeDelivery();
      return { id: params.id, erased: true as const };
    },
  }),
];
